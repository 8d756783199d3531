/**
 * Whose session is this? `revoke --user ID` needs the user a session belongs to, read the way each
 * framework stores it. This module is pure: it gets the value's bytes (or hash fields) and returns
 *   - { kind: 'user', user }     the logged-in user, as a string (numbers as their decimal text),
 *   - { kind: 'anonymous' }      a session that exists but has no logged-in user,
 *   - { kind: 'unreadable', reason }  a format or shape it cannot read, or a framework that does not
 *                                keep the user in the session value: never a guess.
 * It never throws and never runs code named by the data: the decoders in ./formats read pickles,
 * PHP serialize(), Ruby Marshal and Java serialization as data only.
 *
 * `userField` is a path (the segments of `--user-field a.b.c`); a key that itself contains dots is
 * found too (longest match first). What it is a path into, per framework, is in USER_SUPPORT below.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { decode as msgpackDecode } from '@msgpack/msgpack';
import { UsageError } from '../errors.js';
import { aspNetSessionDecode } from './formats/aspnet-session.js';
import { FormatError, ForeignObject, child, describeValue, follow, isContainer, textOrBytes, type Found } from './formats/decoded.js';
import { isJavaSerialized, javaScalar } from './formats/java-serialized.js';
import { phpSessionDecode, phpUnserialize } from './formats/php.js';
import { unpickle } from './formats/pickle.js';
import { isRubyMarshal, rubyMarshalLoad } from './formats/ruby-marshal.js';

export type SessionValue = { type: 'string'; bytes: Buffer } | { type: 'hash'; fields: Map<string, Buffer> };
export type UserReading = { kind: 'user'; user: string } | { kind: 'anonymous' } | { kind: 'unreadable'; reason: string };
export interface UserOfOptions {
  /** The `--user-field` path, split on dots: `--user-field passport.user.id` is ['passport', 'user', 'id']. */
  userField?: string[];
}

/**
 * Session variables tried, in this order, where the framework itself has no notion of a logged-in
 * user (plain PHP sessions, redistore's JSON, a Symfony session without a security token, Rails
 * without Devise). The first one holding a value (not null, '' or false) is the user. Deliberately
 * short: a generic `id` is left out, since sessions hold ids of many other things.
 */
export const DEFAULT_USER_FIELDS: readonly string[] = ['user_id', 'userId', 'userid', 'uid', 'user', 'username'];

/** Spring Session's principal index attribute and index key (FindByIndexNameSessionRepository). */
export const SPRING_PRINCIPAL_INDEX_NAME = 'org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME';
/** The start of the reason given for Spring Session values that hold the user only in Java-serialized form. */
export const USE_PRINCIPAL_INDEX = 'use the principal index';

/** The set of a user's session ids that Spring Session keeps: `<namespace>:index:<PRINCIPAL_NAME_INDEX_NAME>:<user>`. */
export function springPrincipalIndexKey(user: string, namespace = 'spring:session'): string {
  return `${namespace}:index:${SPRING_PRINCIPAL_INDEX_NAME}:${user}`;
}

/** `--user-field a.b.c` as a path; empty segments (`a..b`, a leading or trailing dot) are a UsageError. */
export function parseUserField(text: string): string[] {
  const path = text.split('.');
  if (text === '' || path.some((segment) => segment === '')) throw new UsageError(`--user-field "${text}": expected a dotted path like passport.user.id`);
  return path;
}

const ANONYMOUS: UserReading = Object.freeze({ kind: 'anonymous' });
const asFound = (user: string): UserReading => ({ kind: 'user', user });
const unreadable = (reason: string): UserReading => ({ kind: 'unreadable', reason });

/** Not a user: the variable is there but empty (null, '', false), as after a logout. */
const isAbsent = (value: unknown) => value === undefined || value === null || value === '' || value === false;

/** A decoded value as a user id: strings as they are, integers as decimal text; anything else is not an id. */
function asUser(value: unknown, where: string): UserReading {
  if (isAbsent(value)) return ANONYMOUS;
  if (typeof value === 'string') return asFound(value);
  if (typeof value === 'bigint') return asFound(value.toString());
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return unreadable(`${where} holds ${value}, not a user id`);
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return unreadable(`${where} holds an integer too large to read exactly`);
    return asFound(String(value));
  }
  if (isContainer(value)) return unreadable(`${where} holds ${describeValue(value)}, not a user id: name the id inside it with --user-field ${where}.<field>`);
  return unreadable(`${where} holds ${describeValue(value)}, not a user id`);
}

function fromFound(found: Found, where: string): UserReading {
  if (found.kind === 'missing') return ANONYMOUS;
  if (found.kind === 'opaque') return unreadable(`${where}: ${found.reason}, not read`);
  return asUser(found.value, where);
}

/** `--user-field` when given, else the first of `defaults` that holds a value; none: anonymous. */
function byFields(root: unknown, userField: string[] | undefined, defaults: readonly string[]): UserReading {
  if (userField) return fromFound(follow(root, userField), userField.join('.'));
  for (const field of defaults) {
    const found = follow(root, [field]);
    if (found.kind === 'opaque') return fromFound(found, field);
    if (found.kind === 'value' && !isAbsent(found.value)) return asUser(found.value, field);
  }
  return ANONYMOUS;
}

/**
 * One user out of several places that may each name one (Laravel guards, Devise scopes, Symfony
 * firewalls): the preferred one when it has a user, else the others when they agree.
 */
function oneOf(readings: Array<{ label: string; reading: UserReading }>, preferred: string | undefined, what: string): UserReading {
  const first = readings.find((entry) => entry.label === preferred && entry.reading.kind === 'user');
  if (first) return first.reading;
  const failed = readings.find((entry) => entry.reading.kind === 'unreadable');
  if (failed) return failed.reading;
  const users = new Set(readings.flatMap((entry) => (entry.reading.kind === 'user' ? [entry.reading.user] : [])));
  if (users.size > 1) return unreadable(`${what} ${readings.map((entry) => entry.label).join(', ')} name different users`);
  const [user] = users;
  return user === undefined ? ANONYMOUS : asFound(user);
}

function stringBytes(value: SessionValue): Buffer {
  if (value.type !== 'string') throw new FormatError('expected a string value, found a hash');
  return value.bytes;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A JSON object (not an array, not a scalar). */
function jsonObject(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new FormatError('not JSON (not UTF-8 text)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FormatError('not JSON (does not parse)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new FormatError(`JSON ${describeValue(parsed)}, not a session object`);
  return parsed as Record<string, unknown>;
}

const firstNonSpace = (bytes: Uint8Array) => bytes.find((byte) => byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d);
const MAX_INFLATED = 8 * 1024 * 1024;

/**
 * A Python session dict as Django's caches and Flask-Session store it: pickle (any protocol with
 * binary opcodes), msgpack (Flask-Session >= 0.6, django-redis MSGPackSerializer), JSON
 * (django-redis JSONSerializer, when `json`), optionally zlib- or gzip-compressed (django-redis).
 */
function pythonSession(bytes: Uint8Array, json: boolean, inflated = false): unknown {
  if (bytes.length === 0) throw new FormatError('empty value');
  const [a, b] = bytes;
  if (!inflated && a === 0x78 && (b === 0x01 || b === 0x5e || b === 0x9c || b === 0xda) && ((a << 8) | b) % 31 === 0) {
    return pythonSession(inflate(() => inflateSync(bytes, { maxOutputLength: MAX_INFLATED }), 'zlib'), json, true);
  }
  if (!inflated && a === 0x1f && b === 0x8b) return pythonSession(inflate(() => gunzipSync(bytes, { maxOutputLength: MAX_INFLATED }), 'gzip'), json, true);
  if (a === 0x04 && b === 0x22 && bytes[2] === 0x4d && bytes[3] === 0x18) throw new FormatError('lz4-compressed: not read');
  if (a === 0x28 && b === 0xb5 && bytes[2] === 0x2f && bytes[3] === 0xfd) throw new FormatError('zstd-compressed: not read');
  if (a === 0xfd && b === 0x37 && bytes[2] === 0x7a && bytes[3] === 0x58) throw new FormatError('lzma-compressed: not read');
  if ((a === 0x80 && bytes.length > 1) || a === 0x7d || a === 0x5d || a === 0x28) return unpickle(bytes);
  if (json && firstNonSpace(bytes) === 0x7b) return jsonObject(bytes);
  if ((a >= 0x80 && a <= 0x8f) || a === 0xde || a === 0xdf) {
    try {
      return msgpackDecode(bytes, { useBigInt64: true });
    } catch (error) {
      throw new FormatError(`not msgpack (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  throw new FormatError(`not a pickle, msgpack${json ? ' or JSON' : ''} session dict`);
}

function inflate(run: () => Buffer, what: string): Buffer {
  try {
    return run();
  } catch (error) {
    throw new FormatError(`${what}-compressed value that does not inflate (${error instanceof Error ? error.message : String(error)})`);
  }
}

function sessionDict(value: unknown): unknown {
  if (value instanceof Map || (isContainer(value) && !Array.isArray(value) && !(value instanceof ForeignObject))) return value;
  throw new FormatError(`the value holds ${describeValue(value)}, not a session dict`);
}

// ---------------------------------------------------------------- per framework

function connectRedis(value: SessionValue, userField: string[] | undefined): UserReading {
  const session = jsonObject(stringBytes(value));
  return fromFound(follow(session, userField ?? ['passport', 'user']), (userField ?? ['passport', 'user']).join('.'));
}

function phpSession(value: SessionValue, userField: string[] | undefined): UserReading {
  const { vars } = phpSessionDecode(stringBytes(value));
  if (vars.has('_sf2_attributes')) return symfonySession(vars, userField);
  return byFields(vars, userField, DEFAULT_USER_FIELDS);
}

/** Symfony's own user classes, whose identifier property is known: username. */
const SYMFONY_USER_CLASSES = new Set(['Symfony\\Component\\Security\\Core\\User\\InMemoryUser', 'Symfony\\Component\\Security\\Core\\User\\User']);

const looksPhpSerialized = (text: string) => /^(?:[OCa]:\d+:|N;$)/.test(text);

function symfonySession(vars: Map<string, unknown>, userField: string[] | undefined): UserReading {
  const bag = vars.get('_sf2_attributes');
  const attributes = bag instanceof Map ? bag : new Map<string, unknown>();
  const tokens: Array<{ label: string; reading: UserReading }> = [];
  for (const [name, token] of attributes) {
    const firewall = /^_security_(.+)$/.exec(name);
    if (firewall) tokens.push({ label: firewall[1], reading: symfonyToken(token, userField) });
  }
  if (tokens.length > 0) return oneOf(tokens, 'main', 'Symfony firewalls');
  return byFields(attributes, userField, DEFAULT_USER_FIELDS);
}

/** `_security_<firewall>`: serialize($token), or (as some tests and old setups write) the identifier itself. */
function symfonyToken(token: unknown, userField: string[] | undefined): UserReading {
  if (isAbsent(token)) return ANONYMOUS;
  let parsed: unknown;
  if (typeof token === 'string' && !looksPhpSerialized(token)) return asFound(token);
  if (typeof token === 'string' || token instanceof Uint8Array) parsed = phpUnserialize(typeof token === 'string' ? Buffer.from(token) : token);
  else parsed = token;
  if (parsed === null) return ANONYMOUS;
  if (!(parsed instanceof ForeignObject)) return unreadable(`the Symfony security token is ${describeValue(parsed)}, not a token`);
  if (/(?:^|\\)(?:AnonymousToken|NullToken)$/.test(parsed.className)) return ANONYMOUS;
  const user = tokenUser(parsed);
  if (user.kind === 'unreadable') return unreadable(user.reason);
  const found = user.value;
  if (isAbsent(found)) return ANONYMOUS;
  if (typeof found === 'string') return asFound(found);
  if (found instanceof ForeignObject) {
    if (userField) return fromFound(follow(found, userField), `${userField.join('.')} of the token's ${found.className}`);
    if (SYMFONY_USER_CLASSES.has(found.className)) return fromFound(follow(found, ['username']), `username of the token's ${found.className}`);
    return unreadable(`the Symfony security token's user is an object of class ${found.className}: name its identifier property with --user-field (e.g. email)`);
  }
  return unreadable(`the Symfony security token's user is ${describeValue(found)}`);
}

/**
 * The user inside a serialized Symfony token. AbstractToken::__serialize() is
 * [user, authenticated, <null or roles>, attributes, roleNames] (4 items before Symfony 4.3); each
 * subclass wraps it as [own fields..., parentData], and before PHP 7.4 parentData could itself be a
 * serialized string. Older tokens serialized as plain objects have a `user` property.
 */
function tokenUser(token: ForeignObject): { kind: 'value'; value: unknown } | { kind: 'unreadable'; reason: string } {
  if (token.opaque) return { kind: 'unreadable', reason: `the Symfony security token ${token.className} is custom-serialized: not read` };
  let data: Map<string, unknown> = token.properties;
  for (let level = 0; level < 8; level++) {
    if (data.has('user') && !data.has('0')) return { kind: 'value', value: data.get('user') };
    const size = data.size;
    if ((size === 4 || size === 5) && data.has('0') && typeof data.get('1') === 'boolean') return { kind: 'value', value: data.get('0') };
    let parent = data.get(String(size - 1));
    if (typeof parent === 'string' && looksPhpSerialized(parent)) parent = phpUnserialize(Buffer.from(parent));
    if (!(parent instanceof Map)) break;
    data = parent;
  }
  return { kind: 'unreadable', reason: `the Symfony security token ${token.className} has a layout this reader does not know` };
}

const LARAVEL_LOGIN = /^login_(.+)_[0-9a-f]{40}$/;

function laravel(value: SessionValue, userField: string[] | undefined): UserReading {
  // RedisStore::put() serialize()s the session payload, itself serialize($attributes).
  const outer = phpUnserialize(stringBytes(value));
  let attributes: unknown = outer;
  if (typeof outer === 'string' || outer instanceof Uint8Array) {
    const text = typeof outer === 'string' ? outer : Buffer.from(outer).toString('latin1');
    if (/^eyJ[A-Za-z0-9+/=]+$/.test(text)) return unreadable('encrypted by Laravel (session.encrypt = true): not read');
    attributes = phpUnserialize(typeof outer === 'string' ? Buffer.from(outer) : outer);
  }
  if (!(attributes instanceof Map)) return unreadable(`the Laravel session holds ${describeValue(attributes)}, not an attribute array`);
  if (userField) return fromFound(follow(attributes, userField), userField.join('.'));
  const guards: Array<{ label: string; reading: UserReading }> = [];
  for (const [name, id] of attributes) {
    const guard = LARAVEL_LOGIN.exec(name);
    if (guard) guards.push({ label: guard[1], reading: asUser(id, name) });
  }
  return oneOf(guards, 'web', 'Laravel guards');
}

function django(value: SessionValue, userField: string[] | undefined): UserReading {
  const session = sessionDict(pythonSession(stringBytes(value), true));
  return fromFound(follow(session, userField ?? ['_auth_user_id']), (userField ?? ['_auth_user_id']).join('.'));
}

function flaskSession(value: SessionValue, userField: string[] | undefined): UserReading {
  const session = sessionDict(pythonSession(stringBytes(value), false));
  return fromFound(follow(session, userField ?? ['_user_id']), (userField ?? ['_user_id']).join('.'));
}

const DEVISE_KEY = /^warden\.user\.(.+)\.key$/;

function rails(value: SessionValue, userField: string[] | undefined): UserReading {
  const bytes = stringBytes(value);
  let session: unknown;
  if (isRubyMarshal(bytes)) session = rubyMarshalLoad(bytes);
  else if (firstNonSpace(bytes) === 0x7b) session = jsonObject(bytes);
  else throw new FormatError('neither Ruby Marshal 4.8 nor JSON');
  session = sessionDict(session);
  if (userField) return fromFound(follow(session, userField), userField.join('.'));
  const scopes: Array<{ label: string; reading: UserReading }> = [];
  const keys = session instanceof Map ? [...session.keys()] : Object.keys(session as object);
  for (const key of keys) {
    const scope = DEVISE_KEY.exec(key);
    const found = child(session, key);
    if (scope) scopes.push({ label: scope[1], reading: deviseKey(found.kind === 'value' ? found.value : undefined, key) });
  }
  if (scopes.length > 0) return oneOf(scopes, 'user', 'Devise scopes');
  return byFields(session, undefined, DEFAULT_USER_FIELDS);
}

/** Devise's serialize_into_session: [record.to_key, salt] = [[id], salt]; Devise < 3 put the class name first. */
function deviseKey(value: unknown, where: string): UserReading {
  if (isAbsent(value)) return ANONYMOUS;
  if (Array.isArray(value)) {
    const key = Array.isArray(value[0]) ? value[0] : typeof value[0] === 'string' && Array.isArray(value[1]) ? value[1] : undefined;
    if (key && key.length === 1) return asUser(key[0], where);
  }
  return unreadable(`${where} is not Devise's [[id], salt]`);
}

const SPRING_ATTR = 'sessionAttr:';
const SPRING_CONTEXT = 'SPRING_SECURITY_CONTEXT';
const SPRING_USER_CLASS = 'org.springframework.security.core.userdetails.User';

/** A Spring Session attribute: Java-serialized String/Long/Integer, or JSON (GenericJackson2JsonRedisSerializer). */
function springAttribute(bytes: Uint8Array): unknown {
  if (isJavaSerialized(bytes)) return javaScalar(bytes);
  const first = firstNonSpace(bytes);
  if (first === 0x7b || first === 0x22 || first === 0x5b || (first !== undefined && first >= 0x30 && first <= 0x39)) {
    try {
      return JSON.parse(strictUtf8.decode(bytes));
    } catch {
      throw new FormatError('neither Java-serialized nor JSON');
    }
  }
  throw new FormatError('neither Java-serialized nor JSON');
}

function springSession(value: SessionValue, userField: string[] | undefined): UserReading {
  if (value.type !== 'hash') return unreadable('expected a Spring Session hash, found a string');
  const attribute = (name: string) => value.fields.get(`${SPRING_ATTR}${name}`);
  if (userField) {
    const name = userField.join('.');
    const bytes = attribute(name);
    if (bytes === undefined) return ANONYMOUS;
    try {
      return asUser(springAttribute(bytes), `${SPRING_ATTR}${name}`);
    } catch (error) {
      if (error instanceof FormatError) return unreadable(`${SPRING_ATTR}${name} is ${error.message}: not read`);
      throw error;
    }
  }
  // PrincipalNameResolver: the PRINCIPAL_NAME_INDEX_NAME attribute, else the SecurityContext's name.
  const principal = attribute(SPRING_PRINCIPAL_INDEX_NAME);
  if (principal !== undefined) {
    try {
      const name = springAttribute(principal);
      if (typeof name === 'string') return asUser(name, 'the principal name attribute');
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
    }
  }
  const context = attribute(SPRING_CONTEXT);
  if (context === undefined) return principal === undefined ? ANONYMOUS : unreadable(`${USE_PRINCIPAL_INDEX}: the principal name attribute is not a plain string`);
  if (!isJavaSerialized(context)) {
    const fromJson = springJsonContext(context);
    if (fromJson) return fromJson;
  }
  return unreadable(`${USE_PRINCIPAL_INDEX}: the session holds the user only in its ${isJavaSerialized(context) ? 'Java-serialized' : 'serialized'} SecurityContext (Spring Session indexes it under ${springPrincipalIndexKey('<user>')})`);
}

/** A SecurityContext written by Jackson (GenericJackson2JsonRedisSerializer with Spring Security's modules). */
function springJsonContext(bytes: Uint8Array): UserReading | undefined {
  let json: unknown;
  try {
    json = springAttribute(bytes);
  } catch (error) {
    if (error instanceof FormatError) return undefined;
    throw error;
  }
  const authentication = follow(json, ['authentication']);
  if (authentication.kind !== 'value') return undefined;
  if (isAbsent(authentication.value)) return ANONYMOUS;
  const principal = follow(authentication.value, ['principal']);
  if (principal.kind !== 'value') return undefined;
  if (typeof principal.value === 'string') return asUser(principal.value, 'authentication.principal');
  const className = follow(principal.value, ['@class']);
  if (className.kind === 'value' && className.value === SPRING_USER_CLASS) return fromFound(follow(principal.value, ['username']), 'authentication.principal.username');
  return undefined;
}

const ASPNET_NO_USER =
  'ASP.NET Core keeps the signed-in user in the authentication cookie, not in the session: name the session key the app sets with --user-field';

function aspNetCore(value: SessionValue, userField: string[] | undefined): UserReading {
  if (!userField) return unreadable(ASPNET_NO_USER);
  const data = value.type === 'hash' ? value.fields.get('data') : value.bytes;
  if (data === undefined) return unreadable('no "data" field in the ASP.NET Core cache entry');
  const entries = aspNetSessionDecode(data);
  const key = userField.join('.');
  const stored = entries.get(key);
  if (stored === undefined) return ANONYMOUS;
  return asUser(textOrBytes(stored), key);
}

function redistore(value: SessionValue, userField: string[] | undefined): UserReading {
  const bytes = stringBytes(value);
  if (firstNonSpace(bytes) !== 0x7b) return unreadable("gob-encoded (redistore's default GobSerializer): not read; with redistore.JSONSerializer the value is JSON and is read");
  return byFields(jsonObject(bytes), userField, DEFAULT_USER_FIELDS);
}

const READERS: Record<string, (value: SessionValue, userField: string[] | undefined) => UserReading> = {
  'connect-redis': connectRedis,
  phpredis: phpSession,
  'php-memcached': phpSession,
  symfony: (value, userField) => symfonySession(phpSessionDecode(stringBytes(value)).vars, userField),
  laravel,
  django,
  'flask-session': flaskSession,
  rails,
  'spring-session': springSession,
  'aspnet-core': aspNetCore,
  redistore,
};

/** The user a session value belongs to, read the way `framework` (an id of src/stores/frameworks.ts) stores it. */
export function userOf(framework: string, value: SessionValue, options: UserOfOptions = {}): UserReading {
  const read = READERS[framework];
  if (!read) return unreadable(`no user reader for framework "${framework}"`);
  const userField = options.userField && options.userField.length > 0 ? options.userField : undefined;
  try {
    return read(value, userField);
  } catch (error) {
    if (error instanceof FormatError) return unreadable(error.message);
    if (error instanceof RangeError) return unreadable(`value too large or too deeply nested to read (${error.message})`);
    return unreadable(`could not read the value (${error instanceof Error ? error.message : String(error)})`);
  }
}

// ---------------------------------------------------------------- documentation

export interface UserSupport {
  framework: string;
  /** The encodings read. */
  formats: string;
  /** Where the user is read by default (or why it is not read). */
  reads: string;
  /** What `--user-field` means for this framework. */
  userField: string;
  /** Whether values can name their user at all without `--user-field`. */
  byDefault: 'yes' | 'partly' | 'no';
}

const PHP_DEFAULTS = DEFAULT_USER_FIELDS.join(', ');

export const USER_SUPPORT: readonly UserSupport[] = [
  { framework: 'connect-redis', formats: 'JSON', reads: '`passport.user` (Passport)', userField: 'path in the session JSON', byDefault: 'yes' },
  { framework: 'phpredis', formats: 'PHP session: php, php_serialize, php_binary handlers', reads: `first of ${PHP_DEFAULTS}; a Symfony session as for symfony`, userField: 'path in $_SESSION', byDefault: 'partly' },
  { framework: 'php-memcached', formats: 'PHP session: php, php_serialize, php_binary handlers', reads: `first of ${PHP_DEFAULTS}; a Symfony session as for symfony`, userField: 'path in $_SESSION', byDefault: 'partly' },
  { framework: 'symfony', formats: 'PHP session with a serialized security token', reads: '`_sf2_attributes` → `_security_<firewall>` token: its user when a string or a Symfony InMemoryUser/User (`username`); an app user entity needs `--user-field`. No token: first of the default fields in `_sf2_attributes`', userField: "property path in the token's user object (no token: in `_sf2_attributes`)", byDefault: 'partly' },
  { framework: 'laravel', formats: 'serialize(serialize($attributes)); encrypted sessions are not read', reads: '`login_<guard>_<sha1>`: guard `web` first, else any guard', userField: 'path in the session attributes', byDefault: 'yes' },
  { framework: 'django', formats: 'pickle (plain data only, protocols 1-5), JSON, msgpack; zlib/gzip-compressed', reads: '`_auth_user_id`', userField: 'path in the session dict', byDefault: 'yes' },
  { framework: 'flask-session', formats: 'msgpack (Flask-Session >= 0.6), pickle (plain data only)', reads: '`_user_id` (Flask-Login)', userField: 'path in the session dict', byDefault: 'yes' },
  { framework: 'rails', formats: 'Ruby Marshal 4.8 (Hash of plain data), JSON', reads: `Devise \`warden.user.<scope>.key\` = [[id], salt] (scope \`user\` first), else first of ${PHP_DEFAULTS}`, userField: 'path in the session hash', byDefault: 'partly' },
  { framework: 'spring-session', formats: 'hash of Java-serialized (String/Long/Integer) or JSON attributes', reads: 'the principal name attribute or a JSON SecurityContext; a Java-serialized SecurityContext is not read: use the principal index sets', userField: 'name of a session attribute (`sessionAttr:<name>`)', byDefault: 'partly' },
  { framework: 'aspnet-core', formats: 'DistributedSession entries in the cache hash `data` field', reads: 'nothing: the signed-in user lives in the authentication cookie, not the session', userField: 'session key the app sets (value read as UTF-8 text)', byDefault: 'no' },
  { framework: 'redistore', formats: 'JSON (JSONSerializer); gob (the default) is not read', reads: `first of ${PHP_DEFAULTS}`, userField: 'path in the session values', byDefault: 'partly' },
];

/** Which field is read for `framework`, or why the user cannot be read from its values. */
export function describeUserSupport(framework: string): UserSupport {
  return (
    USER_SUPPORT.find((entry) => entry.framework === framework) ?? {
      framework,
      formats: 'unknown',
      reads: 'nothing: not a framework session-audit recognises',
      userField: 'not used',
      byDefault: 'no',
    }
  );
}
