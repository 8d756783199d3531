import path from 'node:path';
import { ParseError } from '../../errors.js';
import type { Location, SessionConfig, SessionSecret, SessionStorage, Setting } from '../../model/index.js';
import type { ParseInput } from '../types.js';
import { appRootOf } from './app-root.js';
import { parseDotenv } from './dotenv.js';
import { maskSecretIn, redactCredentials } from './redact.js';
import { isSampleSecret } from './sample-secrets.js';
import { evidenceAt, locationAt } from './setting-at.js';
import { hostsIn } from './store-hosts.js';
import type { AppSettingsReader } from './types.js';

/**
 * Laravel sessions, from the environment files (`.env`, `.env.production`, `production.env`, ...),
 * a deployment's environment variables (fromEnv), and config/session.php. Each gives its own
 * SessionConfig, merged later by appRoot:
 * - an env file or a deployment: SESSION_DRIVER -> storage (REDIS_HOST / REDIS_URL / MEMCACHED_HOST
 *   -> storeHosts), SESSION_LIFETIME -> lifetime, SESSION_SECURE_COOKIE / SESSION_HTTP_ONLY /
 *   SESSION_SAME_SITE / SESSION_COOKIE (or APP_NAME) -> cookie, a literal APP_KEY -> secret. A file
 *   without SESSION_DRIVER says storage 'unknown': config/session.php decides. (SESSION_HTTP_ONLY and
 *   SESSION_SAME_SITE are only read by the config/session.php of Laravel 11 and later.)
 * - config/session.php: the driver it falls back to (`env('SESSION_DRIVER', 'file')`), lifetime,
 *   secure, http_only, same_site, cookie name when written as literals or env() defaults.
 * Defaults are those of the config/session.php Laravel ships (laravel/laravel): driver 'file' up to
 * Laravel 10 and 'database' from Laravel 11, lifetime 120 minutes, secure env('SESSION_SECURE_COOKIE')
 * (unset: null, not secure), http_only true, same_site 'lax', cookie `<app name>_session`.
 * APP_KEY encrypts every Laravel cookie, the session cookie (and the cookie driver's whole session) included.
 */

const DRIVERS: Record<string, { storage: SessionStorage; detail: string }> = {
  file: { storage: 'file', detail: 'files in storage/framework/sessions on each node' },
  cookie: { storage: 'cookie', detail: 'the whole session in an encrypted cookie' },
  database: { storage: 'database', detail: 'the sessions table' },
  redis: { storage: 'redis', detail: 'Redis' },
  memcached: { storage: 'memcached', detail: 'Memcached' },
  dynamodb: { storage: 'shared', detail: 'DynamoDB' },
  array: { storage: 'memory', detail: 'a PHP array: nothing outlives the request' },
  apc: { storage: 'memory', detail: 'APCu, the memory of one server' },
};

/** Keys only Laravel's config reads; a SESSION_SECRET (express-session habit) is not one. */
const SESSION_KEYS = new Set([
  'SESSION_DRIVER', 'SESSION_LIFETIME', 'SESSION_EXPIRE_ON_CLOSE', 'SESSION_ENCRYPT', 'SESSION_PATH', 'SESSION_DOMAIN',
  'SESSION_SECURE_COOKIE', 'SESSION_HTTP_ONLY', 'SESSION_SAME_SITE', 'SESSION_PARTITIONED_COOKIE', 'SESSION_CONNECTION',
  'SESSION_STORE', 'SESSION_COOKIE', 'SESSION_TABLE',
]);

/** Example files hold placeholders that every install replaces; their APP_KEY is not the app's key. */
const TEMPLATE_ENV = /^\.env\.(example|sample|dist|template|defaults)$/;

/** Laravel 5.0's .env.example shipped this placeholder, and apps went live with it. */
const LARAVEL_SAMPLE_KEY = 'SomeRandomString';

const DEFAULT_LIFETIME_MINUTES = 120;

interface Fact {
  value: string;
  location: Location;
  evidence: string;
}

export const laravelReader: AppSettingsReader = {
  id: 'laravel',
  wants(fileName) {
    return fileName === '.env' || fileName.startsWith('.env.') || fileName.endsWith('.env') || fileName === 'session.php';
  },
  read(input) {
    const name = path.basename(input.file);
    if (name === 'session.php') return readSessionPhp(input);
    const { entries, problems } = parseDotenv(input);
    const facts = new Map<string, Fact>();
    for (const entry of entries) {
      facts.set(entry.key, { value: entry.value, location: locationAt(input, entry.line, entry.column), evidence: evidenceAt(input, entry.line) });
    }
    if (!isLaravel(facts)) return [];
    // phpdotenv refuses a file with a broken line, and so Laravel would not start: say where.
    if (problems.length > 0) throw new ParseError(problems[0].message, input.file, problems[0].line, problems[0].column);
    const config = fromFacts(facts, appRootOf(input.absPath), !TEMPLATE_ENV.test(name));
    return config ? [config] : [];
  },
  fromEnv(env, appRoot) {
    const facts = new Map<string, Fact>();
    for (const setting of env) {
      facts.set(setting.name, { value: setting.value, location: setting.location, evidence: redactCredentials(`${setting.name}=${setting.value}`) });
    }
    if (!isLaravel(facts)) return [];
    const config = fromFacts(facts, appRoot, true);
    return config ? [config] : [];
  },
};

function isLaravel(facts: Map<string, Fact>): boolean {
  return [...facts.keys()].some((key) => SESSION_KEYS.has(key)) || (facts.get('APP_KEY')?.value.startsWith('base64:') ?? false);
}

function fromFacts(facts: Map<string, Fact>, appRoot: string, secretCounts: boolean): SessionConfig | undefined {
  const driver = facts.get('SESSION_DRIVER');
  const anchor = driver ?? [...facts.entries()].filter(([key]) => SESSION_KEYS.has(key)).map(([, fact]) => fact)[0] ?? maskedAppKey(facts);
  if (!anchor) return undefined;
  const { storage, storageDetail, storeHosts } = storageOf(facts);
  const secret = secretCounts ? appKeySecret(facts) : undefined;
  return {
    kind: 'session-config',
    framework: 'laravel',
    frameworkName: 'Laravel',
    storage,
    storageDetail,
    storeHosts,
    location: anchor.location,
    evidence: anchor.evidence,
    appRoot,
    cookie: {
      name: cookieName(facts),
      secure: boolFact(facts.get('SESSION_SECURE_COOKIE'), false),
      httpOnly: boolFact(facts.get('SESSION_HTTP_ONLY'), true),
      ...sameSiteFact(facts.get('SESSION_SAME_SITE')),
    },
    lifetime: lifetimeFact(facts.get('SESSION_LIFETIME')),
    ...(secret ? { secret } : {}),
  };
}

function storageOf(facts: Map<string, Fact>): { storage: SessionStorage; storageDetail: string; storeHosts: string[] } {
  const driver = facts.get('SESSION_DRIVER');
  if (!driver) {
    return {
      storage: 'unknown',
      storageDetail: 'SESSION_DRIVER not set here: config/session.php decides (file up to Laravel 10, database from Laravel 11)',
      storeHosts: [],
    };
  }
  const name = driver.value.trim().toLowerCase();
  const known = DRIVERS[name];
  if (!known) return { storage: 'unknown', storageDetail: `SESSION_DRIVER=${driver.value} (not a driver Laravel ships)`, storeHosts: [] };
  const storeHosts = name === 'redis' ? envHosts(facts, 'REDIS_URL', 'REDIS_HOST') : name === 'memcached' ? envHosts(facts, 'MEMCACHED_HOST') : [];
  const where = storeHosts.length > 0 ? ` at ${storeHosts.join(', ')}` : '';
  return { storage: known.storage, storageDetail: `SESSION_DRIVER=${name}: ${known.detail}${where}`, storeHosts };
}

/** Hosts from the first of these env keys that is set. */
function envHosts(facts: Map<string, Fact>, ...keys: string[]): string[] {
  for (const key of keys) {
    const value = phpEnv(facts.get(key)?.value);
    // REDIS_HOST and MEMCACHED_HOST hold a bare host name; REDIS_URL a URL.
    if (typeof value === 'string' && value !== '') return hostsIn(value, key.endsWith('_HOST'));
  }
  return [];
}

/**
 * What Laravel's env() helper (Illuminate\Support\Env) returns: "true"/"(true)" and "false"/"(false)"
 * as booleans, "null"/"(null)" as null, "empty"/"(empty)" as "", anything else as the string.
 */
function phpEnv(value: string | undefined): string | boolean | null | undefined {
  if (value === undefined) return undefined;
  const lower = value.trim().toLowerCase();
  if (lower === 'true' || lower === '(true)') return true;
  if (lower === 'false' || lower === '(false)') return false;
  if (lower === 'null' || lower === '(null)') return null;
  if (lower === 'empty' || lower === '(empty)') return '';
  return value;
}

/** The cookie options are used as PHP booleans: null, "", "0" and false are off, any other string is on ("off" too). */
function boolFact(fact: Fact | undefined, fallback: boolean): Setting<boolean> {
  if (!fact) return { value: fallback };
  const value = phpEnv(fact.value);
  const on = value === true || (typeof value === 'string' && value !== '' && value !== '0');
  return { value: on, location: fact.location, evidence: fact.evidence };
}

function sameSiteFact(fact: Fact | undefined): { sameSite?: Setting<string> } {
  if (!fact) return { sameSite: { value: 'lax' } };
  const value = phpEnv(fact.value);
  if (typeof value !== 'string' || value === '') return {};
  return { sameSite: { value, location: fact.location, evidence: fact.evidence } };
}

/** SESSION_LIFETIME is in minutes of idle time; 0 is not "never" (the file sweeper and cache TTLs treat it as already expired). */
function lifetimeFact(fact: Fact | undefined): Setting<number | null> {
  const minutes = fact ? Number.parseInt(fact.value, 10) : Number.NaN;
  if (!fact || !Number.isFinite(minutes)) return { value: DEFAULT_LIFETIME_MINUTES * 60 };
  return { value: minutes * 60, location: fact.location, evidence: fact.evidence };
}

/** SESSION_COOKIE, else `Str::slug(APP_NAME, '_') . '_session'` (config/session.php). */
function cookieName(facts: Map<string, Fact>): string {
  const explicit = phpEnv(facts.get('SESSION_COOKIE')?.value);
  if (typeof explicit === 'string' && explicit !== '') return explicit;
  const appName = phpEnv(facts.get('APP_NAME')?.value);
  const slug = (typeof appName === 'string' && appName !== '' ? appName : 'laravel')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `${slug || 'laravel'}_session`;
}

function appKeySecret(facts: Map<string, Fact>): SessionSecret | undefined {
  const fact = facts.get('APP_KEY');
  const value = fact?.value.trim() ?? '';
  if (!fact || value === '' || value === 'base64:' || value.includes('${') || phpEnv(value) === null) return undefined;
  const sample = value === LARAVEL_SAMPLE_KEY || isSampleSecret(value.replace(/^base64:/, ''));
  return {
    source: sample ? 'sample' : 'literal',
    what: 'Laravel APP_KEY (encrypts the session cookie and every other cookie)',
    location: fact.location,
    evidence: sample ? fact.evidence : maskSecretIn(fact.evidence, value.replace(/^base64:/, ''), ''),
  };
}

function maskedAppKey(facts: Map<string, Fact>): Fact | undefined {
  const fact = facts.get('APP_KEY');
  if (!fact) return undefined;
  const value = fact.value.trim().replace(/^base64:/, '');
  return { ...fact, evidence: maskSecretIn(fact.evidence, value) };
}

// ---------------------------------------------------------------------------------------------
// config/session.php

/** `'driver' => env('SESSION_DRIVER', 'file'),` and literal values, one line each. */
const CONFIG_LINE = /^\s*(['"])(driver|lifetime|secure|http_only|same_site|cookie)\1\s*=>\s*(.*?),?\s*(?:\/\/.*)?$/;
const ENV_CALL = /^(?:\((?:int|bool|string)\)\s*)?env\(\s*(['"])([A-Z0-9_]+)\1\s*(?:,\s*(.+?))?\s*\)$/;

type PhpLiteral = string | number | boolean | null;

interface ConfigValue {
  /** The value when the env variable is unset (or the literal). */
  value: PhpLiteral;
  /** The env variable that overrides it, if the line reads one. */
  envName?: string;
  line: number;
  column: number;
}

/** config/session.php is PHP source: lines it does not recognise are skipped, never an error. */
function readSessionPhp(input: ParseInput): SessionConfig[] {
  if (!/['"]driver['"]\s*=>/.test(input.text)) return [];
  const values = new Map<string, ConfigValue>();
  input.lines().forEach((text, index) => {
    const match = CONFIG_LINE.exec(text);
    if (!match) return;
    const parsed = configValue(match[3]);
    if (parsed) values.set(match[2], { ...parsed, line: index + 1, column: text.indexOf(match[1]) + 1 });
  });
  const driver = values.get('driver');
  if (!driver) return [];
  const at = (value: ConfigValue) => ({ location: locationAt(input, value.line, value.column), evidence: evidenceAt(input, value.line) });
  const driverName = typeof driver.value === 'string' ? driver.value.toLowerCase() : '';
  const known = DRIVERS[driverName];
  const via = driver.envName ? ` unless ${driver.envName} is set` : '';
  const storageDetail = known
    ? `config/session.php driver ${driverName}${via}: ${known.detail}`
    : `config/session.php driver ${driver.envName ? `from ${driver.envName}` : String(driver.value)} (no default)`;

  const bool = (key: string, fallback: boolean): Setting<boolean> => {
    const entry = values.get(key);
    if (!entry) return { value: fallback };
    const on = entry.value === true || (typeof entry.value === 'string' && entry.value !== '' && entry.value !== '0') || (typeof entry.value === 'number' && entry.value !== 0);
    return { value: on, ...at(entry) };
  };
  const lifetime = values.get('lifetime');
  const sameSite = values.get('same_site');
  const cookie = values.get('cookie');
  return [
    {
      kind: 'session-config',
      framework: 'laravel',
      frameworkName: 'Laravel',
      storage: known?.storage ?? 'unknown',
      storageDetail,
      storeHosts: [],
      ...at(driver),
      appRoot: appRootOf(input.absPath),
      cookie: {
        ...(typeof cookie?.value === 'string' && cookie.value !== '' ? { name: cookie.value } : {}),
        secure: bool('secure', false),
        httpOnly: bool('http_only', true),
        ...(sameSite === undefined
          ? { sameSite: { value: 'lax' } }
          : typeof sameSite.value === 'string' && sameSite.value !== ''
            ? { sameSite: { value: sameSite.value, ...at(sameSite) } }
            : {}),
      },
      lifetime:
        lifetime && typeof lifetime.value === 'number'
          ? { value: lifetime.value * 60, ...at(lifetime) }
          : { value: DEFAULT_LIFETIME_MINUTES * 60 },
    },
  ];
}

function configValue(text: string): Omit<ConfigValue, 'line' | 'column'> | undefined {
  const call = ENV_CALL.exec(text.trim());
  if (call) {
    const fallback = call[3] === undefined ? null : phpLiteral(call[3]);
    return fallback === undefined ? undefined : { value: fallback, envName: call[2] };
  }
  const literal = phpLiteral(text.replace(/^\((?:int|bool|string)\)\s*/, ''));
  return literal === undefined ? undefined : { value: literal };
}

function phpLiteral(text: string): PhpLiteral | undefined {
  const trimmed = text.trim();
  const quoted = /^(['"])(.*)\1$/.exec(trimmed);
  if (quoted) return quoted[2];
  const lower = trimmed.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  return undefined;
}
