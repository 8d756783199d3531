/**
 * JWKS from a file or a URL (`--jwks`), or found through OIDC discovery (`--issuer`):
 * `${issuer}/.well-known/openid-configuration` -> `jwks_uri` -> the key set. Fetched ONCE, up front,
 * with a short timeout, no retries and no redirects (as jose's own remote JWKS does): an unreachable
 * or invalid document is one clear InputError (exit 2) before any token is judged, never a hang.
 * The set is then used locally (jose createLocalJWKSet), so every token is judged against the same keys.
 */
import { readFileSync } from 'node:fs';
import { InputError, UsageError } from '../errors.js';

export const DEFAULT_FETCH_TIMEOUT_MS = 5_000;
/** A JWKS or a discovery document is a few KB; anything this large is not one. */
const MAX_DOCUMENT_BYTES = 1024 * 1024;

export interface Jwks {
  keys: Record<string, unknown>[];
}

export interface LoadedJwks {
  jwks: Jwks;
  /** Where it came from: the file or the URL (for messages). */
  source: string;
  /** With --issuer: the issuer the discovery document names (equal to the one given). */
  issuer?: string;
}

export function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/** GET a JSON document: 200 only, redirects refused (with the Location in the message), bounded time and size. */
export async function fetchJson(url: string, what: string, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS): Promise<unknown> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${what} ${url}: not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`${what} ${url}: only http(s) URLs are fetched`);
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(parsed, { redirect: 'manual', signal, headers: { accept: 'application/json, application/jwk-set+json' } });
  } catch (error) {
    throw new InputError(`${what} ${url}: ${fetchProblem(error, timeoutMs)}`);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    const location = response.headers.get('location');
    throw new InputError(`${what} ${url}: HTTP ${response.status} redirect${location ? ` to ${location}` : ''} (redirects are not followed: give the final URL)`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new InputError(`${what} ${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} (expected 200)`);
  }
  let text: string;
  try {
    const body = await response.arrayBuffer();
    if (body.byteLength > MAX_DOCUMENT_BYTES) throw new InputError(`${what} ${url}: more than 1 MiB: not a ${what === '--issuer' ? 'discovery document' : 'JWKS'}`);
    text = Buffer.from(body).toString('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${what} ${url}: ${fetchProblem(error, timeoutMs)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${what} ${url}: the response is not JSON`);
  }
}

function fetchProblem(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'cannot connect: ECONNREFUSED';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the host (${code})`;
  if (code) return `cannot fetch: ${code}`;
  return `cannot fetch: ${e?.cause?.message ?? e?.message ?? String(error)}`;
}

/** A JSON Web Key Set as jose wants it, and with public keys only (a published JWKS must not hold secrets). */
export function checkJwks(value: unknown, where: string): Jwks {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Array.isArray((value as Jwks).keys)) {
    throw new InputError(`${where}: not a JWKS (expected a JSON object with a "keys" array)`);
  }
  const keys = (value as Jwks).keys;
  if (!keys.every((key) => key !== null && typeof key === 'object' && !Array.isArray(key))) throw new InputError(`${where}: not a JWKS ("keys" must hold JSON objects)`);
  if (keys.length === 0) throw new InputError(`${where}: the JWKS has no keys`);
  keys.forEach((key, index) => {
    const name = typeof key.kid === 'string' ? `kid '${key.kid}'` : `key ${index + 1}`;
    if (key.d !== undefined || key.priv !== undefined) throw new InputError(`${where}: ${name} is a PRIVATE key: a JWKS must publish public keys only`);
    if (key.kty === 'oct') throw new InputError(`${where}: ${name} is a secret ("oct") key: a JWKS must publish public keys only (verify HMAC tokens with --secret)`);
  });
  return value as Jwks;
}

export function loadJwksFile(file: string, flag = '--jwks'): LoadedJwks {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag} ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'cannot read')}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(`${flag} ${file}: not valid JSON (expected a JWKS)`);
  }
  return { jwks: checkJwks(value, `${flag} ${file}`), source: file };
}

/** `--jwks FILE|URL`. */
export async function loadJwks(location: string, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS): Promise<LoadedJwks> {
  if (!isUrl(location)) return loadJwksFile(location);
  return { jwks: checkJwks(await fetchJson(location, '--jwks', timeoutMs), `--jwks ${location}`), source: location };
}

/** The discovery document's URL for an issuer (OIDC Discovery §4: issuer + "/.well-known/openid-configuration"). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * `--issuer URL`: OIDC discovery. The document's `issuer` must be exactly the one given (OIDC Discovery
 * §4.3: otherwise the document may be an impostor's), and its `jwks_uri` is fetched.
 */
export async function discoverJwks(issuer: string, timeoutMs = DEFAULT_FETCH_TIMEOUT_MS): Promise<LoadedJwks> {
  if (!isUrl(issuer)) throw new UsageError(`--issuer ${issuer}: not an http(s) URL`);
  const url = discoveryUrl(issuer);
  const document = await fetchJson(url, '--issuer', timeoutMs);
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new InputError(`--issuer ${url}: not an OpenID configuration (expected a JSON object)`);
  const { issuer: named, jwks_uri: jwksUri } = document as Record<string, unknown>;
  if (typeof named !== 'string') throw new InputError(`--issuer ${url}: the discovery document has no "issuer"`);
  if (named !== issuer) {
    const hint = named.replace(/\/+$/, '') === issuer.replace(/\/+$/, '') ? ` (give --issuer exactly as the provider writes it: ${named})` : '';
    throw new InputError(`--issuer ${issuer}: the discovery document names issuer '${named}', not '${issuer}'${hint}`);
  }
  if (typeof jwksUri !== 'string' || !isUrl(jwksUri)) throw new InputError(`--issuer ${url}: the discovery document has no http(s) "jwks_uri"`);
  const jwks = checkJwks(await fetchJson(jwksUri, 'jwks_uri', timeoutMs), `jwks_uri ${jwksUri}`);
  return { jwks, source: jwksUri, issuer: named };
}
