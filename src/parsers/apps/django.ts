import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Location, SessionConfig, SessionSecret, SessionStorage, Setting } from '../../model/index.js';
import { displayPath, sourceFromText } from '../source.js';
import type { ParseInput } from '../types.js';
import { appRootOf } from './app-root.js';
import { dictGet, parsePythonModule, type PyAssignment, type SettingValue } from './python-settings.js';
import { maskSecretIn, redactCredentials } from './redact.js';
import { isSampleSecret } from './sample-secrets.js';
import { evidenceAt, locationAt, settingAt } from './setting-at.js';
import { hostsIn, uniqueHosts } from './store-hosts.js';
import type { AppSettingsReader } from './types.js';

/**
 * Django sessions, from settings modules: a .py file that assigns INSTALLED_APPS, MIDDLEWARE,
 * SESSION_ENGINE, ROOT_URLCONF or WSGI_APPLICATION at module level, or that sets SECRET_KEY, a
 * SESSION_* setting, CACHES... and star-imports a module that does (`from .base import *` in
 * settings/production.py). Star imports are followed (from disk, up to 4 deep), so a module's
 * SessionConfig is what Django sees when that module is DJANGO_SETTINGS_MODULE; a setting that
 * comes from the imported module points at that module's line. One SessionConfig per module:
 * - storage, storageDetail, storeHosts: SESSION_ENGINE, and for the cache engines
 *   CACHES[SESSION_CACHE_ALIAS] (BACKEND, LOCATION);
 * - cookie: SESSION_COOKIE_NAME, SESSION_COOKIE_SECURE, SESSION_COOKIE_HTTPONLY, SESSION_COOKIE_SAMESITE;
 * - lifetime: SESSION_COOKIE_AGE (seconds; Django expires sessions by it in every engine);
 * - secret: SECRET_KEY, which signs every session (and the signed_cookies engine's whole session).
 * Defaults are django/conf/global_settings.py (Django settings reference): SESSION_ENGINE
 * 'django.contrib.sessions.backends.db', SESSION_CACHE_ALIAS 'default', CACHES a single LocMemCache
 * ("the default cache if another is not specified", Django cache framework docs), SESSION_COOKIE_NAME
 * 'sessionid', SESSION_COOKIE_SECURE False, SESSION_COOKIE_HTTPONLY True, SESSION_COOKIE_SAMESITE
 * 'Lax', SESSION_COOKIE_AGE 1209600 (two weeks). A setting read from the environment is left out
 * (not known), except SESSION_ENGINE, which gives storage 'unknown' and says so.
 */

const MARKERS = ['INSTALLED_APPS', 'MIDDLEWARE', 'MIDDLEWARE_CLASSES', 'SESSION_ENGINE', 'ROOT_URLCONF', 'WSGI_APPLICATION'];
const MARKER_LINE = new RegExp(`^(?:${MARKERS.join('|')})\\s*[:=]`, 'm');
const STAR_IMPORT_LINE = /^from\s+[\w.]+\s+import\s+\*/m;
/** A module that star-imports is only worth following when it also sets something a settings module sets. */
const SETTING_LINE = /^(?:SECRET_KEY|SESSION_[A-Z_]+|CACHES|DEBUG|ALLOWED_HOSTS|DATABASES)\s*=/m;

const DEFAULT_ENGINE = 'django.contrib.sessions.backends.db';
const DEFAULT_COOKIE_AGE = 1209600;
const MAX_IMPORT_DEPTH = 4;

interface Found {
  assignment: PyAssignment;
  /** The module that assigns it: the one being read, or one it star-imports. */
  source: ParseInput;
}

type Settings = Map<string, Found>;

export const djangoReader: AppSettingsReader = {
  id: 'django',
  wants(fileName) {
    return fileName.endsWith('.py');
  },
  read(input) {
    if (!MARKER_LINE.test(input.text) && !(STAR_IMPORT_LINE.test(input.text) && SETTING_LINE.test(input.text))) return [];
    const settings = loadSettings(input, 0, new Set());
    if (!settings) return [];
    return [sessionConfig(input, settings)];
  },
};

/** The module's effective settings (star imports first, its own assignments on top); undefined if it is not a Django settings module. */
function loadSettings(source: ParseInput, depth: number, seen: Set<string>): Settings | undefined {
  const { absPath, text } = source;
  seen.add(absPath);
  const inherited: Settings = new Map();
  let importsDjango = false;
  const firstPass = parsePythonModule(text);
  for (const name of firstPass.starImports) {
    if (depth >= MAX_IMPORT_DEPTH) break;
    for (const candidate of moduleFiles(absPath, name)) {
      if (seen.has(candidate)) continue;
      let imported: string;
      try {
        imported = readFileSync(candidate, 'utf8');
      } catch {
        continue;
      }
      const settings = loadSettings(sourceFromText(displayPath(candidate), imported, candidate), depth + 1, seen);
      if (settings) {
        importsDjango = true;
        for (const [key, found] of settings) inherited.set(key, found);
      }
      break;
    }
  }
  const own = [...firstPass.assignments.keys()].some((name) => MARKERS.includes(name));
  if (!own && !importsDjango) return undefined;
  // Evaluate again with the imported names known, so `SESSION_COOKIE_AGE = WEEK` finds WEEK.
  const module = inherited.size > 0 ? parsePythonModule(text, new Map([...inherited].map(([key, found]) => [key, found.assignment.value]))) : firstPass;
  const settings: Settings = new Map(inherited);
  for (const [name, assignment] of module.assignments) settings.set(name, { assignment, source });
  return settings;
}

/** Files a `from X import *` may name: `.base` next to this file, `config.settings.base` under an ancestor folder. */
function moduleFiles(fromFile: string, name: string): string[] {
  const dots = /^\.*/.exec(name)?.[0].length ?? 0;
  const parts = name.slice(dots).split('.').filter(Boolean);
  const bases: string[] = [];
  if (dots > 0) {
    let dir = path.dirname(fromFile);
    for (let up = 1; up < dots; up++) dir = path.dirname(dir);
    bases.push(dir);
  } else {
    let dir = path.dirname(fromFile);
    for (let up = 0; up < 6; up++) {
      bases.push(dir);
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return bases.flatMap((base) => [path.join(base, ...parts) + '.py', path.join(base, ...parts, '__init__.py')]);
}

function sessionConfig(input: ParseInput, settings: Settings): SessionConfig {
  const engine = settings.get('SESSION_ENGINE');
  const anchor = engine ?? firstOwn(input, settings);
  const { storage, storageDetail, storeHosts } = storageOf(settings);
  const secret = secretOf(settings);
  const lifetime = lifetimeOf(settings);
  return {
    kind: 'session-config',
    framework: 'django',
    frameworkName: 'Django',
    storage,
    storageDetail,
    storeHosts,
    location: locationOf(anchor),
    evidence: evidenceOf(anchor),
    appRoot: appRootOf(input.absPath),
    cookie: {
      name: stringSetting(settings, 'SESSION_COOKIE_NAME')?.value ?? 'sessionid',
      ...optional('secure', boolSetting(settings, 'SESSION_COOKIE_SECURE', false)),
      ...optional('httpOnly', boolSetting(settings, 'SESSION_COOKIE_HTTPONLY', true)),
      ...optional('sameSite', sameSiteOf(settings)),
    },
    ...(lifetime ? { lifetime } : {}),
    ...(secret ? { secret } : {}),
  };
}

/** Where a module with no SESSION_ENGINE is pointed at: its first session setting, else its first Django marker. */
function firstOwn(input: ParseInput, settings: Settings): Found {
  const own = [...settings.values()].filter((found) => found.source.file === input.file).sort((a, b) => a.assignment.line - b.assignment.line);
  return (
    own.find((found) => found.assignment.name.startsWith('SESSION_')) ??
    own.find((found) => MARKERS.includes(found.assignment.name)) ??
    own[0] ??
    [...settings.values()][0]
  );
}

function locationOf(found: Found): Location {
  return locationAt(found.source, found.assignment.line, found.assignment.column);
}

function evidenceOf(found: Found): string {
  return evidenceAt(found.source, found.assignment.line);
}

function located<T>(found: Found, value: T): Setting<T> {
  return settingAt(found.source, value, found.assignment.line, found.assignment.column);
}

function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

function stringSetting(settings: Settings, name: string): Setting<string> | undefined {
  const found = settings.get(name);
  return found?.assignment.value.t === 'str' ? located(found, found.assignment.value.v) : undefined;
}

/** The documented default when unset; undefined when the module computes it (the environment decides). */
function boolSetting(settings: Settings, name: string, fallback: boolean): Setting<boolean> | undefined {
  const found = settings.get(name);
  if (!found) return { value: fallback };
  const value = found.assignment.value;
  if (value.t === 'bool') return located(found, value.v);
  if (value.t === 'num') return located(found, value.v !== 0);
  return undefined;
}

/** SESSION_COOKIE_SAMESITE: 'Lax' by default; False sends no attribute (nothing to report). */
function sameSiteOf(settings: Settings): Setting<string> | undefined {
  const found = settings.get('SESSION_COOKIE_SAMESITE');
  if (!found) return { value: 'Lax' };
  return found.assignment.value.t === 'str' ? located(found, found.assignment.value.v) : undefined;
}

function lifetimeOf(settings: Settings): Setting<number | null> | undefined {
  const found = settings.get('SESSION_COOKIE_AGE');
  if (!found) return { value: DEFAULT_COOKIE_AGE };
  return found.assignment.value.t === 'num' ? located(found, found.assignment.value.v) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Storage

interface Storage {
  storage: SessionStorage;
  storageDetail: string;
  storeHosts: string[];
}

function storageOf(settings: Settings): Storage {
  const found = settings.get('SESSION_ENGINE');
  const value = found?.assignment.value ?? { t: 'str', v: DEFAULT_ENGINE };
  const prefix = found ? 'SESSION_ENGINE' : 'SESSION_ENGINE not set: Django default';
  if (value.t === 'env') {
    const fallback = value.fallback?.t === 'str' ? `, default ${value.fallback.v}` : '';
    return { storage: 'unknown', storageDetail: `SESSION_ENGINE comes from the environment (${value.name ?? 'a variable'}${fallback})`, storeHosts: [] };
  }
  if (value.t !== 'str') return { storage: 'unknown', storageDetail: `SESSION_ENGINE = ${found?.assignment.text ?? '?'} (computed)`, storeHosts: [] };
  const engine = value.v;
  const short = engine.replace(/^django\.contrib\.sessions\.backends\./, '');
  switch (engine) {
    case 'django.contrib.sessions.backends.db':
      return { storage: 'database', storageDetail: `${prefix} db (the django_session table)`, storeHosts: [] };
    case 'django.contrib.sessions.backends.cached_db': {
      // The cache only speeds up reads: every write goes to the database, which is the store of record.
      const cache = cacheOf(settings);
      return { storage: 'database', storageDetail: `${prefix} cached_db (the database, read through ${cache.storageDetail})`, storeHosts: cache.storeHosts };
    }
    case 'django.contrib.sessions.backends.cache': {
      const cache = cacheOf(settings);
      return { ...cache, storageDetail: `${prefix} cache: ${cache.storageDetail}` };
    }
    case 'django.contrib.sessions.backends.file': {
      const where = stringSetting(settings, 'SESSION_FILE_PATH')?.value ?? "the system temp folder (tempfile.gettempdir())";
      return { storage: 'file', storageDetail: `${prefix} file: files in ${where} on each node`, storeHosts: [] };
    }
    case 'django.contrib.sessions.backends.signed_cookies':
      return { storage: 'cookie', storageDetail: `${prefix} signed_cookies: the whole session in a cookie signed with SECRET_KEY`, storeHosts: [] };
    case 'redis_sessions.session': {
      const redis = settings.get('SESSION_REDIS')?.assignment.value;
      const url = dictGet(redis, 'url')?.value;
      const host = dictGet(redis, 'host')?.value ?? settings.get('SESSION_REDIS_HOST')?.assignment.value;
      const storeHosts = url?.t === 'str' ? hostsIn(url.v) : host?.t === 'str' ? hostsIn(host.v, true) : [];
      return { storage: 'redis', storageDetail: `${prefix} redis_sessions.session (django-redis-sessions)`, storeHosts };
    }
    default:
      return { storage: 'unknown', storageDetail: `${prefix} ${short} (a third-party engine)`, storeHosts: [] };
  }
}

/** CACHES[SESSION_CACHE_ALIAS] as storage. */
function cacheOf(settings: Settings): Storage {
  const alias = stringSetting(settings, 'SESSION_CACHE_ALIAS')?.value ?? 'default';
  const caches = settings.get('CACHES');
  if (!caches) return { storage: 'memory', storageDetail: 'CACHES not set, so Django\'s default LocMemCache: the memory of each process', storeHosts: [] };
  const value = caches.assignment.value;
  if (value.t !== 'dict') return { storage: 'unknown', storageDetail: `CACHES = ${caches.assignment.text} (computed or from the environment)`, storeHosts: [] };
  const entry = dictGet(value, alias)?.value;
  if (!entry) return { storage: 'unknown', storageDetail: `CACHES has no '${alias}' cache`, storeHosts: [] };
  const backend = dictGet(entry, 'BACKEND')?.value;
  if (backend?.t !== 'str') return { storage: 'unknown', storageDetail: `CACHES['${alias}'] BACKEND is computed`, storeHosts: [] };
  const locationValue = dictGet(entry, 'LOCATION')?.value;
  const locations = locationValue?.t === 'str' ? [locationValue.v] : locationValue?.t === 'list' ? locationValue.items.flatMap((item) => (item.t === 'str' ? [item.v] : [])) : [];
  const className = backend.v.split('.').at(-1) ?? backend.v;
  const named = `CACHES['${alias}'] ${className}`;
  const at = locations.length > 0 ? ` (${redactCredentials(locations.join(', '))})` : '';
  const kind = cacheBackend(backend.v);
  const storeHosts = kind.storage === 'redis' || kind.storage === 'memcached' ? locations.flatMap((location) => hostsIn(location)) : [];
  return { storage: kind.storage, storageDetail: `${named}${at}: ${kind.what}`, storeHosts: uniqueHosts(storeHosts) };
}

function cacheBackend(backend: string): { storage: SessionStorage; what: string } {
  if (backend.endsWith('locmem.LocMemCache')) return { storage: 'memory', what: 'the memory of each process' };
  if (backend.endsWith('dummy.DummyCache')) return { storage: 'memory', what: 'stores nothing, so every session is lost at once' };
  if (backend.endsWith('filebased.FileBasedCache')) return { storage: 'file', what: 'files on each node' };
  if (backend.endsWith('db.DatabaseCache')) return { storage: 'database', what: 'a database table' };
  if (/redis/i.test(backend)) return { storage: 'redis', what: 'Redis' };
  if (/memcache|pylibmc/i.test(backend)) return { storage: 'memcached', what: 'Memcached' };
  return { storage: 'unknown', what: 'a third-party cache backend' };
}

// ---------------------------------------------------------------------------------------------
// Secret

/** The line without the key: the decoded value, or failing that (escapes, split literals) every string literal on it. */
function maskQuoted(evidence: string, secret: string, keepPrefix: string): string {
  const masked = maskSecretIn(evidence, secret, keepPrefix);
  if (masked !== evidence) return masked;
  return evidence.replace(/(['"])(?:\\.|(?!\1).)*\1/g, (_, quote: string) => `${quote}${keepPrefix}***${quote}`);
}

function secretOf(settings: Settings): SessionSecret | undefined {
  const found = settings.get('SECRET_KEY');
  if (!found) return undefined;
  const value = found.assignment.value;
  const what = 'Django SECRET_KEY (signs sessions)';
  if (value.t === 'env') {
    if (!value.fallback) return undefined;
    const unset = ` when ${value.name ?? 'the variable'} is unset`;
    return secretFrom(found, value.fallback, `${what}, its fallback${unset}`);
  }
  return secretFrom(found, value, what);
}

function secretFrom(found: Found, value: SettingValue, what: string): SessionSecret | undefined {
  if (value.t === 'random') {
    return { source: 'per-node', what: `${what}: ${value.call} makes a new one in each process`, location: locationOf(found), evidence: evidenceOf(found) };
  }
  if (value.t !== 'str' || value.v === '') return undefined;
  // startproject writes keys that start with "django-insecure-" (Django 3.2+): a development key.
  const insecure = value.v.startsWith('django-insecure-');
  const sample = insecure || isSampleSecret(value.v);
  const evidence = sample && !insecure ? evidenceOf(found) : maskQuoted(evidenceOf(found), value.v, insecure ? 'django-insecure-' : '');
  return { source: sample ? 'sample' : 'literal', what, location: locationOf(found), evidence };
}
