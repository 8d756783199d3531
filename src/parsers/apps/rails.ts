import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SessionConfig, SessionSecret, SessionStorage, Setting } from '../../model/index.js';
import { displayPath, sourceFromText } from '../source.js';
import type { ParseInput } from '../types.js';
import { appRootOf } from './app-root.js';
import { maskSecretIn } from './redact.js';
import { configStatements, hashGet, type ConfigStatement, type RbEntry, type RbValue } from './ruby-config.js';
import { isSampleSecret } from './sample-secrets.js';
import { evidenceAt, locationAt, settingAt } from './setting-at.js';
import { hostsIn, uniqueHosts } from './store-hosts.js';
import type { AppSettingsReader } from './types.js';

/**
 * Ruby on Rails sessions, from Ruby config files: config/initializers/session_store.rb,
 * config/application.rb, config/environments/*.rb (any .rb that calls `config.session_store` or sets
 * `config.secret_key_base` / `config.secret_token`). One SessionConfig per such file:
 * - a file with `session_store`: storage, storeHosts and cookie (key, secure, httponly, same_site)
 *   and lifetime (expire_after) from its options. `:cache_store` sessions live in the cache store,
 *   read from the same file, else config/environments/production.rb, else config/application.rb; a
 *   cookie without `secure:` is secure when `config.force_ssl = true` (same file, else production.rb),
 *   as ActionDispatch::SSL flags every cookie secure;
 * - a file with `secret_key_base` / `secret_token`: secret (storage is then Rails' default cookie_store).
 * Defaults: cookie_store is the Rails default session store (ActionDispatch::Session::CookieStore docs);
 * without config.cache_store Rails uses :file_store in tmp/cache, or :memory_store when that folder is
 * missing (Rails::Application::Configuration#cache_store); session cookies are httponly and not
 * secure (Rack::Session::Abstract::Persisted DEFAULT_OPTIONS); config.force_ssl is false.
 * Lifetime: expire_after when given. A cookie_store cookie without it is a browser-session cookie whose
 * content carries no expiry, so no lifetime is known (left out). Server-side stores without it write
 * keys with no TTL: redis-session-store and redis-store call plain SET, Dalli writes TTL 0, and
 * CacheStore falls back to the cache's own expires_in: lifetime null (never expires).
 */

const STATEMENTS = new Set(['session_store', 'cache_store', 'secret_key_base', 'secret_token', 'force_ssl']);

/** `session_store ActionDispatch::Session::CacheStore` names the class instead of the symbol. */
const STORE_CLASSES: Record<string, string> = {
  CookieStore: 'cookie_store',
  CacheStore: 'cache_store',
  MemCacheStore: 'mem_cache_store',
  ActiveRecordStore: 'active_record_store',
  RedisSessionStore: 'redis_session_store',
  RedisStore: 'redis_store',
};

interface Found {
  statement: ConfigStatement;
  /** The file the statement is in: the one being read, or production.rb / application.rb beside it. */
  source: ParseInput;
}

interface RailsFile {
  source: ParseInput;
  statements: ConfigStatement[];
}

export const railsReader: AppSettingsReader = {
  id: 'rails',
  wants(fileName) {
    return fileName.endsWith('.rb');
  },
  read(input) {
    if (!/session_store|secret_key_base|secret_token/.test(input.text) || !/config/.test(input.text)) return [];
    const here: RailsFile = { source: input, statements: configStatements(input.text, STATEMENTS) };
    const session = last(here, 'session_store');
    const secretStatement = last(here, 'secret_key_base') ?? last(here, 'secret_token');
    const secret = secretStatement ? secretOf(secretStatement) : undefined;
    if (!session) {
      // Only a secret worth reporting makes a file without session_store say something about sessions.
      if (!secretStatement || !secret) return [];
      const storage = { storage: 'cookie' as const, storageDetail: 'cookie_store (the Rails default; this file sets no session_store)', storeHosts: [] };
      return [config(input, secretStatement, storage, defaultCookie(input, here), undefined, secret)];
    }
    const storeName = storeNameOf(session.statement.args[0]);
    if (storeName === 'disabled') return [];
    const options = optionsOf(session.statement.args);
    const storage = storageOf(input, here, storeName, options);
    return [config(input, session, storage, cookieOf(input, here, session, options), lifetimeOf(session, storeName, options, storage.cacheExpiresIn), secret)];
  },
};

function last(file: RailsFile | undefined, name: string): Found | undefined {
  const statement = file?.statements.filter((candidate) => candidate.name === name).at(-1);
  return file && statement ? { statement, source: file.source } : undefined;
}

function config(
  input: ParseInput,
  anchor: Found,
  storage: { storage: SessionStorage; storageDetail: string; storeHosts: string[] },
  cookie: SessionConfig['cookie'],
  lifetime: Setting<number | null> | undefined,
  secret: SessionSecret | undefined,
): SessionConfig {
  return {
    kind: 'session-config',
    framework: 'rails',
    frameworkName: 'Ruby on Rails',
    storage: storage.storage,
    storageDetail: storage.storageDetail,
    storeHosts: storage.storeHosts,
    location: locationAt(anchor.source, anchor.statement.line, anchor.statement.column),
    evidence: maskedEvidence(anchor),
    appRoot: appRootOf(input.absPath),
    cookie,
    ...(lifetime ? { lifetime } : {}),
    ...(secret ? { secret } : {}),
  };
}

/** A secret's own line never shows the secret. */
function maskedEvidence(found: Found): string {
  const evidence = evidenceAt(found.source, found.statement.line);
  const value = found.statement.args[0];
  if ((found.statement.name === 'secret_key_base' || found.statement.name === 'secret_token') && value?.t === 'str') return maskSecretIn(evidence, value.v);
  return evidence;
}

function storeNameOf(value: RbValue | undefined): string {
  if (value?.t === 'sym') return value.v;
  if (value?.t === 'ref') return STORE_CLASSES[value.path.split(/::|\./).at(-1) ?? ''] ?? value.path;
  return 'unknown';
}

/** The options hash: the bare `key: v` pairs, or a `{ ... }` written as the last argument. */
function optionsOf(args: RbValue[]): RbValue | undefined {
  const hash = args.slice(1).filter((arg) => arg.t === 'hash');
  return hash.at(-1);
}

// ---------------------------------------------------------------------------------------------
// Storage

interface Storage {
  storage: SessionStorage;
  storageDetail: string;
  storeHosts: string[];
  /** The cache store's `expires_in`, which CacheStore uses when expire_after is not given. */
  cacheExpiresIn?: number;
}

function storageOf(input: ParseInput, here: RailsFile, store: string, options: RbValue | undefined): Storage {
  switch (store) {
    case 'cookie_store':
      return { storage: 'cookie', storageDetail: 'cookie_store: the whole session in an encrypted cookie', storeHosts: [] };
    case 'active_record_store':
      return { storage: 'database', storageDetail: 'active_record_store (activerecord-session_store): the sessions table', storeHosts: [] };
    case 'mem_cache_store': {
      const storeHosts = hostsOfValue(hashGet(options, 'memcache_server')?.value, true);
      return { storage: 'memcached', storageDetail: `mem_cache_store: Memcached${storeHosts.length > 0 ? ` at ${storeHosts.join(', ')}` : ' (localhost:11211 unless memcache_server is set)'}`, storeHosts };
    }
    case 'redis_session_store': {
      const redis = hashGet(options, 'redis')?.value;
      const storeHosts = hostsOfValue(redis);
      return { storage: 'redis', storageDetail: `redis_session_store (redis-session-store)${storeHosts.length > 0 ? ` at ${storeHosts.join(', ')}` : ''}`, storeHosts };
    }
    case 'redis_store': {
      const storeHosts = hostsOfValue(hashGet(options, 'servers')?.value ?? hashGet(options, 'redis_server')?.value);
      return { storage: 'redis', storageDetail: `redis_store (redis-rails / redis-actionpack)${storeHosts.length > 0 ? ` at ${storeHosts.join(', ')}` : ''}`, storeHosts };
    }
    case 'cache_store': {
      const cache = cacheStoreOf(input, here);
      return { ...cache, storageDetail: `cache_store: sessions in the Rails cache, ${cache.storageDetail}` };
    }
    default:
      return { storage: 'unknown', storageDetail: `session_store ${store} (a store this reader does not know)`, storeHosts: [] };
  }
}

/** Store hosts from a URL or `host:port` string, an array of them, or `{ url: }` / `{ host: }` hashes. */
function hostsOfValue(value: RbValue | undefined, bare = false): string[] {
  if (!value) return [];
  if (value.t === 'str') return hostsIn(value.v, bare);
  if (value.t === 'array') return uniqueHosts(value.items.flatMap((item) => hostsOfValue(item, bare)));
  if (value.t === 'hash') {
    const url = hashGet(value, 'url')?.value;
    return url ? hostsOfValue(url) : hostsOfValue(hashGet(value, 'host')?.value, true);
  }
  return [];
}

/** The cache store sessions land in: this file's config.cache_store, else production.rb's, else application.rb's, else Rails' default. */
function cacheStoreOf(input: ParseInput, here: RailsFile): Storage {
  const found = last(here, 'cache_store') ?? last(sibling(input, 'environments/production.rb'), 'cache_store') ?? last(sibling(input, 'application.rb'), 'cache_store');
  if (!found) {
    return { storage: 'file', storageDetail: 'no config.cache_store, so Rails\' default :file_store in tmp/cache (or :memory_store) on each node', storeHosts: [] };
  }
  const [kind, ...rest] = found.statement.args;
  const options = rest.filter((arg) => arg.t === 'hash').at(-1);
  const expires = hashGet(options, 'expires_in')?.value;
  const cacheExpiresIn = expires?.t === 'num' ? expires.v : undefined;
  const where = `${found.source.file}:${found.statement.line}`;
  const name = kind?.t === 'sym' ? kind.v : 'unknown';
  const result = (storage: SessionStorage, what: string, storeHosts: string[] = []): Storage => ({
    storage,
    storageDetail: `config.cache_store :${name} (${where}): ${what}`,
    storeHosts,
    ...(cacheExpiresIn !== undefined ? { cacheExpiresIn } : {}),
  });
  switch (name) {
    case 'memory_store':
      return result('memory', 'the memory of each process');
    case 'file_store': {
      const dir = rest.find((arg) => arg.t === 'str');
      return result('file', `files${dir?.t === 'str' ? ` in ${dir.v}` : ''} on each node`);
    }
    case 'null_store':
      return result('memory', 'stores nothing, so every session is lost at once');
    case 'mem_cache_store': {
      // Dalli takes bare server names: "cache-1.example.com" is a host.
      const storeHosts = uniqueHosts(rest.filter((arg) => arg.t === 'str' || arg.t === 'array').flatMap((arg) => hostsOfValue(arg, true)));
      return result('memcached', `Memcached${storeHosts.length > 0 ? ` at ${storeHosts.join(', ')}` : ''}`, storeHosts);
    }
    case 'redis_cache_store': {
      const storeHosts = hostsOfValue(hashGet(options, 'url')?.value);
      return result('redis', `Redis${storeHosts.length > 0 ? ` at ${storeHosts.join(', ')}` : ''}`, storeHosts);
    }
    case 'solid_cache_store':
      return result('database', 'Solid Cache, a database table');
    default:
      return result('unknown', 'a cache store this reader does not know');
  }
}

/** Another file of the same Rails app, found from this file's `config` folder; undefined when there is none. */
function sibling(input: ParseInput, relative: string): RailsFile | undefined {
  const parts = input.absPath.split(path.sep);
  const configAt = parts.lastIndexOf('config');
  if (configAt <= 0) return undefined;
  const absPath = path.join(parts.slice(0, configAt + 1).join(path.sep) || path.sep, relative);
  if (absPath === input.absPath) return undefined;
  try {
    const text = readFileSync(absPath, 'utf8');
    return { source: sourceFromText(displayPath(absPath), text, absPath), statements: configStatements(text, STATEMENTS) };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Cookie, lifetime, secret

/** The cookie_store cookie when no session_store is written: Rack's defaults, secure under force_ssl. */
function defaultCookie(input: ParseInput, here: RailsFile): SessionConfig['cookie'] {
  return { secure: forceSslOf(input, here) ?? { value: false }, httpOnly: { value: true } };
}

function cookieOf(input: ParseInput, here: RailsFile, session: Found, options: RbValue | undefined): SessionConfig['cookie'] {
  const source = session.source;
  const option = (key: string) => hashGet(options, key);
  const bool = (entry: RbEntry | undefined, fallback: Setting<boolean> | undefined): Setting<boolean> | undefined => {
    if (!entry) return fallback;
    return entry.value.t === 'bool' ? settingAt(source, entry.value.v, entry.line, entry.column) : undefined;
  };
  const key = option('key')?.value;
  const sameSite = option('same_site')?.value;
  const secure = bool(option('secure'), forceSslOf(input, here) ?? { value: false });
  const httpOnly = bool(option('httponly'), { value: true });
  return {
    ...(key?.t === 'str' ? { name: key.v } : {}),
    ...(secure ? { secure } : {}),
    ...(httpOnly ? { httpOnly } : {}),
    ...(sameSite && (sameSite.t === 'sym' || sameSite.t === 'str') ? { sameSite: settingAt(source, sameSite.v, option('same_site')!.line, option('same_site')!.column) } : {}),
  };
}

/** `config.force_ssl = true` here or in production.rb: ActionDispatch::SSL marks the session cookie secure. */
function forceSslOf(input: ParseInput, here: RailsFile): Setting<boolean> | undefined {
  const found = last(here, 'force_ssl') ?? last(sibling(input, 'environments/production.rb'), 'force_ssl');
  const value = found?.statement.args[0];
  if (!found || value?.t !== 'bool') return undefined;
  return settingAt(found.source, value.v, found.statement.line, found.statement.column);
}

function lifetimeOf(session: Found, store: string, options: RbValue | undefined, cacheExpiresIn: number | undefined): Setting<number | null> | undefined {
  // redis-session-store reads its TTL from `redis: { ttl: }` or `redis: { expire_after: }` (README); the others from the top level.
  const redis = hashGet(options, 'redis')?.value;
  const entry =
    (store === 'redis_session_store' ? (hashGet(redis, 'ttl') ?? hashGet(redis, 'expire_after')) : undefined) ??
    hashGet(options, 'expire_after') ??
    (store === 'redis_store' ? (hashGet(options, 'expires_in') ?? hashGet(options, 'ttl')) : undefined);
  if (entry) return entry.value.t === 'num' ? settingAt(session.source, entry.value.v, entry.line, entry.column) : undefined;
  if (store === 'cache_store' && cacheExpiresIn !== undefined) return { value: cacheExpiresIn };
  if (['cache_store', 'mem_cache_store', 'redis_session_store', 'redis_store'].includes(store)) return { value: null };
  return undefined;
}

function secretOf(found: Found): SessionSecret | undefined {
  const what = found.statement.name === 'secret_token' ? 'Rails secret_token (signs the session cookie)' : 'Rails secret_key_base (encrypts and signs the session cookie)';
  const value = found.statement.args[0];
  if (value?.t === 'env') {
    if (!value.fallback) return undefined;
    return secretFrom(found, value.fallback, `${what}, its fallback when ${value.name ?? 'the variable'} is unset`);
  }
  return value ? secretFrom(found, value, what) : undefined;
}

function secretFrom(found: Found, value: RbValue, what: string): SessionSecret | undefined {
  const location = locationAt(found.source, found.statement.line, found.statement.column);
  const evidence = evidenceAt(found.source, found.statement.line);
  if (value.t === 'random') return { source: 'per-node', what: `${what}: ${value.call} makes a new one in each process`, location, evidence };
  if (value.t !== 'str' || value.v === '') return undefined;
  const sample = isSampleSecret(value.v);
  return { source: sample ? 'sample' : 'literal', what, location, evidence: sample ? evidence : maskSecretIn(evidence, value.v) };
}
