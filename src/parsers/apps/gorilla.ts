import type { Location, SessionConfig, SessionSecret, SessionStorage, Setting } from '../../model/index.js';
import type { ParseInput } from '../types.js';
import { appRootOf } from './app-root.js';
import { JsReader, tokenize, type Token } from './js-scan.js';
import { isSampleSecret } from './sample-secrets.js';
import { hostsOf, uniqueHosts } from './store-hosts.js';
import type { AppSettingsReader } from './types.js';
import { redactUrlCredentials } from './redact.js';

/**
 * gorilla/sessions stores in Go source, and the stores built on them (boj/redistore, gin-contrib/sessions):
 * `sessions.NewCookieStore(keys...)`, `sessions.NewFilesystemStore(path, keys...)`,
 * `redistore.NewRediStore(size, network, address, password, keys...)` and friends, then
 * `store.Options = &sessions.Options{...}`, `store.Options.Secure = true`, `store.MaxAge(n)`.
 *
 * Defaults from the source:
 * - gorilla/sessions store.go: NewCookieStore and NewFilesystemStore set `Options{Path: "/", MaxAge:
 *   86400 * 30}` and the same MaxAge on their securecookie codecs; Secure and HttpOnly are left at Go's
 *   zero value, false. Replacing `store.Options` changes the cookie, not the codecs: only
 *   `store.MaxAge(n)` does both, and securecookie skips the age check when it is 0 (a signed cookie
 *   then never expires).
 * - boj/redistore redistore.go: Options MaxAge `sessionExpire = 86400 * 30`; a session whose MaxAge is
 *   0 is kept in Redis for `DefaultMaxAge = 60 * 20` seconds; SetMaxAge(n) sets both.
 * - gin-contrib/sessions wraps these; its `store.Options(sessions.Options{...})` replaces the Options.
 *
 * Go's lexical grammar (comments, "strings", `raw strings`, numbers) is read with the JS tokenizer,
 * and its brackets are matched by JsReader.
 */

const GORILLA = 'github.com/gorilla/sessions';
const SECURECOOKIE = 'github.com/gorilla/securecookie';
const MARKERS = ['gorilla/sessions', 'boj/redistore', 'gin-contrib/sessions'];
/** Larger Go files are generated, not a hand-written session setup. */
const MAX_TEXT = 1024 * 1024;

/** Gorilla's default Options.MaxAge (store.go, redistore.go): 30 days. */
const DEFAULT_MAX_AGE = 86400 * 30;
/** redistore's Redis TTL for a session whose MaxAge is 0. */
const REDISTORE_DEFAULT_TTL = 60 * 20;

type Family = 'cookie' | 'file' | 'redistore' | 'memory' | 'database';

interface Constructor {
  family: Family;
  /** Index of the `address` argument (a host:port), or of a URL argument. */
  address?: number;
  url?: number;
}

/** Store constructors by import path and function name. */
const CONSTRUCTORS: Record<string, Record<string, Constructor>> = {
  [GORILLA]: { NewCookieStore: { family: 'cookie' }, NewFilesystemStore: { family: 'file' } },
  'github.com/boj/redistore': {
    NewRediStore: { family: 'redistore', address: 2 },
    NewRediStoreWithDB: { family: 'redistore', address: 2 },
    NewRediStoreWithURL: { family: 'redistore', url: 1 },
    NewRediStoreWithPool: { family: 'redistore' },
    NewStore: { family: 'redistore' },
  },
  'github.com/gin-contrib/sessions/cookie': { NewStore: { family: 'cookie' } },
  'github.com/gin-contrib/sessions/redis': {
    NewStore: { family: 'redistore', address: 2 },
    NewStoreWithDB: { family: 'redistore', address: 2 },
    NewStoreWithPool: { family: 'redistore' },
  },
  'github.com/gin-contrib/sessions/memstore': { NewStore: { family: 'memory' } },
  'github.com/gin-contrib/sessions/filesystem': { NewStore: { family: 'file' } },
  'github.com/gin-contrib/sessions/postgres': { NewStore: { family: 'database' } },
  'github.com/gin-contrib/sessions/mongo/mongodriver': { NewStore: { family: 'database' } },
};

const STORAGE: Record<Family, SessionStorage> = { cookie: 'cookie', file: 'file', redistore: 'redis', memory: 'memory', database: 'database' };

const SAME_SITE: Record<string, string> = { SameSiteLaxMode: 'lax', SameSiteStrictMode: 'strict', SameSiteNoneMode: 'none' };

export const gorillaReader: AppSettingsReader = {
  id: 'gorilla',
  wants(fileName) {
    return fileName.endsWith('.go') && !fileName.endsWith('_test.go');
  },
  read(input) {
    if (input.text.length > MAX_TEXT || !MARKERS.some((marker) => input.text.includes(marker))) return [];
    try {
      const file = new GoFile(input);
      return file.wellFormed ? file.configs() : [];
    } catch {
      // A guess over source this reader cannot fully parse: no config rather than a crash.
      return [];
    }
  },
};

// ---- a small Go expression reader ----------------------------------------------------------

type GoValue =
  | { kind: 'str'; value: string; start: number; end: number }
  | { kind: 'num'; value: number; start: number; end: number }
  | { kind: 'bool'; value: boolean; start: number; end: number }
  /** `x`, `pkg.Name`, `http.SameSiteLaxMode`. */
  | { kind: 'name'; path: string[]; start: number; end: number }
  /** `f(args)`, `pkg.F(args)`, `[]byte(x)` (callee '[]byte'). */
  | { kind: 'call'; callee: string; args: GoValue[]; start: number; end: number }
  /** `pkg.T{Field: value}` (a leading `&` dropped). */
  | { kind: 'composite'; type: string; fields: Map<string, { value: GoValue; token: Token }>; start: number; end: number }
  | { kind: 'other'; start: number; end: number };

/** The cookie options a store ends up with, in the order the code sets them. */
interface CookieOptions {
  secure?: Setting<boolean>;
  httpOnly?: Setting<boolean>;
  sameSite?: Setting<string>;
  /** Options.MaxAge: the cookie's Max-Age (and redistore's Redis TTL). */
  maxAge?: Setting<number>;
  /** `store.MaxAge(n)` / `SetMaxAge(n)`: also the age the codecs check the signed value against. */
  codecAge?: Setting<number>;
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '<<']);
const BINARY = new Set([...ARITHMETIC, '|', '&', '^', '>>', '&^', '==', '!=', '<', '>', '<=', '>=', '&&', '||']);

class GoFile {
  private readonly tokens: Token[];
  /** Token tests and bracket matching; the Go expressions themselves are read below. */
  private readonly reader: JsReader;
  readonly wellFormed: boolean;
  /** Import name -> import path. */
  private readonly imports = new Map<string, string>();
  /** Assignment target (`store`, `app.store`, `store.Options.Secure`) -> where its values start. */
  private readonly assignments = new Map<string, number[]>();

  constructor(private readonly input: ParseInput) {
    const scan = tokenize(input.text, 'go');
    this.tokens = scan.tokens;
    this.reader = new JsReader(this.tokens);
    this.wellFormed = this.reader.balanced && !scan.unterminated;
    this.collect();
  }

  private isPunct(i: number, value: string): boolean {
    return this.reader.isPunct(i, value);
  }

  private isId(i: number, value?: string): boolean {
    return this.reader.isId(i, value);
  }

  /** The closer of the bracket opened at `i` (every caller passes an opener, or the end). */
  private closing(i: number): number {
    return this.reader.closing(i);
  }

  /** Imports, and every `a.b = value` / `a, err := value` / `var a T = value` in the file. */
  private collect(): void {
    const { tokens } = this;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (this.isId(i, 'import')) {
        const end = this.isPunct(i + 1, '(') ? this.closing(i + 1) : i + 3;
        for (let j = i + 1; j < end && j < tokens.length; j++) {
          if (tokens[j].kind !== 'str') continue;
          const alias = this.isId(j - 1) && tokens[j - 1].line === tokens[j].line && j - 1 > i ? tokens[j - 1].value : undefined;
          this.imports.set(alias ?? packageName(tokens[j].value), tokens[j].value);
        }
        i = end;
        continue;
      }
      if (token.kind !== 'punct' || (token.value !== '=' && token.value !== ':=')) continue;
      // The target is at the start of the statement, which for Go is the start of the line.
      let start = i - 1;
      while (start > 0 && tokens[start - 1].line === token.line && !this.isPunct(start - 1, '{') && !this.isPunct(start - 1, ';') && !this.isPunct(start - 1, '(')) start--;
      if (this.isId(start, 'var') || this.isId(start, 'const') || this.isId(start, 'if') || this.isId(start, 'for')) start++;
      if (!this.isId(start)) continue;
      const path = [tokens[start].value];
      let j = start + 1;
      while (this.isPunct(j, '.') && this.isId(j + 1)) {
        path.push(tokens[j + 1].value);
        j += 2;
      }
      const key = path.join('.');
      const list = this.assignments.get(key);
      if (list) list.push(i + 1);
      else this.assignments.set(key, [i + 1]);
    }
  }

  /** The value assigned to `name` last before token `at` (else the first), if any. */
  private assigned(name: string, at: number): number | undefined {
    const list = this.assignments.get(name);
    if (!list) return undefined;
    let found: number | undefined;
    for (const index of list) if (index < at) found = index;
    return found ?? list[0];
  }

  // ---- values ------------------------------------------------------------------------------

  private value(i: number, depth = 0): GoValue {
    const [value] = this.expression(i, depth);
    return value;
  }

  private expression(i: number, depth: number): [GoValue, number] {
    let [left, next] = this.unary(i, depth);
    while (this.tokens[next]?.kind === 'punct' && BINARY.has(this.tokens[next].value)) {
      const op = this.tokens[next].value;
      const [right, end] = this.unary(next + 1, depth + 1);
      left = left.kind === 'num' && right.kind === 'num' && ARITHMETIC.has(op)
        ? { kind: 'num', value: arithmetic(op, left.value, right.value), start: left.start, end }
        : { kind: 'other', start: left.start, end };
      next = end;
    }
    return [left, next];
  }

  private unary(i: number, depth: number): [GoValue, number] {
    if (depth > 40) return [{ kind: 'other', start: i, end: i + 1 }, i + 1];
    if (this.isPunct(i, '&') || this.isPunct(i, '*')) return this.unary(i + 1, depth + 1);
    if (this.isPunct(i, '-')) {
      const [value, end] = this.unary(i + 1, depth + 1);
      return [value.kind === 'num' ? { ...value, value: -value.value, start: i } : { kind: 'other', start: i, end }, end];
    }
    const token = this.tokens[i];
    if (!token) return [{ kind: 'other', start: i, end: i }, i];
    if (token.kind === 'str') return [{ kind: 'str', value: token.value, start: i, end: i + 1 }, i + 1];
    if (token.kind === 'num') {
      const value = Number(token.value.replace(/_/g, ''));
      return [Number.isFinite(value) ? { kind: 'num', value, start: i, end: i + 1 } : { kind: 'other', start: i, end: i + 1 }, i + 1];
    }
    if (this.isPunct(i, '[') && this.isPunct(i + 1, ']')) {
      // `[]byte(x)` conversion, or a slice literal `[][]byte{...}`.
      let j = i + 2;
      while (this.isPunct(j, '[') && this.isPunct(j + 1, ']')) j += 2;
      const type = this.tokens[j]?.value ?? '';
      if (this.isPunct(j + 1, '(')) {
        const close = this.closing(j + 1);
        return [{ kind: 'call', callee: `[]${type}`, args: this.args(j + 1, depth), start: i, end: close + 1 }, close + 1];
      }
      if (this.isPunct(j + 1, '{')) {
        const close = this.closing(j + 1);
        return [{ kind: 'other', start: i, end: close + 1 }, close + 1];
      }
    }
    if (this.isPunct(i, '(')) {
      const close = this.closing(i);
      const [inner, end] = this.expression(i + 1, depth + 1);
      return [end === close ? { ...inner, start: i, end: close + 1 } : { kind: 'other', start: i, end: close + 1 }, close + 1];
    }
    if (token.kind === 'id') {
      if (token.value === 'true' || token.value === 'false') return [{ kind: 'bool', value: token.value === 'true', start: i, end: i + 1 }, i + 1];
      if (token.value === 'func') {
        let j = i + 1;
        while (j < this.tokens.length && !this.isPunct(j, '{')) j = this.isPunct(j, '(') ? this.closing(j) + 1 : j + 1;
        const close = this.closing(j);
        return [{ kind: 'other', start: i, end: close + 1 }, close + 1];
      }
      const path = [token.value];
      let j = i + 1;
      while (this.isPunct(j, '.') && this.isId(j + 1)) {
        path.push(this.tokens[j + 1].value);
        j += 2;
      }
      if (this.isPunct(j, '(')) {
        const close = this.closing(j);
        let value: GoValue = { kind: 'call', callee: path.join('.'), args: this.args(j, depth), start: i, end: close + 1 };
        let next = close + 1;
        // A method on the result (`x.New().Method()`) is not one of the calls read here.
        if (this.isPunct(next, '.')) {
          const [, end] = this.unary(next + 1, depth + 1);
          value = { kind: 'other', start: i, end };
          next = end;
        }
        return [value, next];
      }
      if (this.isPunct(j, '{') && /^[A-Z]/.test(path[path.length - 1])) {
        const close = this.closing(j);
        return [{ kind: 'composite', type: path.join('.'), fields: this.fields(j, depth), start: i, end: close + 1 }, close + 1];
      }
      return [{ kind: 'name', path, start: i, end: j }, j];
    }
    return [{ kind: 'other', start: i, end: i + 1 }, i + 1];
  }

  private args(open: number, depth: number): GoValue[] {
    const close = this.closing(open);
    const args: GoValue[] = [];
    let i = open + 1;
    while (i < close) {
      const [value, end] = this.expression(i, depth + 1);
      args.push(value);
      i = this.skipItem(end, close);
    }
    return args;
  }

  private fields(open: number, depth: number): Map<string, { value: GoValue; token: Token }> {
    const close = this.closing(open);
    const fields = new Map<string, { value: GoValue; token: Token }>();
    let i = open + 1;
    while (i < close) {
      if (this.isId(i) && this.isPunct(i + 1, ':')) {
        const [value, end] = this.expression(i + 2, depth + 1);
        fields.set(this.tokens[i].value, { value, token: this.tokens[i] });
        i = this.skipItem(end, close);
        continue;
      }
      const [, end] = this.expression(i, depth + 1);
      i = this.skipItem(end, close);
    }
    return fields;
  }

  /** Past the comma after an item (or to the closer), skipping what was not read. */
  private skipItem(end: number, close: number): number {
    let i = Math.max(end, 0);
    while (i < close && !this.isPunct(i, ',')) i = this.tokens[i].kind === 'punct' && this.tokens[i].value in OPENERS ? this.closing(i) + 1 : i + 1;
    return Math.min(i + 1, close);
  }

  /** A bare name followed to the value it was given in this file. */
  private resolve(value: GoValue, hops = 0): GoValue {
    if (hops > 8 || value.kind !== 'name' || value.path.length !== 1) return value;
    const index = this.assigned(value.path[0], value.start);
    return index === undefined ? value : this.resolve(this.value(index), hops + 1);
  }

  /** `pkg.Name` with `pkg` an import: [import path, Name]. */
  private imported(dotted: string): [string, string] | undefined {
    const dot = dotted.indexOf('.');
    if (dot < 0) return undefined;
    const path = this.imports.get(dotted.slice(0, dot));
    return path === undefined ? undefined : [path, dotted.slice(dot + 1)];
  }

  // ---- configs -----------------------------------------------------------------------------

  configs(): SessionConfig[] {
    const configs: SessionConfig[] = [];
    const { tokens } = this;
    for (let i = 0; i < tokens.length; i++) {
      if (!this.isId(i) || !this.isPunct(i + 1, '.') || !this.isId(i + 2) || !this.isPunct(i + 3, '(')) continue;
      if (this.isPunct(i - 1, '.')) continue;
      const path = this.imports.get(tokens[i].value)?.replace(/\/v\d+$/, '');
      const constructor = path === undefined ? undefined : CONSTRUCTORS[path]?.[tokens[i + 2].value];
      if (!path || !constructor) continue;
      const call = this.value(i);
      if (call.kind !== 'call') continue;
      configs.push(this.config(i, path, constructor, call));
    }
    return configs;
  }

  private config(index: number, importPath: string, constructor: Constructor, call: Extract<GoValue, { kind: 'call' }>): SessionConfig {
    const token = this.tokens[index];
    const location: Location = { file: this.input.file, line: token.line, column: token.column };
    const gin = importPath.startsWith('github.com/gin-contrib/');
    const config: SessionConfig = {
      kind: 'session-config',
      framework: 'gorilla',
      frameworkName: gin ? 'gin-contrib/sessions' : 'gorilla/sessions',
      storage: STORAGE[constructor.family],
      storageDetail: `${packageName(importPath)}.${this.tokens[index + 2].value}`,
      storeHosts: constructor.family === 'redistore' ? this.redisHosts(constructor, call) : [],
      location,
      evidence: this.evidence(token.line),
      appRoot: appRootOf(this.input.absPath),
      cookie: {},
    };

    const options = this.options(index, call);
    if (options.secure) config.cookie.secure = options.secure;
    if (options.httpOnly) config.cookie.httpOnly = options.httpOnly;
    if (options.sameSite) config.cookie.sameSite = options.sameSite;
    const lifetime = this.lifetime(constructor.family, options);
    if (lifetime) config.lifetime = lifetime;

    const what = `${config.frameworkName} key`;
    for (const arg of call.args) {
      const secret = this.key(arg, what, 0);
      if (secret && (!config.secret || secret.source === 'sample')) config.secret = secret;
    }
    return config;
  }

  /** Redis hosts: the address argument, a URL, `WithAddress`/`WithURL` options, or host:port strings in a pool. */
  private redisHosts(constructor: Constructor, call: Extract<GoValue, { kind: 'call' }>): string[] {
    const hosts: string[] = [];
    const text = (value: GoValue | undefined) => {
      const resolved = value && this.resolve(value);
      return resolved?.kind === 'str' ? resolved.value : undefined;
    };
    if (constructor.address !== undefined) hosts.push(...hostsOf(text(call.args[constructor.address]) ?? '', true));
    if (constructor.url !== undefined) hosts.push(...hostsOf(text(call.args[constructor.url]) ?? ''));
    for (const arg of call.args) {
      if (arg.kind === 'call' && /(^|\.)WithAddress$/.test(arg.callee)) hosts.push(...hostsOf(text(arg.args[1]) ?? '', true));
      if (arg.kind === 'call' && /(^|\.)WithURL$/.test(arg.callee)) hosts.push(...hostsOf(text(arg.args[0]) ?? ''));
    }
    if (hosts.length === 0 && constructor.address === undefined && constructor.url === undefined) {
      // A pool or client made elsewhere in the file: the "host:port" and redis:// strings it holds.
      for (const arg of call.args) {
        const resolved = this.resolve(arg);
        for (let i = resolved.start; i < resolved.end; i++) if (this.tokens[i].kind === 'str') hosts.push(...hostsOf(this.tokens[i].value));
      }
    }
    return uniqueHosts(hosts);
  }

  /** The cookie options as the code leaves them, in the order it sets them. */
  private options(index: number, call: Extract<GoValue, { kind: 'call' }>): CookieOptions {
    // Gorilla's defaults; a replaced Options struct gets Go's zero values for the fields it leaves out.
    // A field set from an expression is unknown (undefined).
    const state: CookieOptions = { secure: { value: false }, httpOnly: { value: false }, maxAge: { value: DEFAULT_MAX_AGE } };
    const replace = (composite: Extract<GoValue, { kind: 'composite' }>) => {
      state.secure = { value: false };
      state.httpOnly = { value: false };
      state.sameSite = undefined;
      state.maxAge = { value: 0 };
      for (const [field, { value, token }] of composite.fields) setField(field, value, token);
    };
    const setField = (field: string, value: GoValue, token: Token) => {
      const resolved = this.resolve(value);
      if (field === 'Secure' || field === 'HttpOnly') {
        state[field === 'Secure' ? 'secure' : 'httpOnly'] = resolved.kind === 'bool' ? this.setting(resolved.value, token) : undefined;
      } else if (field === 'MaxAge') {
        state.maxAge = resolved.kind === 'num' ? this.setting(resolved.value, token) : undefined;
      } else if (field === 'SameSite' && resolved.kind === 'name') {
        const mode = SAME_SITE[resolved.path[resolved.path.length - 1]];
        state.sameSite = mode ? this.setting(mode, token) : undefined;
      }
    };
    const setAge = (args: GoValue[], token: Token) => {
      const age = args[0] && this.resolve(args[0]);
      state.maxAge = age?.kind === 'num' ? this.setting(age.value, token) : undefined;
      state.codecAge = state.maxAge;
    };

    // redistore v2 options passed to the constructor.
    for (const arg of call.args) {
      if (arg.kind !== 'call') continue;
      const token = this.tokens[arg.start];
      if (/(^|\.)WithMaxAge$/.test(arg.callee)) setAge(arg.args, token);
      if (/(^|\.)WithSessionOptions$/.test(arg.callee) && arg.args[0]?.kind === 'composite') replace(arg.args[0]);
    }

    const target = this.targetOf(index);
    if (!target) return state;
    const { tokens } = this;
    // Statements on the store after it is made: `target.Options = ...`, `target.Options.X = ...`, `target.MaxAge(n)`.
    for (let i = 0; i < tokens.length; i++) {
      if (!this.startsPath(i, target)) continue;
      let j = i + target.length * 2 - 1;
      if (!this.isPunct(j, '.') || !this.isId(j + 1)) continue;
      const member = tokens[j + 1].value;
      j += 2;
      if (member === 'Options' && this.isPunct(j, '=')) {
        const value = this.resolve(this.value(j + 1));
        if (value.kind === 'composite') replace(value);
      } else if (member === 'Options' && this.isPunct(j, '(')) {
        // gin-contrib: store.Options(sessions.Options{...}).
        const [arg] = this.args(j, 0);
        const value = arg && this.resolve(arg);
        if (value?.kind === 'composite') replace(value);
      } else if (member === 'Options' && this.isPunct(j, '.') && this.isId(j + 1) && this.isPunct(j + 2, '=')) {
        setField(tokens[j + 1].value, this.value(j + 3), tokens[j + 1]);
      } else if ((member === 'MaxAge' || member === 'SetMaxAge') && this.isPunct(j, '(')) {
        setAge(this.args(j, 0), tokens[j - 1]);
      }
    }
    return state;
  }

  /** Does a use of the dotted name `target` start at token `i`? */
  private startsPath(i: number, target: string[]): boolean {
    if (this.isPunct(i - 1, '.')) return false;
    for (let k = 0; k < target.length; k++) {
      if (!this.isId(i + k * 2, target[k])) return false;
      if (k < target.length - 1 && !this.isPunct(i + k * 2 + 1, '.')) return false;
    }
    return true;
  }

  /** The variable (or field) the constructor's result is assigned to: `store`, `app.store`. */
  private targetOf(index: number): string[] | undefined {
    if (!this.isPunct(index - 1, '=') && !this.isPunct(index - 1, ':=')) return undefined;
    for (const [name, starts] of this.assignments) if (starts.includes(index)) return name.split('.');
    return undefined;
  }

  /**
   * Seconds a session stays valid. Cookie and file stores: the codecs' age (30 days unless MaxAge(n)),
   * or a shorter cookie MaxAge the code sets. redistore: the Redis TTL, Options.MaxAge or 20 minutes when 0.
   */
  private lifetime(family: Family, options: CookieOptions): Setting<number | null> | undefined {
    const { maxAge, codecAge } = options;
    if (family === 'redistore') {
      if (!maxAge) return undefined;
      if (maxAge.value > 0) return maxAge;
      return maxAge.value === 0 ? { value: REDISTORE_DEFAULT_TTL } : undefined;
    }
    if (codecAge) return codecAge.value === 0 ? { ...codecAge, value: null } : codecAge.value > 0 ? codecAge : undefined;
    if (maxAge && maxAge.value > 0) return maxAge;
    // MaxAge 0 leaves the cookie to the browser session; the codecs still reject it after 30 days.
    return family === 'cookie' || family === 'file' ? { value: DEFAULT_MAX_AGE } : undefined;
  }

  /**
   * A key argument's source when it is a problem. Keys are `[]byte` values: `[]byte("literal")`,
   * `[]byte(constName)`, `securecookie.GenerateRandomKey(32)`, a `make([]byte, n)` filled by
   * crypto/rand. Other arguments (paths, addresses, passwords) are strings and are not keys.
   */
  private key(value: GoValue, what: string, depth: number): SessionSecret | undefined {
    if (depth > 6) return undefined;
    const resolved = this.resolve(value);
    if (resolved.kind !== 'call') return undefined;
    if (resolved.callee === '[]byte' && resolved.args[0]) {
      const text = this.resolve(resolved.args[0]);
      if (text.kind !== 'str') return undefined;
      return this.secretAt(isSampleSecret(text.value) ? 'sample' : 'literal', what, this.tokens[text.start]);
    }
    const imported = this.imported(resolved.callee);
    if (imported && imported[0] === SECURECOOKIE && imported[1] === 'GenerateRandomKey') {
      return this.secretAt('per-node', what, this.tokens[resolved.start]);
    }
    if (resolved.callee === 'make' && value.kind === 'name' && this.filledByRand(value.path[0])) {
      // key := make([]byte, 32); rand.Read(key)
      return this.secretAt('per-node', what, this.tokens[resolved.start]);
    }
    return undefined;
  }

  private filledByRand(name: string): boolean {
    const { tokens } = this;
    for (let i = 0; i + 4 < tokens.length; i++) {
      if (this.isId(i, 'rand') && this.isPunct(i + 1, '.') && this.isId(i + 2, 'Read') && this.isPunct(i + 3, '(') && this.isId(i + 4, name)) return true;
      if (this.isId(i, 'ReadFull') && this.isPunct(i + 1, '(') && this.isId(i + 2, 'rand') && this.isId(i + 6, name)) return true;
    }
    return false;
  }

  private secretAt(source: SessionSecret['source'], what: string, token: Token): SessionSecret {
    return { source, what, location: { file: this.input.file, line: token.line, column: token.column }, evidence: this.evidence(token.line) };
  }

  private setting<T>(value: T, token: Token): Setting<T> {
    return { value, location: { file: this.input.file, line: token.line, column: token.column }, evidence: this.evidence(token.line) };
  }

  private evidence(line: number): string {
    // Store URLs in these lines may carry a password: never into a report.
    return redactUrlCredentials((this.input.lines()[line - 1] ?? '').trim());
  }
}

function arithmetic(op: string, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? Number.NaN : Math.trunc(a / b);
    case '%': return a % b;
    default: return a * 2 ** b;
  }
}

/** The package name an import path gets by default: its last element, without a /vN major version. */
function packageName(importPath: string): string {
  const parts = importPath.split('/');
  let last = parts[parts.length - 1];
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/\.v\d+$/, '').replace(/^go-/, '').replace(/-go$/, '');
}
