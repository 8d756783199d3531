import type { EnvSetting, Location, SessionConfig, SessionSecret, SessionStorage, Setting } from '../../model/index.js';
import type { ParseInput } from '../types.js';
import { appRootOf } from './app-root.js';
import { dotted, PyReader, scanPython, type PyKeyword, type PyLine, type PyValue } from './py-scan.js';
import { isSampleSecret } from './sample-secrets.js';
import { hostsOf, uniqueHosts } from './store-hosts.js';
import type { AppSettingsReader } from './types.js';
import { redactUrlCredentials } from './redact.js';

/**
 * Flask session settings in Python source: `app.config['X'] = ...`, `app.config.update(X=...)`,
 * `app.config.from_mapping(X=...)`, `app.secret_key = ...`, module-level `X = ...` (the Flask-Session
 * README loads them with `app.config.from_object(__name__)`) and config classes (`class
 * ProductionConfig(Config): X = ...`, inheritance within the file followed).
 *
 * Defaults, from the Flask docs ("Configuration Handling", builtin values): SESSION_COOKIE_SECURE
 * False, SESSION_COOKIE_HTTPONLY True, SESSION_COOKIE_SAMESITE None, SESSION_COOKIE_NAME 'session',
 * PERMANENT_SESSION_LIFETIME timedelta(days=31). Without Flask-Session, the session is Flask's
 * SecureCookieSessionInterface: the data in a cookie signed with SECRET_KEY, whose signature is
 * checked against PERMANENT_SESSION_LIFETIME. With Flask-Session, SESSION_TYPE picks a server-side
 * store (flask_session/__init__.py) whose entries live PERMANENT_SESSION_LIFETIME.
 *
 * Django settings use some of the same names (SECRET_KEY, SESSION_COOKIE_SECURE): files that look
 * like Django are left to the Django reader.
 */

/** Flask's PERMANENT_SESSION_LIFETIME default: timedelta(days=31). */
const DEFAULT_LIFETIME = 31 * 24 * 3600;

const KEYS = new Set([
  'SESSION_TYPE', 'SECRET_KEY', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE',
  'SESSION_COOKIE_NAME', 'PERMANENT_SESSION_LIFETIME', 'SESSION_REDIS', 'SESSION_MEMCACHED', 'SESSION_CACHELIB',
  'SESSION_MONGODB', 'SESSION_SQLALCHEMY', 'SQLALCHEMY_DATABASE_URI',
]);
/** Keys only Flask (or Flask-Session) reads: a file setting them is a Flask config whatever it imports. */
const FLASK_ONLY_KEYS = ['SESSION_TYPE', 'PERMANENT_SESSION_LIFETIME', 'SESSION_REDIS', 'SESSION_MEMCACHED', 'SESSION_CACHELIB'];
/** `app.config.X(...)` loaders that bring settings from somewhere this file does not show. */
const EXTERNAL_LOADERS = new Set(['from_pyfile', 'from_envvar', 'from_file', 'from_prefixed_env', 'from_json']);

/** Flask-Session SESSION_TYPE values (flask_session/__init__.py) -> where sessions live. */
const SESSION_TYPES: Record<string, SessionStorage> = {
  redis: 'redis',
  memcached: 'memcached',
  filesystem: 'file',
  mongodb: 'database',
  sqlalchemy: 'database',
  dynamodb: 'database',
  postgresql: 'database',
};

/** cachelib backends for SESSION_TYPE 'cachelib' (default FileSystemCache('flask_session')). */
const CACHELIB: Record<string, SessionStorage> = {
  FileSystemCache: 'file',
  SimpleCache: 'memory',
  RedisCache: 'redis',
  MemcachedCache: 'memcached',
  UWSGICache: 'memory',
  MongoDbCache: 'database',
  DynamoDbCache: 'database',
};

/** Calls that make a key up at start: each process signs with its own. */
const RANDOM_CALLS = new Set([
  'os.urandom', 'urandom', 'secrets.token_hex', 'token_hex', 'secrets.token_urlsafe', 'token_urlsafe', 'secrets.token_bytes',
  'token_bytes', 'uuid.uuid4', 'uuid4', 'uuid.uuid1', 'uuid1', 'random.random', 'random.getrandbits', 'get_random_bytes',
  'Fernet.generate_key', 'secrets.randbits',
]);
/** Calls that pass their first argument through: `str(uuid4())`, `binascii.hexlify(os.urandom(24))`. */
const WRAPPERS = new Set(['str', 'bytes', 'binascii.hexlify', 'base64.b64encode', 'base64.urlsafe_b64encode', 'codecs.encode']);
const ENV_GETTERS = new Set(['os.environ.get', 'os.getenv', 'environ.get', 'getenv', 'env', 'config']);

const TEST_FILE = /^(test_.*|.*_test|conftest)\.py$/;
/** Larger Python files are generated or vendored, not an app's settings. */
const MAX_TEXT = 1024 * 1024;

interface Entry {
  value: PyValue;
  line: number;
  column: number;
}

/** Settings set in one place: the module (and the functions in it), or one config class. */
interface Scope {
  name?: string;
  bases: string[];
  line: number;
  settings: Map<string, Entry>;
}

export const flaskReader: AppSettingsReader = {
  id: 'flask',
  wants(fileName) {
    // Tests set throwaway secrets and settings that never run in production.
    return fileName.endsWith('.py') && !TEST_FILE.test(fileName);
  },
  read(input) {
    const { text } = input;
    if (text.length > MAX_TEXT || !/flask|SESSION_TYPE|PERMANENT_SESSION_LIFETIME/i.test(text)) return [];
    if (/INSTALLED_APPS|^\s*(?:from|import)\s+(?:django|fastapi|starlette)\b/m.test(text)) return [];
    try {
      const scan = scanPython(text);
      if (scan.unterminated || !scan.balanced) return [];
      return new FlaskFile(input, scan.lines).configs();
    } catch {
      // A guess over source this reader cannot fully parse: no config rather than a crash.
      return [];
    }
  },
  fromEnv(env, appRoot) {
    // Flask reads no environment by itself; `app.config.from_prefixed_env()` maps FLASK_X to X.
    const setting = env.find((item) => item.name === 'SESSION_TYPE' || item.name === 'FLASK_SESSION_TYPE');
    if (!setting) return [];
    const type = setting.value.trim().toLowerCase();
    const storage = SESSION_TYPES[type] ?? (type === 'cachelib' ? 'file' : 'unknown');
    return [envConfig(setting, appRoot, storage)];
  },
};

function envConfig(setting: EnvSetting, appRoot: string, storage: SessionStorage): SessionConfig {
  return {
    kind: 'session-config',
    framework: 'flask',
    frameworkName: 'Flask-Session',
    storage,
    storageDetail: `${setting.name}=${setting.value}`,
    storeHosts: [],
    location: setting.location,
    evidence: `${setting.name}=${setting.value}`,
    appRoot,
    cookie: {},
  };
}

class FlaskFile {
  private readonly module: Scope = { bases: [], line: 1, settings: new Map() };
  private readonly classes: Scope[] = [];
  /** Every `name = value` in the file, for following names to literals. */
  private readonly names = new Map<string, Entry[]>();
  private appLine: Location | undefined;
  private external = false;
  private readonly loadedClasses = new Set<string>();

  constructor(private readonly input: ParseInput, lines: PyLine[]) {
    let currentClass: { scope: Scope; indent: number; bodyIndent?: number } | undefined;
    for (const line of lines) {
      if (currentClass && line.indent <= currentClass.indent) currentClass = undefined;
      const reader = new PyReader(line.tokens);
      if (reader.isName(0, 'class') && reader.isName(1)) {
        const scope: Scope = { name: line.tokens[1].value, bases: [], line: line.tokens[0].line, settings: new Map() };
        if (reader.isOp(2, '(')) {
          const [bases] = reader.callArgs(2, 0);
          scope.bases = bases.map((base) => dotted(base)).filter((base): base is string => base !== undefined);
        }
        this.classes.push(scope);
        currentClass = { scope, indent: line.indent };
        continue;
      }
      if (currentClass) {
        currentClass.bodyIndent ??= line.indent;
        // Only the class body itself: methods' statements are not class settings.
        if (line.indent === currentClass.bodyIndent) this.statement(reader, currentClass.scope, true);
        continue;
      }
      this.statement(reader, this.module, line.indent === 0);
    }
  }

  private statement(reader: PyReader, scope: Scope, topLevel: boolean): void {
    const tokens = reader.tokens;
    const first = tokens[0];
    if (!first || first.kind !== 'name') return;
    if (first.value === 'def' || first.value === 'return' || first.value === 'import' || first.value === 'from') return;
    // Targets: NAME, NAME.attr..., NAME.config['KEY'], optionally annotated.
    let i = 1;
    const path = [first.value];
    while (reader.isOp(i, '.') && reader.isName(i + 1)) {
      path.push(tokens[i + 1].value);
      i += 2;
    }
    if (path.length === 1 && reader.isOp(i, ':') && !reader.isOp(i + 1, '=')) {
      // `NAME: type = value`.
      while (i < tokens.length && !reader.isOp(i, '=')) i++;
    }
    if (reader.isOp(i, '=')) {
      const value = reader.expression(i + 1)[0];
      const entry = { value, line: first.line, column: first.column };
      if (path.length === 1) {
        this.remember(path[0], entry);
        if (KEYS.has(path[0]) && (topLevel || scope !== this.module)) scope.settings.set(path[0], entry);
        if (isFlaskApp(value)) this.appLine ??= { file: this.input.file, line: first.line, column: first.column };
        return;
      }
      const last = path[path.length - 1];
      if (last === 'secret_key') this.module.settings.set('SECRET_KEY', entry);
      else if (last === 'permanent_session_lifetime') this.module.settings.set('PERMANENT_SESSION_LIFETIME', entry);
      return;
    }
    if (path[path.length - 1] === 'config' && reader.isOp(i, '[')) {
      const close = reader.closing(i);
      const key = reader.expression(i + 1)[0];
      if (key.kind === 'str' && reader.isOp(close + 1, '=') && KEYS.has(key.value)) {
        const value = reader.expression(close + 2)[0];
        this.module.settings.set(key.value, { value, line: first.line, column: first.column });
      }
      return;
    }
    const value = reader.expression(0)[0];
    if (value.kind === 'call') this.call(value, first.line);
  }

  /** `app.config.update(...)`, `.from_mapping(...)`, `.from_object(...)`, external loaders. */
  private call(call: Extract<PyValue, { kind: 'call' }>, line: number): void {
    const callee = dotted(call.callee) ?? '';
    const method = callee.split('.').pop() ?? '';
    if (isFlaskApp(call)) this.appLine ??= { file: this.input.file, line, column: call.column };
    if (!callee.includes('config.') && !callee.startsWith('config.')) return;
    if (method === 'update' || method === 'from_mapping') {
      const set = (item: PyKeyword) => {
        if (KEYS.has(item.name)) this.module.settings.set(item.name, { value: item.value, line: item.line, column: item.column });
      };
      call.keywords.forEach(set);
      for (const arg of call.args) {
        const resolved = this.resolve(arg);
        if (resolved.kind === 'dict') resolved.entries.forEach(set);
        else this.external = true;
      }
      return;
    }
    if (method === 'from_object') {
      const arg = call.args[0];
      const name = arg?.kind === 'name' && arg.path.length === 1 ? arg.path[0] : undefined;
      if (name === '__name__') return;
      if (name !== undefined && this.classes.some((scope) => scope.name === name)) this.loadedClasses.add(name);
      else this.external = true;
      return;
    }
    if (EXTERNAL_LOADERS.has(method)) this.external = true;
  }

  private remember(name: string, entry: Entry): void {
    const list = this.names.get(name);
    if (list) list.push(entry);
    else this.names.set(name, [entry]);
  }

  /** Follow a bare name to the value last given to it in this file. */
  private resolve(value: PyValue, hops = 0): PyValue {
    if (hops > 8 || value.kind !== 'name' || value.path.length !== 1) return value;
    const list = this.names.get(value.path[0]);
    if (!list) return value;
    const before = list.filter((entry) => entry.line < value.line);
    const entry = before[before.length - 1] ?? list[0];
    return this.resolve(entry.value, hops + 1);
  }

  /** A class's settings with those of its bases in this file under them. */
  private classSettings(scope: Scope, seen = new Set<string>()): Map<string, Entry> {
    const merged = new Map<string, Entry>();
    if (scope.name) seen.add(scope.name);
    for (const base of scope.bases) {
      const parent = this.classes.find((candidate) => candidate.name === base);
      if (parent && !seen.has(base)) for (const [key, entry] of this.classSettings(parent, seen)) merged.set(key, entry);
    }
    for (const [key, entry] of scope.settings) merged.set(key, entry);
    return merged;
  }

  configs(): SessionConfig[] {
    const text = this.input.text;
    const flaskish = /flask/i.test(text) || FLASK_ONLY_KEYS.some((key) => text.includes(key));
    const configs: SessionConfig[] = [];

    const moduleSettings = new Map<string, Entry>();
    for (const name of this.loadedClasses) {
      const scope = this.classes.find((candidate) => candidate.name === name);
      if (scope) for (const [key, entry] of this.classSettings(scope)) moduleSettings.set(key, entry);
    }
    for (const [key, entry] of this.module.settings) moduleSettings.set(key, entry);
    const moduleClaimed = this.appLine !== undefined || (flaskish && moduleSettings.size > 0);
    if (moduleClaimed && !(this.external && moduleSettings.size === 0)) {
      // Settings this file does not set may come from the config it loads: then they are unknown, not defaults.
      configs.push(this.config(moduleSettings, this.external, this.appLine));
    }

    if (!flaskish) return configs;
    // Config classes: the ones used as a base are reported through the classes built on them.
    const used = new Set(this.classes.flatMap((scope) => scope.bases));
    const candidates = this.classes.filter((scope) => !this.loadedClasses.has(scope.name ?? '') && this.classSettings(scope).size > 0);
    let leaves = candidates.filter((scope) => !used.has(scope.name ?? '') && !/test|dev|local/i.test(scope.name ?? ''));
    if (leaves.length === 0) leaves = candidates.filter((scope) => scope.bases.every((base) => !this.classes.some((candidate) => candidate.name === base)) && !/test/i.test(scope.name ?? ''));
    for (const scope of leaves) configs.push(this.config(this.classSettings(scope), false, undefined, scope));
    return configs;
  }

  private config(settings: Map<string, Entry>, external: boolean, appLine: Location | undefined, scope?: Scope): SessionConfig {
    const type = settings.get('SESSION_TYPE');
    const anchor = type ?? (appLine ? undefined : [...settings.values()].sort((a, b) => a.line - b.line)[0]);
    const location: Location = anchor
      ? { file: this.input.file, line: anchor.line, column: anchor.column }
      : appLine ?? { file: this.input.file, line: scope?.line ?? 1, column: 1 };
    const config: SessionConfig = {
      kind: 'session-config',
      framework: 'flask',
      frameworkName: type ? 'Flask-Session' : 'Flask',
      storage: 'unknown',
      storageDetail: '',
      storeHosts: [],
      location,
      evidence: this.evidence(location.line),
      appRoot: appRootOf(this.input.absPath),
      cookie: {},
    };
    const where = scope?.name ? ` (${scope.name})` : '';
    if (type) {
      const store = this.storage(type, settings);
      config.storage = store.storage;
      config.storageDetail = store.detail + where;
      config.storeHosts = store.hosts;
    } else if (external) {
      config.storageDetail = `config loaded from elsewhere${where}`;
    } else {
      config.storage = 'cookie';
      config.storageDetail = `SecureCookieSessionInterface (signed cookie)${where}`;
    }

    const known = !external;
    const name = settings.get('SESSION_COOKIE_NAME');
    const nameValue = name && this.resolve(name.value);
    if (nameValue?.kind === 'str') config.cookie.name = nameValue.value;
    else if (!name && known) config.cookie.name = 'session';
    const secure = this.flag(settings.get('SESSION_COOKIE_SECURE'), false, known);
    if (secure) config.cookie.secure = secure;
    const httpOnly = this.flag(settings.get('SESSION_COOKIE_HTTPONLY'), true, known);
    if (httpOnly) config.cookie.httpOnly = httpOnly;
    const sameSite = settings.get('SESSION_COOKIE_SAMESITE');
    const sameSiteValue = sameSite && this.resolve(sameSite.value);
    if (sameSite && sameSiteValue?.kind === 'str') config.cookie.sameSite = this.setting(sameSiteValue.value.toLowerCase(), sameSite);

    const lifetime = settings.get('PERMANENT_SESSION_LIFETIME');
    if (lifetime) {
      const seconds = this.seconds(lifetime.value);
      if (seconds !== undefined) config.lifetime = this.setting(seconds, lifetime);
    } else if (known) {
      config.lifetime = { value: DEFAULT_LIFETIME };
    }

    const secretEntry = settings.get('SECRET_KEY');
    if (secretEntry) {
      const what = type ? 'Flask SECRET_KEY (signs CSRF tokens and, with SESSION_USE_SIGNER, the session id)' : 'Flask SECRET_KEY (signs the session cookie)';
      const secret = this.secret(secretEntry.value, what, 0);
      if (secret) config.secret = secret;
    }
    return config;
  }

  /** Flask-Session's store for a SESSION_TYPE, and the hosts its client names. */
  private storage(entry: Entry, settings: Map<string, Entry>): { storage: SessionStorage; detail: string; hosts: string[] } {
    const value = this.resolve(entry.value);
    if (value.kind !== 'str') return { storage: 'unknown', detail: 'SESSION_TYPE not a literal', hosts: [] };
    const type = value.value.toLowerCase();
    const detail = `SESSION_TYPE=${value.value}`;
    const client = (key: string) => {
      const set = settings.get(key);
      return set ? this.resolve(set.value) : undefined;
    };
    switch (type) {
      case 'redis':
        return { storage: 'redis', detail, hosts: this.hosts(client('SESSION_REDIS')) };
      case 'memcached':
        return { storage: 'memcached', detail, hosts: this.hosts(client('SESSION_MEMCACHED')) };
      case 'mongodb':
        return { storage: 'database', detail, hosts: this.hosts(client('SESSION_MONGODB')) };
      case 'sqlalchemy':
        return { storage: 'database', detail, hosts: this.hosts(client('SQLALCHEMY_DATABASE_URI')) };
      case 'cachelib': {
        const cache = client('SESSION_CACHELIB');
        if (!cache) return { storage: 'file', detail: `${detail} (FileSystemCache by default)`, hosts: [] };
        const name = cache.kind === 'call' ? (dotted(cache.callee) ?? '').split('.').pop() ?? '' : '';
        const storage = CACHELIB[name];
        return storage ? { storage, detail: `${detail} (${name})`, hosts: this.hosts(cache) } : { storage: 'unknown', detail, hosts: [] };
      }
      default:
        return { storage: SESSION_TYPES[type] ?? 'unknown', detail, hosts: [] };
    }
  }

  /** Hosts named by literal strings in a store client: `redis.from_url('redis://h:6379')`, `Redis(host='h')`, `Client(['h:11211'])`. */
  private hosts(value: PyValue | undefined, depth = 0): string[] {
    if (!value || depth > 6) return [];
    const resolved = this.resolve(value);
    switch (resolved.kind) {
      case 'str':
        return hostsOf(resolved.value);
      case 'list': {
        // pymemcache's ('host', 11211) tuple: the string is a host.
        const [first, second] = resolved.items;
        if (resolved.items.length === 2 && first.kind === 'str' && second.kind === 'num') return hostsOf(first.value, true);
        return uniqueHosts(resolved.items.flatMap((item) => this.hosts(item, depth + 1)));
      }
      case 'call': {
        const hosts = resolved.args.flatMap((arg) => this.hosts(arg, depth + 1));
        for (const keyword of resolved.keywords) {
          if (keyword.name === 'host') {
            const host = this.resolve(keyword.value);
            if (host.kind === 'str') hosts.push(...hostsOf(host.value, true));
          } else if (['url', 'servers', 'hosts', 'startup_nodes', 'sentinels', 'connection_pool'].includes(keyword.name)) {
            hosts.push(...this.hosts(keyword.value, depth + 1));
          }
        }
        // `redis.from_url(...)` reached through a member chain (`Redis.from_url(...).client`).
        if (resolved.callee.kind === 'member') hosts.push(...this.hosts(resolved.callee.object, depth + 1));
        return uniqueHosts(hosts);
      }
      case 'member':
        return this.hosts(resolved.object, depth + 1);
      default:
        return [];
    }
  }

  private flag(entry: Entry | undefined, fallback: boolean, known: boolean): Setting<boolean> | undefined {
    if (!entry) return known ? { value: fallback } : undefined;
    const value = this.resolve(entry.value);
    return value.kind === 'bool' ? this.setting(value.value, entry) : undefined;
  }

  /** PERMANENT_SESSION_LIFETIME: a timedelta or seconds. */
  private seconds(value: PyValue): number | undefined {
    const resolved = this.resolve(value);
    if (resolved.kind === 'num') return resolved.value;
    if (resolved.kind !== 'call' || !/(^|\.)timedelta$/.test(dotted(resolved.callee) ?? '')) return undefined;
    // timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks).
    const units: Record<string, number> = { days: 86400, seconds: 1, microseconds: 1e-6, milliseconds: 1e-3, minutes: 60, hours: 3600, weeks: 604800 };
    const order = ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'];
    let total = 0;
    const parts: Array<[string, PyValue]> = [...resolved.args.map((arg, index): [string, PyValue] => [order[index] ?? '', arg]), ...resolved.keywords.map((keyword): [string, PyValue] => [keyword.name, keyword.value])];
    for (const [unit, part] of parts) {
      const amount = this.resolve(part);
      if (!(unit in units) || amount.kind !== 'num') return undefined;
      total += amount.value * units[unit];
    }
    return total;
  }

  /** A secret's source when it is a problem: literal, well-known sample, or random per process. */
  private secret(value: PyValue, what: string, depth: number): SessionSecret | undefined {
    if (depth > 6) return undefined;
    const resolved = this.resolve(value);
    switch (resolved.kind) {
      case 'str':
        return this.secretAt(isSampleSecret(resolved.value) ? 'sample' : 'literal', what, resolved.line, resolved.column);
      case 'fallback':
        return this.secret(resolved.left, what, depth + 1) ?? this.secret(resolved.right, `${what}, fallback when ${envName(resolved.left)} is unset`, depth + 1);
      case 'member':
        // `uuid.uuid4().hex`.
        return this.isRandom(resolved) ? this.secretAt('per-node', what, resolved.line, resolved.column) : undefined;
      case 'call': {
        const callee = dotted(resolved.callee) ?? '';
        if (this.isRandom(resolved)) return this.secretAt('per-node', what, resolved.line, resolved.column);
        if (WRAPPERS.has(callee) && resolved.args[0]) return this.secret(resolved.args[0], what, depth + 1);
        if (ENV_GETTERS.has(callee) || /(^|\.)(get|getenv)$/.test(callee)) {
          // os.environ.get('SECRET_KEY', 'dev'): the default is what runs when the variable is unset.
          const fallback = resolved.args[1] ?? resolved.keywords.find((keyword) => keyword.name === 'default')?.value;
          const name = envName(resolved);
          return fallback ? this.secret(fallback, `${what}, fallback when ${name} is unset`, depth + 1) : undefined;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** `os.urandom(24)`, `secrets.token_hex()`, `os.urandom(24).hex()`, `uuid.uuid4().hex`. */
  private isRandom(value: PyValue): boolean {
    let first: PyValue = value;
    for (let guard = 0; guard < 10; guard++) {
      if (first.kind === 'call' && first.callee.kind === 'member') first = first.callee.object;
      else if (first.kind === 'member') first = first.object;
      else break;
    }
    return first.kind === 'call' && RANDOM_CALLS.has(dotted(first.callee) ?? '');
  }

  private secretAt(source: SessionSecret['source'], what: string, line: number, column: number): SessionSecret {
    return { source, what, location: { file: this.input.file, line, column }, evidence: this.evidence(line) };
  }

  private setting<T>(value: T, entry: { line: number; column: number }): Setting<T> {
    return { value, location: { file: this.input.file, line: entry.line, column: entry.column }, evidence: this.evidence(entry.line) };
  }

  private evidence(line: number): string {
    // Store URLs in these lines may carry a password: never into a report.
    return redactUrlCredentials((this.input.lines()[line - 1] ?? '').trim());
  }
}

/** The variable an `os.environ.get('X')` reads, for messages. */
function envName(value: PyValue): string {
  if (value.kind === 'call' && value.args[0]?.kind === 'str') return value.args[0].value;
  return dotted(value) ?? 'the first value';
}

/** `Flask(__name__)` or `flask.Flask(...)`. */
function isFlaskApp(value: PyValue): boolean {
  return value.kind === 'call' && /^(flask\.)?Flask$/.test(dotted(value.callee) ?? '');
}
