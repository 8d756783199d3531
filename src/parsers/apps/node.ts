import path from 'node:path';
import type { Location, SessionConfig, SessionSecret, SessionStorage, Setting } from '../../model/index.js';
import type { ParseInput } from '../types.js';
import { appRootOf } from './app-root.js';
import { JsFile, type JsProp, type JsValue, type ModuleRef } from './js-scan.js';
import { fileClientHosts, STORE_PACKAGES, storeCallHosts } from './node-stores.js';
import { isSampleSecret } from './sample-secrets.js';
import type { AppSettingsReader } from './types.js';
import { redactUrlCredentials } from './redact.js';

/**
 * Node.js session middleware in JavaScript/TypeScript source:
 * - express-session: `session({ store, secret, cookie: {...} })`. Defaults from the express-session
 *   README: cookie `{ path: '/', httpOnly: true, secure: false, maxAge: null }` (no maxAge: a
 *   browser-session cookie), and "The default server-side session storage, MemoryStore".
 * - cookie-session: `cookieSession({ keys, maxAge, ... })`, the whole session in a signed cookie.
 *   Defaults from the cookie-session README: name 'session', httpOnly true, secure "false by default
 *   for HTTP" (what the app sees behind a TLS-terminating proxy), and no expiry unless maxAge/expires.
 */

const EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);
/** Larger files are generated (bundles, dist builds of the source read anyway), not a hand-written setup. */
const MAX_TEXT = 1024 * 1024;
const MARKERS = ['express-session', 'cookie-session'];

type Framework = 'express-session' | 'cookie-session';
type CallValue = Extract<JsValue, { kind: 'call' }>;

/** Functions that make a secret up when the process starts: each replica gets its own. */
const RANDOM_MODULES = new Set(['uuid', 'nanoid', 'uid-safe', 'uid2', 'crypto-random-string', 'randomstring', 'cuid', '@paralleldrive/cuid2', 'hat']);
const RANDOM_CRYPTO = new Set(['randomBytes', 'randomUUID', 'randomInt', 'getRandomValues', 'pseudoRandomBytes', 'generateKeySync']);
const RANDOM_GLOBALS = new Set(['Math.random', 'crypto.randomBytes', 'crypto.randomUUID', 'crypto.getRandomValues']);
/** Calls that pass their argument through: `String(x)`, `Buffer.from(x)`. */
const WRAPPERS = new Set(['String', 'Buffer.from']);

export const nodeReader: AppSettingsReader = {
  id: 'node',
  wants(fileName) {
    if (fileName.endsWith('.d.ts') || fileName.endsWith('.min.js')) return false;
    return EXTENSIONS.has(path.extname(fileName).toLowerCase());
  },
  read(input) {
    // Most source files never mention a session package: a substring test keeps them cheap.
    if (input.text.length > MAX_TEXT || !MARKERS.some((marker) => input.text.includes(marker))) return [];
    try {
      const file = new NodeFile(input);
      // A mangled or partial file (merge conflict, template, snippet) would give half-read settings.
      return file.wellFormed ? file.configs() : [];
    } catch {
      // The reader is a guess over source it cannot fully parse; a surprise in odd code is no config.
      return [];
    }
  },
};

/** An options object as the code leaves it: its own props, spreads merged, later `x.a = b` assignments applied. */
class OptionsView {
  readonly props = new Map<string, JsProp>();
  /** Some props come from something this file does not show (a spread of an unknown value). */
  open = false;
  /** `sess.cookie.secure = true`: assignments below a prop, applied when that prop is read as an object. */
  readonly nested = new Map<string, Array<{ path: string[]; prop: JsProp }>>();
}

class NodeFile {
  private readonly file: JsFile;

  constructor(private readonly input: ParseInput) {
    this.file = new JsFile(input.text);
  }

  get wellFormed(): boolean {
    return this.file.wellFormed;
  }

  configs(): SessionConfig[] {
    const configs: SessionConfig[] = [];
    const { tokens, reader } = this.file;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.kind !== 'id' || !reader.isPunct(i + 1, '(')) continue;
      const prev = tokens[i - 1];
      if (prev && ((prev.kind === 'punct' && (prev.value === '.' || prev.value === '?.')) || (prev.kind === 'id' && prev.value === 'function'))) continue;
      let framework: Framework | undefined;
      let open = i + 1;
      if (token.value === 'require') {
        // `require('express-session')({...})`.
        const name = tokens[i + 2];
        if (name?.kind !== 'str' || !reader.isPunct(i + 3, ')') || !reader.isPunct(i + 4, '(')) continue;
        framework = frameworkOf({ module: name.value, path: [] });
        open = i + 4;
      } else {
        if (!this.file.bindings.has(token.value)) continue;
        const binding = this.file.binding(token.value, i);
        if (binding?.kind === 'function' || binding?.kind === 'class') continue;
        const ref = this.file.moduleOf({ kind: 'ref', path: [token.value], line: token.line, column: token.column }, i);
        framework = ref && frameworkOf(ref);
      }
      if (!framework) continue;
      const [args] = reader.list(open, 0);
      const location: Location = { file: this.input.file, line: token.line, column: token.column };
      const options = args[0] === undefined ? new OptionsView() : this.view(args[0], i, 0);
      configs.push(framework === 'express-session' ? this.expressSession(location, options, i) : this.cookieSession(location, options, i));
    }
    return configs;
  }

  // ---- express-session ---------------------------------------------------------------------

  private expressSession(location: Location, options: OptionsView | undefined, index: number): SessionConfig {
    const config = this.base('express-session', location);
    if (!options) {
      // `session(opts)` with opts a parameter or imported: nothing is known, not even the defaults.
      config.storageDetail = 'options not readable in this file';
      return config;
    }
    const store = options.props.get('store');
    let storeTtl: Setting<number> | undefined;
    if (store) {
      const found = this.store(store, index);
      Object.assign(config, { storage: found.storage, storageDetail: found.detail, storeHosts: found.hosts });
      storeTtl = found.ttl;
    } else if (options.open) {
      config.storageDetail = 'options spread from a value not readable in this file';
    } else {
      config.storage = 'memory';
      config.storageDetail = 'MemoryStore (no store option)';
    }

    const name = options.props.get('name');
    if (name?.value.kind === 'str') config.cookie.name = name.value.value;
    else if (!name && !options.open) config.cookie.name = 'connect.sid';

    // No cookie option and nothing spread in: the cookie is all defaults.
    const cookie = options.props.has('cookie') || options.nested.has('cookie') ? this.subView(options, 'cookie', index) : options.open ? undefined : new OptionsView();
    if (cookie) {
      // express-session README: "The default value is { path: '/', httpOnly: true, secure: false, maxAge: null }".
      // `secure: 'auto'` sets Secure on HTTPS requests (README): the app means the cookie to be secure.
      this.cookieFlags(config, cookie, index, (value) => value.kind === 'str' && value.value === 'auto');
      const lifetime = this.expressLifetime(cookie, storeTtl, index);
      if (lifetime !== undefined) config.lifetime = lifetime;
    }
    const secret = options.props.get('secret');
    if (secret) this.setSecret(config, secret.value, index, 'express-session secret');
    return config;
  }

  /**
   * cookie.maxAge (ms) when set; with no maxAge (or `maxAge: null`) the cookie lasts the browser
   * session and the store's own TTL bounds the session. MemoryStore then keeps it until the process
   * ends: that is left unknown here, the in-memory finding already covers it.
   */
  private expressLifetime(cookie: OptionsView, storeTtl: Setting<number> | undefined, index: number): Setting<number | null> | undefined {
    const maxAge = cookie.props.get('maxAge');
    if (maxAge) {
      const value = this.file.resolve(maxAge.value, index);
      if (value.kind === 'num') return this.setting(value.value / 1000, maxAge);
      if (value.kind !== 'null') return undefined;
    }
    if (cookie.props.has('expires') || cookie.open) return undefined;
    return storeTtl;
  }

  /** A top-level `maxAge` (ms) in seconds; undefined when absent or not a literal. */
  private maxAge(view: OptionsView, index: number): Setting<number | null> | undefined {
    const maxAge = view.props.get('maxAge');
    if (!maxAge) return undefined;
    const value = this.file.resolve(maxAge.value, index);
    return value.kind === 'num' ? this.setting(value.value / 1000, maxAge) : undefined;
  }

  /** What the `store` option names. */
  private store(prop: JsProp, index: number): { storage: SessionStorage; detail: string; hosts: string[]; ttl?: Setting<number> } {
    const value = this.file.resolve(prop.value, index);
    if (value.kind === 'null') return { storage: 'memory', detail: 'MemoryStore (store option unset)', hosts: [] };
    const ref = value.kind === 'call' ? this.file.moduleOf(value.callee, index) : value.kind === 'ref' ? this.file.moduleOf(value, index) : undefined;
    const name = describe(value.kind === 'call' ? value.callee : value);
    if (!ref) {
      // A store class written in this app, a parameter, or something imported through a local module:
      // it is not the MemoryStore default, but whether replicas share it cannot be told from here.
      return { storage: 'unknown', detail: name ? `${name} (not resolved in this file)` : 'store not resolved in this file', hosts: [] };
    }
    if (ref.module === 'express-session' && ref.path[0] === 'MemoryStore') return { storage: 'memory', detail: 'express-session MemoryStore', hosts: [] };
    if (ref.module.startsWith('.') || ref.module.startsWith('/')) {
      return { storage: 'unknown', detail: `store from ${ref.module}`, hosts: [] };
    }
    const known = STORE_PACKAGES[ref.module];
    if (!known) return { storage: 'shared', detail: ref.module, hosts: value.kind === 'call' ? storeCallHosts(this.file, value, index).hosts : [] };
    let hosts: string[] = [];
    let ttl: Setting<number> | undefined;
    if (value.kind === 'call') {
      const found = storeCallHosts(this.file, value, index);
      hosts = found.hosts;
      // The store's client is not traceable to literal addresses: the clients this file makes are the best guess.
      if (hosts.length === 0 && (known.storage === 'redis' || known.storage === 'memcached')) hosts = fileClientHosts(this.file);
      ttl = this.storeTtl(value, known.ttlOption, known.defaultTtl, index);
    }
    return { storage: known.storage, detail: ref.module, hosts, ttl };
  }

  private storeTtl(call: CallValue, option: string | undefined, fallback: number | undefined, index: number): Setting<number> | undefined {
    if (!option) return undefined;
    const options = call.args[0] ? this.view(call.args[0], index, 0) : undefined;
    const prop = options?.props.get(option);
    if (prop) {
      const value = this.file.resolve(prop.value, index);
      return value.kind === 'num' ? this.setting(value.value, prop) : undefined;
    }
    if (options?.open) return undefined;
    return fallback === undefined ? undefined : { value: fallback };
  }

  // ---- cookie-session ----------------------------------------------------------------------

  private cookieSession(location: Location, options: OptionsView | undefined, index: number): SessionConfig {
    const config = this.base('cookie-session', location);
    config.storage = 'cookie';
    config.storageDetail = 'cookie-session (session data in a signed cookie)';
    if (!options) return config;
    const name = options.props.get('name');
    if (name?.value.kind === 'str') config.cookie.name = name.value.value;
    else if (!name && !options.open) config.cookie.name = 'session';
    // cookie-session takes the cookie options at the top level.
    this.cookieFlags(config, options, index);
    const lifetime = this.maxAge(options, index);
    if (lifetime !== undefined) config.lifetime = lifetime;
    else if (!options.props.has('maxAge') && !options.props.has('expires') && !options.open) {
      // No maxAge and no expires: a browser-session cookie whose signature never expires, so a copy
      // of it stays valid forever (cookie-session signs no timestamp).
      config.lifetime = { value: null };
    }
    const keys = options.props.get('keys') ?? options.props.get('secret');
    if (keys) this.setSecret(config, keys.value, index, `cookie-session ${keys.key}`);
    return config;
  }

  // ---- shared ------------------------------------------------------------------------------

  private base(framework: Framework, location: Location): SessionConfig {
    return {
      kind: 'session-config',
      framework,
      frameworkName: framework,
      storage: 'unknown',
      storageDetail: '',
      storeHosts: [],
      location,
      evidence: this.evidence(location.line),
      appRoot: appRootOf(this.input.absPath),
      cookie: {},
    };
  }

  /** secure (default false), httpOnly (default true) and sameSite, where known. */
  private cookieFlags(config: SessionConfig, cookie: OptionsView, index: number, secureIsTrue?: (value: JsValue) => boolean): void {
    const secure = this.flag(cookie, 'secure', false, index, secureIsTrue);
    if (secure) config.cookie.secure = secure;
    const httpOnly = this.flag(cookie, 'httpOnly', true, index);
    if (httpOnly) config.cookie.httpOnly = httpOnly;
    const sameSite = this.sameSite(cookie, index);
    if (sameSite) config.cookie.sameSite = sameSite;
  }

  /** A boolean cookie flag: the literal when set, the default when absent, unknown when set from an expression. */
  private flag(view: OptionsView, key: string, fallback: boolean, index: number, isTrue?: (value: JsValue) => boolean): Setting<boolean> | undefined {
    const prop = view.props.get(key);
    if (!prop) return view.open ? undefined : { value: fallback };
    const value = this.file.resolve(prop.value, index);
    if (value.kind === 'bool') return this.setting(value.value, prop);
    if (isTrue?.(value)) return this.setting(true, prop);
    return undefined;
  }

  private sameSite(view: OptionsView, index: number): Setting<string> | undefined {
    const prop = view.props.get('sameSite');
    if (!prop) return undefined;
    const value = this.file.resolve(prop.value, index);
    // express-session README: `true` sets SameSite=Strict; `false` sets no attribute.
    if (value.kind === 'bool') return value.value ? this.setting('strict', prop) : undefined;
    return value.kind === 'str' ? this.setting(value.value.toLowerCase(), prop) : undefined;
  }

  private setSecret(config: SessionConfig, value: JsValue, index: number, what: string): void {
    const secret = this.secret(value, index, what, 0);
    if (secret) config.secret = secret;
  }

  /** A secret's source when it is a problem: literal, well-known sample, or random per process. */
  private secret(value: JsValue, index: number, what: string, depth: number): SessionSecret | undefined {
    if (depth > 6) return undefined;
    const resolved = this.file.resolve(value, index);
    switch (resolved.kind) {
      case 'str':
        return this.secretAt(isSampleSecret(resolved.value) ? 'sample' : 'literal', what, resolved.line, resolved.column);
      case 'arr': {
        // Several keys: the first signs, all verify; any literal among them can forge a session.
        const found = resolved.items.map((item) => this.secret(item, index, what, depth + 1)).filter((item) => item !== undefined);
        return found.find((item) => item.source === 'sample') ?? found.find((item) => item.source === 'literal') ?? found[0];
      }
      case 'fallback': {
        const first = this.secret(resolved.left, index, what, depth + 1);
        if (first) return first;
        const second = this.secret(resolved.right, index, `${what} (fallback when ${describe(resolved.left) ?? 'the first value'} is unset)`, depth + 1);
        return second;
      }
      case 'call':
        if (this.isRandom(resolved, index)) return this.secretAt('per-node', what, resolved.line, resolved.column);
        // `new Keygrip(['a', 'b'])`, `String(x)`, `Buffer.from(x)`.
        if (resolved.args[0] && (describe(resolved.callee) === 'Keygrip' || WRAPPERS.has(describe(resolved.callee) ?? ''))) {
          return this.secret(resolved.args[0], index, what, depth + 1);
        }
        return undefined;
      default:
        return undefined;
    }
  }

  private secretAt(source: SessionSecret['source'], what: string, line: number, column: number): SessionSecret {
    return { source, what, location: { file: this.input.file, line, column }, evidence: this.evidence(line) };
  }

  /** `crypto.randomBytes(32).toString('hex')`, `uuid()`, `Math.random().toString(36)`, `require('crypto').randomUUID()`. */
  private isRandom(call: CallValue, index: number): boolean {
    // Any call along the chain may be the random one: `.toString('hex')` after it changes nothing.
    for (let current: JsValue = call; current.kind === 'call'; ) {
      const ref = this.file.moduleOf(current.callee, index);
      if (ref) {
        if ((ref.module === 'crypto' || ref.module === 'node:crypto') && RANDOM_CRYPTO.has(ref.path[ref.path.length - 1] ?? '')) return true;
        if (RANDOM_MODULES.has(ref.module)) return true;
      } else if (RANDOM_GLOBALS.has(describe(current.callee) ?? '')) {
        return true;
      }
      current = current.callee.kind === 'member' ? current.callee.object : current.callee;
    }
    return false;
  }

  private setting<T>(value: T, prop: { line: number; column: number }): Setting<T> {
    return { value, location: { file: this.input.file, line: prop.line, column: prop.column }, evidence: this.evidence(prop.line) };
  }

  private evidence(line: number): string {
    // Store URLs in these lines may carry a password: never into a report.
    return redactUrlCredentials((this.input.lines()[line - 1] ?? '').trim());
  }

  // ---- options objects ---------------------------------------------------------------------

  /** The object a value is, following names; undefined when it is not an object this file shows. */
  private view(value: JsValue, index: number, depth: number): OptionsView | undefined {
    if (depth > 8) return undefined;
    if (value.kind === 'ref' && value.path.length === 1) {
      const binding = this.file.binding(value.path[0], index);
      if (binding?.kind !== 'value') return undefined;
      const view = this.view(this.file.valueAt(binding.valueIndex), binding.valueIndex, depth + 1);
      if (view) this.applyAssignments(view, value.path[0]);
      return view;
    }
    if (value.kind !== 'obj') return undefined;
    const view = new OptionsView();
    for (const prop of value.props) {
      if (prop.key !== '...') {
        view.props.set(prop.key, prop);
        continue;
      }
      const spread = this.view(prop.value, index, depth + 1);
      if (!spread) {
        view.open = true;
        continue;
      }
      for (const [key, inner] of spread.props) view.props.set(key, inner);
      for (const [key, list] of spread.nested) view.nested.set(key, [...(view.nested.get(key) ?? []), ...list]);
      view.open ||= spread.open;
    }
    return view;
  }

  /** `sess.cookie.secure = true` after `const sess = {...}` (the express-session README's own pattern). */
  private applyAssignments(view: OptionsView, root: string): void {
    for (const assignment of this.file.memberAssignments) {
      if (assignment.root !== root) continue;
      const token = this.file.tokens[assignment.index];
      const last = this.file.tokens[assignment.valueIndex - 2];
      const prop: JsProp = {
        key: assignment.path[assignment.path.length - 1],
        value: this.file.valueAt(assignment.valueIndex),
        line: last?.line ?? token.line,
        column: last?.column ?? token.column,
      };
      const [first, ...rest] = assignment.path;
      if (rest.length === 0) view.props.set(first, prop);
      else view.nested.set(first, [...(view.nested.get(first) ?? []), { path: rest, prop }]);
    }
  }

  /** A prop read as an object, with the assignments made below it. */
  private subView(parent: OptionsView, key: string, index: number): OptionsView | undefined {
    const prop = parent.props.get(key);
    const view = prop ? this.view(prop.value, index, 1) : new OptionsView();
    if (!view) return undefined;
    for (const { path: rest, prop: assigned } of parent.nested.get(key) ?? []) {
      if (rest.length === 1) view.props.set(rest[0], assigned);
      else view.nested.set(rest[0], [...(view.nested.get(rest[0]) ?? []), { path: rest.slice(1), prop: assigned }]);
    }
    return view;
  }
}

function frameworkOf(ref: ModuleRef): Framework | undefined {
  if (ref.path.length > 0) return undefined;
  return ref.module === 'express-session' ? 'express-session' : ref.module === 'cookie-session' ? 'cookie-session' : undefined;
}

/** A name chain as written (`process.env.SECRET`), for messages; undefined for anything else. */
function describe(value: JsValue): string | undefined {
  if (value.kind === 'ref') return value.path.join('.');
  if (value.kind === 'member') {
    const object = describe(value.object);
    return object === undefined ? undefined : `${object}.${value.name}`;
  }
  if (value.kind === 'call') {
    const callee = describe(value.callee);
    return callee === undefined ? undefined : `${callee}()`;
  }
  return undefined;
}
