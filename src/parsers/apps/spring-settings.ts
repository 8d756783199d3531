import { ParseError } from '../../errors.js';
import type { EnvSetting, Location, SessionConfig, SessionStorage, Setting } from '../../model/index.js';
import { springDurationSeconds } from './durations.js';
import type { PropertyLine } from './java-properties.js';
import { redactSecrets } from './redact.js';
import { hostOfEndpoint } from './store-hosts.js';

/**
 * Spring Boot session properties -> a SessionConfig. The same settings arrive from
 * application.properties, application.yml and environment variables; this file knows what they mean.
 *
 * Property names bind "relaxed": `store-type`, `storeType` and `store_type` are one property, and
 * environment variables are the upper-case name with `.` as `_` and `-` dropped (SPRING_SESSION_STORETYPE)
 * or, the legacy form, with `-` as `_` too (SPRING_SESSION_STORE_TYPE).
 * https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.typesafe-configuration-properties.relaxed-binding
 */

/** A property value with where it was set. */
interface Located {
  value: string;
  location: Location;
  evidence: string;
}

/** Properties we read, each with its names from newest to oldest Spring Boot; the first one set wins. */
const KEYS = {
  // Boot 2.x only (SessionProperties.storeType, values of StoreType); Boot 3 picks the store from the classpath.
  storeType: ['spring.session.store-type'],
  // Spring Session's timeout; unset, it falls back to server.servlet.session.timeout.
  // https://docs.spring.io/spring-boot/reference/web/spring-session.html
  sessionTimeout: ['spring.session.timeout'],
  // The servlet container's session timeout, 30m by default (org.springframework.boot.web.servlet.server.Session:
  // `@DurationUnit(ChronoUnit.SECONDS) Duration timeout = Duration.ofMinutes(30)`); server.session.* is Boot 1.x.
  servletTimeout: ['server.servlet.session.timeout', 'server.session.timeout'],
  cookieSecure: ['server.servlet.session.cookie.secure', 'server.session.cookie.secure'],
  cookieHttpOnly: ['server.servlet.session.cookie.http-only', 'server.session.cookie.http-only'],
  cookieSameSite: ['server.servlet.session.cookie.same-site'],
  cookieName: ['server.servlet.session.cookie.name', 'server.session.cookie.name'],
  // Redis connection: spring.data.redis.* since Boot 3, spring.redis.* before. The URL wins over host.
  redisUrl: ['spring.data.redis.url', 'spring.redis.url'],
  redisHost: ['spring.data.redis.host', 'spring.redis.host'],
  redisNodes: ['spring.data.redis.cluster.nodes', 'spring.redis.cluster.nodes', 'spring.data.redis.sentinel.nodes', 'spring.redis.sentinel.nodes'],
} as const;

type KeyName = keyof typeof KEYS;

const SESSION_KEYS: KeyName[] = ['storeType', 'sessionTimeout', 'servletTimeout', 'cookieSecure', 'cookieHttpOnly', 'cookieSameSite', 'cookieName'];
const REDIS_KEYS: KeyName[] = ['redisUrl', 'redisHost', 'redisNodes'];

/** Relaxed binding's comparison form: lower case, without `-` and `_`. */
export function canonicalKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

const BY_CANONICAL = new Map<string, KeyName>();
for (const [name, keys] of Object.entries(KEYS) as Array<[KeyName, readonly string[]]>) {
  for (const key of keys) BY_CANONICAL.set(canonicalKey(key), name);
}

/** Keys that make a YAML document or properties section conditional (profile-specific). */
const ACTIVATION_KEYS = new Set(['spring.config.activate.onprofile', 'spring.config.activate.oncloudplatform', 'spring.profiles'].map(canonicalKey));

/** Does this section apply only under some profile (`spring.config.activate.on-profile`, Boot < 2.4 `spring.profiles`)? */
export function isConditional(lines: PropertyLine[]): boolean {
  return lines.some((line) => ACTIVATION_KEYS.has(canonicalKey(line.key)));
}

/** Session-related settings, each under its full property name; later lines win, as in Spring. */
export type SpringSettings = Map<string, Located>;

export function settingsFromLines(file: string, lines: PropertyLine[], textLines: string[]): SpringSettings {
  const settings: SpringSettings = new Map();
  for (const line of lines) {
    const canonical = canonicalKey(line.key);
    if (!BY_CANONICAL.has(canonical)) continue;
    settings.set(canonical, {
      value: line.value,
      location: { file, line: line.line, column: line.column },
      evidence: redactSecrets((textLines[line.line - 1] ?? '').trim()),
    });
  }
  return settings;
}

/** Environment variables that set session properties, by relaxed binding's two environment forms. */
export function settingsFromEnv(env: EnvSetting[]): SpringSettings {
  const byEnvName = new Map<string, string>();
  for (const keys of Object.values(KEYS)) {
    for (const key of keys) {
      byEnvName.set(key.replace(/-/g, '').replace(/\./g, '_').toUpperCase(), canonicalKey(key));
      byEnvName.set(key.replace(/[-.]/g, '_').toUpperCase(), canonicalKey(key));
    }
  }
  const settings: SpringSettings = new Map();
  for (const setting of env) {
    const canonical = byEnvName.get(setting.name.toUpperCase());
    if (!canonical) continue;
    settings.set(canonical, { value: setting.value, location: setting.location, evidence: redactSecrets(`${setting.name}=${setting.value}`) });
  }
  return settings;
}

export interface SettingsContext {
  appRoot: string;
  /**
   * A profile file, profile section or environment: it changes what it names and nothing else, so
   * framework defaults are not filled in (the base application.properties may set them).
   */
  overlay: boolean;
  /** Config files throw ParseError for values Spring would refuse at startup; environment values are only skipped. */
  strict: boolean;
}

/** spring.session.store-type values (Boot 2.x StoreType). `none` turns Spring Session off: container sessions. */
const STORE_TYPES: Record<string, SessionStorage> = { redis: 'redis', jdbc: 'database', mongodb: 'database', hazelcast: 'shared', none: 'memory' };

/** Default Redis host: RedisProperties `host = "localhost"`. https://docs.spring.io/spring-boot/appendix/application-properties/index.html#application-properties.data.spring.data.redis.host */
const DEFAULT_REDIS_HOST = 'localhost';
/** server.servlet.session.timeout's default, 30 minutes (see KEYS.servletTimeout). */
const DEFAULT_TIMEOUT_SECONDS = 30 * 60;

/**
 * The SessionConfig these settings describe, or undefined when they say nothing about sessions or
 * their Redis. Fields the settings do not reach stay unset, except that a base file (not an overlay)
 * that configures sessions gets the documented defaults for cookie flags and timeout, without location.
 */
export function sessionConfigFromSettings(settings: SpringSettings, context: SettingsContext): SessionConfig | undefined {
  const get = (name: KeyName): Located | undefined => {
    for (const key of KEYS[name]) {
      const found = settings.get(canonicalKey(key));
      if (found) return found;
    }
    return undefined;
  };
  const sessionSettings = SESSION_KEYS.map(get).filter((found): found is Located => found !== undefined);
  const redisSettings = REDIS_KEYS.map(get).filter((found): found is Located => found !== undefined);
  if (sessionSettings.length === 0 && redisSettings.length === 0) return undefined;

  const storeType = get('storeType');
  const storeTypeValue = storeType ? placeholderValue(storeType.value)?.toLowerCase() : undefined;
  const storage: SessionStorage = storeTypeValue === undefined ? 'unknown' : (STORE_TYPES[storeTypeValue] ?? 'unknown');
  const anchor = storeType ?? earliest(sessionSettings) ?? earliest(redisSettings)!;

  const config: SessionConfig = {
    kind: 'session-config',
    framework: 'spring',
    frameworkName: 'Spring Boot',
    storage,
    storageDetail: storageDetail(storeType, storeTypeValue),
    storeHosts: storage === 'redis' || storage === 'unknown' ? redisHosts(get, storage === 'redis' && !context.overlay) : [],
    location: anchor.location,
    evidence: anchor.evidence,
    appRoot: context.appRoot,
    cookie: {},
  };
  const defaults = !context.overlay && sessionSettings.length > 0;

  const name = get('cookieName');
  const nameValue = name && placeholderValue(name.value);
  if (nameValue) config.cookie.name = nameValue;
  // Secure: not set by default, the container marks the cookie Secure only when told to.
  const secure = booleanSetting(get('cookieSecure'), context, defaults ? false : undefined);
  if (secure) config.cookie.secure = secure;
  // HttpOnly: Tomcat's Context useHttpOnly defaults to true, and Spring Session's DefaultCookieSerializer
  // useHttpOnlyCookie too. https://tomcat.apache.org/tomcat-10.1-doc/config/context.html
  const httpOnly = booleanSetting(get('cookieHttpOnly'), context, defaults ? true : undefined);
  if (httpOnly) config.cookie.httpOnly = httpOnly;
  const sameSite = get('cookieSameSite');
  const sameSiteValue = sameSite && placeholderValue(sameSite.value);
  if (sameSite && sameSiteValue) config.cookie.sameSite = located(sameSiteValue, sameSite);

  // Spring Session reads spring.session.timeout first; the container (store-type none) only its own.
  const timeout = storage === 'memory' ? get('servletTimeout') : (get('sessionTimeout') ?? get('servletTimeout'));
  if (timeout) {
    const lifetime = lifetimeSetting(timeout, context);
    if (lifetime) config.lifetime = lifetime;
  } else if (defaults) {
    config.lifetime = { value: DEFAULT_TIMEOUT_SECONDS };
  }
  return config;
}

function storageDetail(storeType: Located | undefined, value: string | undefined): string {
  if (!storeType) return 'no spring.session.store-type here: the build\'s spring-session dependency picks the store';
  if (value === undefined) return `spring.session.store-type=${storeType.value} (resolved at run time)`;
  if (value === 'none') return 'spring.session.store-type=none: Spring Session is off, the servlet container keeps sessions in memory';
  return `spring.session.store-type=${value}`;
}

function earliest(settings: Located[]): Located | undefined {
  return [...settings].sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column)[0];
}

function located<T>(value: T, at: Located): Setting<T> {
  return { value, location: at.location, evidence: at.evidence };
}

/**
 * A `${NAME:default}` placeholder resolves to its default; any other placeholder is only known at run
 * time (undefined). Plain values pass through trimmed.
 * https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.files.property-placeholders
 */
function placeholderValue(value: string): string | undefined {
  const text = value.trim();
  const single = /^\$\{[^:}]+:([^}]*)\}$/.exec(text);
  if (single) return single[1].trim();
  return text.includes('${') ? undefined : text;
}

/** Spring's StringToBooleanConverter: true/on/yes/1 and false/off/no/0, any case. */
function booleanSetting(at: Located | undefined, context: SettingsContext, fallback: boolean | undefined): Setting<boolean> | undefined {
  if (!at) return fallback === undefined ? undefined : { value: fallback };
  const text = placeholderValue(at.value)?.toLowerCase();
  if (text === undefined) return undefined;
  if (['true', 'on', 'yes', '1'].includes(text)) return located(true, at);
  if (['false', 'off', 'no', '0'].includes(text)) return located(false, at);
  if (context.strict) throw new ParseError(`"${at.value}" is not a boolean (true or false)`, at.location.file, at.location.line, at.location.column);
  return undefined;
}

/**
 * Seconds, or null for a timeout of zero or less: the servlet spec's "never times out". The value is
 * kept as written; embedded Tomcat rounds it to whole minutes (at least one) when it applies it.
 */
function lifetimeSetting(at: Located, context: SettingsContext): Setting<number | null> | undefined {
  const text = placeholderValue(at.value);
  if (text === undefined) return undefined;
  const seconds = springDurationSeconds(text);
  if (seconds === undefined) {
    if (!context.strict) return undefined;
    throw new ParseError(`"${at.value}" is not a duration (30m, 1h, PT30M, or seconds)`, at.location.file, at.location.line, at.location.column);
  }
  return located(seconds <= 0 ? null : seconds, at);
}

/** Hosts named by the Redis URL, host or cluster/sentinel nodes (no ports, no credentials). */
function redisHosts(get: (name: KeyName) => Located | undefined, defaultHost: boolean): string[] {
  const hosts: string[] = [];
  const url = get('redisUrl');
  const urlValue = url && placeholderValue(url.value);
  if (urlValue) {
    try {
      const host = new URL(urlValue).hostname.replace(/^\[(.*)\]$/, '$1');
      if (host) hosts.push(host);
    } catch {
      // not a URL Spring could use either; its host is unknown
    }
  }
  const host = get('redisHost');
  const hostValue = host && placeholderValue(host.value);
  if (hostValue && hosts.length === 0) hosts.push(hostValue);
  const nodes = get('redisNodes');
  const nodesValue = nodes && placeholderValue(nodes.value);
  if (nodesValue) {
    for (const node of nodesValue.split(',')) {
      const name = hostOfEndpoint(node);
      if (name) hosts.push(name);
    }
  }
  if (hosts.length === 0 && defaultHost && !url && !host && !nodes) hosts.push(DEFAULT_REDIS_HOST);
  return [...new Set(hosts)];
}
