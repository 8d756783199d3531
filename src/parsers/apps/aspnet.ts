import type { Location, SessionConfig, SessionCookieSettings, SessionStorage, Setting } from '../../model/index.js';
import type { ParseInput } from '../types.js';
import { appRootOf } from './app-root.js';
import { blankComments, CSHARP, LineIndex } from './code-text.js';
import { findCalls, lastAssignment, stringLiteral, stringLiterals, type CallSite } from './csharp-calls.js';
import { timeSpanSeconds } from './durations.js';
import { redactSecrets } from './redact.js';
import { hostOfEndpoint } from './store-hosts.js';
import type { AppSettingsReader } from './types.js';

/**
 * ASP.NET Core: the service registrations in Program.cs (minimal hosting) or Startup.cs. Two things
 * keep per-user state there, and each gives a SessionConfig:
 * - session state, `AddSession(...)`: data in whichever IDistributedCache the app registers, the
 *   cookie only carries the session id;
 * - cookie authentication, `AddAuthentication().AddCookie(...)`, `AddIdentity<...>()`: the
 *   authentication ticket itself travels in the cookie (storage 'cookie').
 * Both cookies are protected with the Data Protection key ring; when that ring is not persisted to a
 * shared place, each node makes its own and cannot read the others' cookies (secret 'per-node').
 * Source we cannot follow (options from configuration, helper methods) leaves fields at their
 * defaults or unset; it never throws.
 */

const HINT = /AddSession|AddDistributed|AddDataProtection|AddCookie|AddStackExchangeRedisCache|AddIdentity|AddEnyimMemcached|ConfigureApplicationCookie/;

/**
 * IDistributedCache registrations. AddDistributedMemoryCache registers with TryAdd, so any other cache
 * registered before or after it wins (dotnet/runtime MemoryCacheServiceCollectionExtensions); among the
 * others the last registration wins, as in any DI container.
 */
const CACHES: Array<{ name: string; storage: SessionStorage; detail: string }> = [
  { name: 'AddDistributedMemoryCache', storage: 'memory', detail: 'MemoryDistributedCache: each process keeps its own sessions' },
  // Microsoft.Extensions.Caching.StackExchangeRedis; AddDistributedRedisCache is its pre-2.2 name
  // (Microsoft.Extensions.Caching.Redis); AddRedisDistributedCache is .NET Aspire's.
  { name: 'AddStackExchangeRedisCache|AddDistributedRedisCache|AddRedisDistributedCache', storage: 'redis', detail: 'RedisCache' },
  // Microsoft.Extensions.Caching.SqlServer, Microsoft.Extensions.Caching.Postgres and the community
  // PostgreSQL, MySQL (Pomelo) and SQLite caches, Azure Cosmos DB (Microsoft.Extensions.Caching.Cosmos).
  { name: 'AddDistributed(?:SqlServer|Postgres|PostgreSql|MySql|Sqlite)Cache|AddCosmosCache', storage: 'database', detail: 'a database table' },
  // EnyimMemcachedCore's MemcachedClient implements IDistributedCache.
  { name: 'AddEnyimMemcached', storage: 'memcached', detail: 'EnyimMemcachedCore' },
  { name: 'AddNCacheDistributedCache', storage: 'shared', detail: 'NCache' },
];

/**
 * SessionOptions defaults (dotnet/aspnetcore src/Middleware/Session/src/SessionOptions.cs): IdleTimeout
 * 20 minutes; the cookie ".AspNetCore.Session", HttpOnly, SameSite=Lax, SecurePolicy None (never Secure).
 */
const SESSION_DEFAULTS = { name: '.AspNetCore.Session', idleSeconds: 20 * 60, secure: 'None' };
/**
 * CookieAuthenticationOptions defaults (src/Security/Authentication/Cookies/src/CookieAuthenticationOptions.cs):
 * ExpireTimeSpan 14 days; HttpOnly, SameSite=Lax, SecurePolicy SameAsRequest. Identity names its
 * application cookie ".AspNetCore.Identity.Application" (IdentityConstants.ApplicationScheme).
 */
const COOKIE_AUTH_DEFAULTS = { name: '.AspNetCore.Cookies', identityName: '.AspNetCore.Identity.Application', expireSeconds: 14 * 86400, secure: 'SameAsRequest' };

export const aspnetReader: AppSettingsReader = {
  id: 'aspnet-core',

  wants(fileName) {
    return /\.cs$/i.test(fileName);
  },

  read(input) {
    if (!HINT.test(input.text)) return [];
    const code = blankComments(input.text, CSHARP);
    const skeleton = blankComments(input.text, CSHARP, { strings: true });
    const source = new SourceFile(input, code, skeleton, new LineIndex(code));
    const configs: SessionConfig[] = [];
    const session = sessionConfig(source);
    if (session) configs.push(session);
    const cookieAuth = cookieAuthConfig(source);
    if (cookieAuth) configs.push(cookieAuth);
    if (configs.length === 0) return [];
    // One key ring protects both cookies: report it once, on the config that comes first in the file.
    configs.sort((a, b) => a.location.line - b.location.line);
    const secret = perNodeKeyRing(source, configs[0]);
    if (secret) configs[0].secret = secret;
    return configs;
  },
};

/** The file with its comment-free code (and that code without string contents), for locating matches. */
class SourceFile {
  readonly appRoot: string;

  constructor(
    readonly input: ParseInput,
    readonly code: string,
    readonly skeleton: string,
    readonly lines: LineIndex,
  ) {
    this.appRoot = appRootOf(input.absPath);
  }

  calls(name: string): CallSite[] {
    return findCalls(this.code, this.skeleton, this.lines, name);
  }

  location(offset: number): Location {
    return { file: this.input.file, ...this.lines.at(offset) };
  }

  /** The trimmed source line at an offset, secrets masked. */
  evidence(offset: number): string {
    return redactSecrets((this.input.lines()[this.lines.at(offset).line - 1] ?? '').trim());
  }
}

function sessionConfig(source: SourceFile): SessionConfig | undefined {
  const call = source.calls('AddSession')[0];
  if (!call) return undefined;
  // Options come from the AddSession lambda and from any Configure<SessionOptions>(...).
  const options = [call, ...source.calls(String.raw`Configure(?=\s*<\s*SessionOptions\s*>)`)];
  const cache = sessionCache(source);
  const config: SessionConfig = {
    kind: 'session-config',
    framework: 'aspnet-core',
    frameworkName: 'ASP.NET Core session',
    storage: cache.storage,
    storageDetail: cache.detail,
    storeHosts: cache.hosts,
    location: source.location(call.offset),
    evidence: source.evidence(call.offset),
    appRoot: source.appRoot,
    cookie: cookieSettings(source, options, SESSION_DEFAULTS.name, SESSION_DEFAULTS.secure),
  };
  const lifetime = timeSpanSetting(source, options, String.raw`IdleTimeout`, SESSION_DEFAULTS.idleSeconds);
  if (lifetime) config.lifetime = lifetime;
  return config;
}

function sessionCache(source: SourceFile): { storage: SessionStorage; detail: string; hosts: string[] } {
  type Found = { call: CallSite; cache: (typeof CACHES)[number] };
  let memory: Found | undefined;
  let shared: Found | undefined;
  for (const cache of CACHES) {
    for (const call of source.calls(cache.name)) {
      if (cache.storage === 'memory') memory ??= { call, cache };
      else if (!shared || call.offset > shared.call.offset) shared = { call, cache };
    }
  }
  const chosen = shared ?? memory;
  if (chosen) {
    const { call, cache } = chosen;
    return { storage: cache.storage, detail: `${call.name} (${cache.detail})`, hosts: cacheHosts(call, cache.storage) };
  }
  return { storage: 'unknown', detail: 'AddSession without an IDistributedCache registration in this file', hosts: [] };
}

/**
 * Hosts from literal connection settings: a StackExchange.Redis configuration string
 * ("redis:6379,password=...,ssl=true": endpoints are the entries without "=", options are never
 * copied) or EndPoints.Add(...); memcached servers from AddServer("host", port) or Address = "host".
 * https://stackexchange.github.io/StackExchange.Redis/Configuration.html
 */
function cacheHosts(call: CallSite, storage: SessionStorage): string[] {
  const hosts: string[] = [];
  if (storage === 'redis') {
    const configuration = lastAssignment(call.args, 'Configuration', 0);
    const text = configuration && stringLiteral(configuration.expression);
    if (text) {
      for (const entry of text.split(',')) {
        if (entry.includes('=')) continue;
        const host = hostOfEndpoint(entry);
        if (host) hosts.push(host);
      }
    }
    for (const match of call.args.matchAll(/EndPoints\s*(?:\.Add\s*\(|=\s*\{)([^;]*)/g)) {
      const literal = stringLiterals(match[1])[0];
      const host = literal && hostOfEndpoint(literal);
      if (host) hosts.push(host);
    }
  } else if (storage === 'memcached') {
    for (const match of call.args.matchAll(/(?:AddServer\s*\(|Address\s*=)\s*("(?:[^"\\]|\\.)*")/g)) {
      const host = hostOfEndpoint(stringLiteral(match[1]) ?? '');
      if (host) hosts.push(host);
    }
  }
  return [...new Set(hosts)];
}

/** Cookie authentication: AddCookie, or ASP.NET Core Identity, which registers it. */
function cookieAuthConfig(source: SourceFile): SessionConfig | undefined {
  const call = source.calls(String.raw`AddCookie|Add(?:Default)?Identity|AddIdentityCookies`)[0];
  if (!call) return undefined;
  const identity = call.name !== 'AddCookie';
  const options = [
    call,
    ...source.calls(String.raw`ConfigureApplicationCookie`),
    ...source.calls(String.raw`Configure(?=\s*<\s*CookieAuthenticationOptions\s*>)`),
  ];
  // With options.SessionStore (an ITicketStore) the ticket stays on the server and the cookie
  // carries only a key to it; where that store lives is in the app's own class.
  const ticketStore = options.map((site) => lastAssignment(site.args, 'SessionStore', site.argsOffset)).find(Boolean);
  const config: SessionConfig = {
    kind: 'session-config',
    framework: 'aspnet-core',
    frameworkName: 'ASP.NET Core cookie authentication',
    storage: ticketStore ? 'unknown' : 'cookie',
    storageDetail: ticketStore
      ? `authentication tickets in a custom ITicketStore (SessionStore = ${ticketStore.expression})`
      : `${call.name}: the authentication ticket travels in the cookie, encrypted with the Data Protection keys`,
    storeHosts: [],
    location: source.location(call.offset),
    evidence: source.evidence(call.offset),
    appRoot: source.appRoot,
    cookie: cookieSettings(source, options, identity ? COOKIE_AUTH_DEFAULTS.identityName : COOKIE_AUTH_DEFAULTS.name, COOKIE_AUTH_DEFAULTS.secure),
  };
  const lifetime = timeSpanSetting(source, options, String.raw`ExpireTimeSpan`, COOKIE_AUTH_DEFAULTS.expireSeconds);
  if (lifetime) config.lifetime = lifetime;
  return config;
}

/**
 * Cookie flags from the option lambdas (the last assignment wins), else the framework default without a
 * location. CookieSecurePolicy: Always marks the cookie Secure; None never does; SameAsRequest marks it
 * only on HTTPS requests, and behind a TLS-terminating proxy the app sees plain HTTP, so the cookie goes
 * out without Secure: we count SameAsRequest as not secure.
 * https://learn.microsoft.com/dotnet/api/microsoft.aspnetcore.http.cookiesecurepolicy
 */
function cookieSettings(source: SourceFile, options: CallSite[], defaultName: string, defaultPolicy: string): SessionCookieSettings {
  const find = (property: string) => {
    let found: { expression: string; offset: number } | undefined;
    for (const site of options) found = lastAssignment(site.args, property, site.argsOffset) ?? found;
    return found;
  };
  const cookie: SessionCookieSettings = {};
  const name = find(String.raw`(?:Cookie\.)?Name`);
  cookie.name = (name && stringLiteral(name.expression)) ?? defaultName;

  const policy = find(String.raw`(?:Cookie\.)?SecurePolicy`);
  const policyName = policy && /(?:CookieSecurePolicy\.)?(Always|SameAsRequest|None)$/.exec(policy.expression)?.[1];
  if (policy && policyName) cookie.secure = locatedSetting(source, policyName === 'Always', policy.offset);
  else if (!policy) cookie.secure = { value: defaultPolicy === 'Always' };

  const httpOnly = find(String.raw`(?:Cookie\.)?HttpOnly`);
  if (httpOnly && /^(true|false)$/.test(httpOnly.expression)) cookie.httpOnly = locatedSetting(source, httpOnly.expression === 'true', httpOnly.offset);
  else if (!httpOnly) cookie.httpOnly = { value: true };

  const sameSite = find(String.raw`(?:Cookie\.)?SameSite`);
  const sameSiteName = sameSite && /(?:SameSiteMode\.)?(None|Lax|Strict|Unspecified)$/.exec(sameSite.expression)?.[1];
  if (sameSite && sameSiteName) cookie.sameSite = locatedSetting(source, sameSiteName, sameSite.offset);
  else if (!sameSite) cookie.sameSite = { value: 'Lax' };
  return cookie;
}

/** A TimeSpan option in seconds (null: TimeSpan.MaxValue); the default when unset; undefined when computed. */
function timeSpanSetting(source: SourceFile, options: CallSite[], property: string, defaultSeconds: number): Setting<number | null> | undefined {
  let found: { expression: string; offset: number } | undefined;
  for (const site of options) found = lastAssignment(site.args, property, site.argsOffset) ?? found;
  if (!found) return { value: defaultSeconds };
  const seconds = timeSpanSeconds(found.expression);
  return seconds === undefined ? undefined : locatedSetting(source, seconds, found.offset);
}

function locatedSetting<T>(source: SourceFile, value: T, offset: number): Setting<T> {
  return { value, location: source.location(offset), evidence: source.evidence(offset) };
}

/**
 * The Data Protection key ring, when each node keeps its own. By default keys live in a per-user or
 * per-machine folder, or only in memory when neither exists (a container): nodes then cannot decrypt
 * each other's session and auth cookies.
 * https://learn.microsoft.com/aspnet/core/security/data-protection/configuration/default-settings
 * Any PersistKeysTo... provider (Redis, a DbContext, Azure Blob Storage, a file system folder, ...)
 * counts as shared, except PersistKeysToRegistry, which is the machine's own registry.
 * PersistKeysToFileSystem is shared only when the folder is a shared volume or network share; we
 * cannot see mounts from here, so we trust it.
 * https://learn.microsoft.com/aspnet/core/security/data-protection/implementation/key-storage-providers
 */
function perNodeKeyRing(source: SourceFile, config: SessionConfig): SessionConfig['secret'] {
  const persisted = source.calls(String.raw`PersistKeysTo\w+`).filter((call) => call.name !== 'PersistKeysToRegistry');
  if (persisted.length > 0) return undefined;
  const dataProtection = source.calls('AddDataProtection')[0];
  const location = dataProtection ? source.location(dataProtection.offset) : config.location;
  return {
    source: 'per-node',
    what: 'Data Protection key ring',
    location,
    evidence: dataProtection ? source.evidence(dataProtection.offset) : config.evidence,
  };
}
