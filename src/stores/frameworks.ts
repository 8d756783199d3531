/**
 * Session keys of the common frameworks, by their default key shape. Each entry cites where the
 * default comes from. `role` separates the session itself from the bookkeeping some frameworks keep
 * beside it (Spring Session's expiry keys and principal indexes), which live by other rules.
 */
export type SessionKeyRole = 'session' | 'expiry' | 'index';

export interface SessionFramework {
  id: string;
  name: string;
  /** The namespace pattern shown in reports. */
  glob: string;
  role: SessionKeyRole;
  match: RegExp;
}

/**
 * Default idle timeouts: connect-redis TTL 86400 s (README, `ttl`); Spring Session maxInactiveInterval
 * 1800 s; PHP session.gc_maxlifetime 1440 s (phpredis, php-memcached, Symfony use it); Laravel
 * SESSION_LIFETIME 120 min; Django SESSION_COOKIE_AGE 2 weeks; Flask PERMANENT_SESSION_LIFETIME 31 days;
 * gorilla/sessions MaxAge 30 days; ASP.NET Core SessionOptions.IdleTimeout 20 min.
 */
const IDLE_DEFAULTS: Record<string, number> = {
  'connect-redis': 86_400,
  'spring-session': 1_800,
  phpredis: 1_440,
  'php-memcached': 1_440,
  symfony: 1_440,
  laravel: 7_200,
  django: 1_209_600,
  'flask-session': 2_678_400,
  redistore: 2_592_000,
  'aspnet-core': 1_200,
};

export function idleTimeoutOf(frameworkId: string | null): number | undefined {
  return frameworkId ? IDLE_DEFAULTS[frameworkId] : undefined;
}

export const FRAMEWORKS: readonly SessionFramework[] = [
  // connect-redis: `prefix` defaults to "sess:" (connect-redis README, options).
  { id: 'connect-redis', name: 'express-session (connect-redis)', glob: 'sess:*', role: 'session', match: /^sess:./ },
  // Spring Session Data Redis, RedisIndexedSessionRepository: namespace "spring:session", session hashes
  // under "sessions:", expiry shadow keys "sessions:expires:", minute buckets "expirations:", and
  // FindByIndexNameSessionRepository principal indexes under "index:".
  { id: 'spring-session', name: 'Spring Session', glob: 'spring:session:sessions:expires:*', role: 'expiry', match: /^spring:session:(?:[^:]+:)?sessions:expires:./ },
  { id: 'spring-session', name: 'Spring Session', glob: 'spring:session:expirations:*', role: 'expiry', match: /^spring:session:(?:[^:]+:)?expirations:./ },
  { id: 'spring-session', name: 'Spring Session', glob: 'spring:session:index:*', role: 'index', match: /^spring:session:(?:[^:]+:)?index:./ },
  { id: 'spring-session', name: 'Spring Session', glob: 'spring:session:sessions:*', role: 'session', match: /^spring:session:(?:[^:]+:)?sessions:./ },
  // phpredis session handler: session.save_path prefix defaults to "PHPREDIS_SESSION:" (phpredis README, Session handler).
  { id: 'phpredis', name: 'PHP (phpredis session handler)', glob: 'PHPREDIS_SESSION:*', role: 'session', match: /^PHPREDIS_SESSION:./ },
  // php-memcached session handler: memcached.sess_prefix defaults to "memc.sess.key." (php-memcached memcached.ini).
  { id: 'php-memcached', name: 'PHP (memcached session handler)', glob: 'memc.sess.key.*', role: 'session', match: /^memc\.sess\.(?:key\.)?./ },
  // Laravel, SESSION_DRIVER=redis: database prefix Str::slug(APP_NAME)."_database_" (config/database.php)
  // then the cache prefix Str::slug(APP_NAME)."_cache_" (config/cache.php); older releases used "laravel:".
  { id: 'laravel', name: 'Laravel', glob: '*_database_*_cache_*', role: 'session', match: /^[a-z0-9_-]*_database_[a-z0-9_-]*_cache[_:]./i },
  { id: 'laravel', name: 'Laravel', glob: 'laravel:*', role: 'session', match: /^laravel:[A-Za-z0-9]{40}$/ },
  // Symfony RedisSessionHandler: option "prefix" defaults to "sf_s" (HttpFoundation RedisSessionHandler).
  { id: 'symfony', name: 'Symfony', glob: 'sf_s*', role: 'session', match: /^sf_s[a-z0-9,-]{20,}$/i },
  // Django cache / cached_db session backends: cache key "django.contrib.sessions.cache" (or "cached_db")
  // + session key, made by the cache's make_key as KEY_PREFIX:VERSION:key, so ":1:" by default.
  { id: 'django', name: 'Django', glob: ':1:django.contrib.sessions.cache*', role: 'session', match: /^[^:]*:\d+:django\.contrib\.sessions\.cached?(?:_db)?./ },
  // Rails: redis-rack's Rack::Session::Redis namespace "rack:session" and redis-session-store's
  // documented "_session_id:" key prefix example (README).
  { id: 'rails', name: 'Rails / Rack (redis-rack)', glob: 'rack:session:*', role: 'session', match: /^rack:session:./ },
  { id: 'rails', name: 'Rails (redis-session-store)', glob: '_session_id:*', role: 'session', match: /^_session_id:./ },
  // Flask-Session: SESSION_KEY_PREFIX defaults to "session:" (Flask-Session configuration docs).
  { id: 'flask-session', name: 'Flask-Session', glob: 'session:*', role: 'session', match: /^session:./ },
  // gorilla/sessions with redistore: keyPrefix defaults to "session_" (boj/redistore, NewRediStore).
  { id: 'redistore', name: 'Go gorilla/redistore', glob: 'session_*', role: 'session', match: /^session_[A-Z0-9]{16,}$/i },
];

/** The framework whose default key shape this key has, if any (first match: specific shapes come first). */
export function recogniseKey(key: string): SessionFramework | undefined {
  for (const framework of FRAMEWORKS) if (framework.match.test(key)) return framework;
  return undefined;
}

/**
 * ASP.NET Core's distributed cache (Microsoft.Extensions.Caching.StackExchangeRedis) keeps every entry,
 * sessions included, as a hash with fields "absexp", "sldexp" and "data"; the key is InstanceName + id,
 * so only the value shape tells it apart.
 */
export const ASPNET_HASH_FIELDS = ['absexp', 'sldexp', 'data'] as const;

export function isAspNetCacheHash(fields: readonly string[]): boolean {
  return ASPNET_HASH_FIELDS.every((field) => fields.includes(field));
}
