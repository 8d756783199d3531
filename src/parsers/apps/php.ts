import type { SessionConfig, SessionStorage, Setting } from '../../model/index.js';
import type { ParseInput } from '../types.js';
import { appRootOf } from './app-root.js';
import { parsePhpIni, phpIniBool, type IniEntry } from './php-ini.js';
import { evidenceAt, locationAt, settingAt } from './setting-at.js';
import { hostsIn } from './store-hosts.js';
import type { AppSettingsReader } from './types.js';

/**
 * PHP's own sessions (ext/session), as php.ini, conf.d/*.ini, .user.ini and PHP-FPM pool files
 * (`php_value[session.x]`, `php_admin_value[...]`, `php_flag[...]`, `php_admin_flag[...]`) set them.
 * One SessionConfig per file that sets any session.* directive; it fills:
 * - storage, storageDetail, storeHosts: session.save_handler and session.save_path;
 * - cookie: session.name, session.cookie_secure, session.cookie_httponly, session.cookie_samesite;
 * - lifetime: session.gc_maxlifetime, or null when the files handler is never garbage-collected.
 * What a file does not set is PHP's built-in default (PHP manual, "Session Runtime Configuration"):
 * save_handler "files", name "PHPSESSID", cookie_secure "0" and cookie_httponly "0" (both "" before
 * PHP 7.2; php.ini-production leaves cookie_httponly empty and cookie_secure commented out, so off
 * there too), cookie_samesite "", gc_maxlifetime 1440, gc_probability 1. Later lines win, as in PHP.
 * PHP sessions are not signed, so no secret is read.
 */

const DEFAULTS = {
  name: 'PHPSESSID',
  secure: false,
  httpOnly: false,
  gcMaxLifetime: 1440,
} as const;

/** FPM pool files write `php_admin_value[session.save_handler]`: the directive is inside the brackets. */
const FPM_KEY = /^php_(?:admin_)?(?:value|flag)\[([^\]]+)\]$/;

const HANDLERS: Record<string, { storage: SessionStorage; what: string }> = {
  files: { storage: 'file', what: 'files' },
  redis: { storage: 'redis', what: 'redis (phpredis)' },
  rediscluster: { storage: 'redis', what: 'rediscluster (phpredis Redis Cluster)' },
  memcached: { storage: 'memcached', what: 'memcached (php-memcached)' },
  memcache: { storage: 'memcached', what: 'memcache (pecl memcache)' },
  // ext/mm keeps sessions in the shared memory of one host.
  mm: { storage: 'memory', what: 'mm (shared memory of one host)' },
  user: { storage: 'unknown', what: 'user (set in code with session_set_save_handler())' },
};

export const phpReader: AppSettingsReader = {
  id: 'php',
  wants(fileName) {
    return fileName.endsWith('.ini') || fileName.endsWith('.conf');
  },
  read(input) {
    // Cheap look first: most .ini and .conf files (tox.ini, nginx.conf) are not about PHP sessions.
    if (!/^[ \t]*(?:php_(?:admin_)?(?:value|flag)\[)?session\./m.test(input.text)) return [];
    if (input.file.endsWith('.conf') && !/^[ \t]*php_(?:admin_)?(?:value|flag)\[session\./m.test(input.text)) return [];
    const directives = sessionDirectives(parsePhpIni(input));
    if (directives.size === 0) return [];
    return [sessionConfig(input, directives)];
  },
};

/** The last entry for each session.* directive, FPM wrappers taken off. */
function sessionDirectives(entries: IniEntry[]): Map<string, IniEntry> {
  const found = new Map<string, IniEntry>();
  for (const entry of entries) {
    const name = FPM_KEY.exec(entry.key)?.[1] ?? entry.key;
    if (name.startsWith('session.')) found.set(name, entry);
  }
  return found;
}

function sessionConfig(input: ParseInput, directives: Map<string, IniEntry>): SessionConfig {
  const handlerEntry = directives.get('session.save_handler');
  const pathEntry = directives.get('session.save_path');
  const handlerName = (handlerEntry?.value ?? 'files').trim().toLowerCase();
  const handler = HANDLERS[handlerName] ?? { storage: 'unknown' as const, what: `${handlerName} (an extension's handler)` };
  const savePath = pathEntry?.value.trim() ?? '';
  const anchor = handlerEntry ?? [...directives.values()].sort((a, b) => a.line - b.line)[0];

  let storageDetail = handlerEntry ? `session.save_handler = ${handler.what}` : 'session.save_handler not set: PHP default files';
  if (handler.storage === 'file') storageDetail += savePath ? ` in ${savePath}` : ' in the system temp folder';
  const storeHosts = handler.storage === 'redis' || handler.storage === 'memcached' ? hostsIn(savePath) : [];
  if (storeHosts.length > 0) storageDetail += ` at ${storeHosts.join(', ')}`;

  const lifetime = lifetimeOf(input, directives, handler.storage, savePath);
  if (lifetime.value === null) storageDetail += '; PHP never garbage-collects these files: only an outside job (a cron like Debian\'s sessionclean) removes old sessions';

  return {
    kind: 'session-config',
    framework: 'php',
    frameworkName: 'PHP sessions',
    storage: handler.storage,
    storageDetail,
    storeHosts,
    location: locationAt(input, anchor.line, anchor.column),
    evidence: evidenceAt(input, anchor.line),
    appRoot: appRootOf(input.absPath),
    cookie: {
      name: directives.get('session.name')?.value || DEFAULTS.name,
      secure: boolSetting(input, directives.get('session.cookie_secure'), DEFAULTS.secure),
      httpOnly: boolSetting(input, directives.get('session.cookie_httponly'), DEFAULTS.httpOnly),
      ...sameSite(input, directives.get('session.cookie_samesite')),
    },
    lifetime,
  };
}

function boolSetting(input: ParseInput, entry: IniEntry | undefined, fallback: boolean): Setting<boolean> {
  return entry ? settingAt(input, phpIniBool(entry.value), entry.line, entry.column) : { value: fallback };
}

/** Unset or empty: PHP sends no SameSite attribute, so there is nothing to report. */
function sameSite(input: ParseInput, entry: IniEntry | undefined): { sameSite?: Setting<string> } {
  if (!entry || entry.value.trim() === '') return {};
  return { sameSite: settingAt(input, entry.value.trim(), entry.line, entry.column) };
}

/**
 * session.gc_maxlifetime seconds. The files handler deletes old files only in its garbage
 * collection, and PHP runs none when session.gc_probability is 0 (ext/session php_session_gc) or
 * when save_path uses "N;/path" subfolders (php.ini-production: "garbage collection does *not*
 * happen automatically"); reading a session never checks its age, so such sessions never expire.
 * phpredis reads a gc_maxlifetime <= 0 as 1440 (redis_session.c session_gc_maxlifetime).
 */
function lifetimeOf(input: ParseInput, directives: Map<string, IniEntry>, storage: SessionStorage, savePath: string): Setting<number | null> {
  const probability = directives.get('session.gc_probability');
  const pathEntry = directives.get('session.save_path');
  if (storage === 'file') {
    // gc_probability is read with atoi: "" and "0" both switch collection off.
    if (probability && (Number.parseInt(probability.value, 10) || 0) === 0) return settingAt(input, null, probability.line, probability.column);
    if (pathEntry && /^\d+;/.test(savePath) && Number.parseInt(savePath, 10) > 0) return settingAt(input, null, pathEntry.line, pathEntry.column);
  }
  const entry = directives.get('session.gc_maxlifetime');
  if (!entry) return { value: DEFAULTS.gcMaxLifetime };
  const seconds = Number.parseInt(entry.value, 10);
  if (!Number.isFinite(seconds)) return { value: DEFAULTS.gcMaxLifetime };
  return settingAt(input, storage === 'redis' && seconds <= 0 ? DEFAULTS.gcMaxLifetime : seconds, entry.line, entry.column);
}
