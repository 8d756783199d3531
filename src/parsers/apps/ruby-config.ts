/**
 * Calls and assignments on a Rails `config` object in Ruby source (`config.session_store :cookie_store,
 * key: "_app", expire_after: 2.weeks`, `config.cache_store = :redis_cache_store, { url: "..." }`,
 * `config.secret_key_base = ENV["SECRET_KEY_BASE"]`), with their arguments evaluated as far as a config
 * file needs: symbols, strings, numbers, true/false/nil, hashes (`key: v` and `:key => v`), arrays,
 * ActiveSupport durations (`30.minutes`), arithmetic, `ENV[...]` / `ENV.fetch(...)` (with their
 * fallbacks), and `SecureRandom.*` (a new value per process). Hand-written and tolerant because it
 * reads source code: what it cannot follow becomes `unknown`, and nothing here throws.
 */

export type RbValue =
  | { t: 'sym'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'nil' }
  | { t: 'hash'; entries: Map<string, RbEntry> }
  | { t: 'array'; items: RbValue[] }
  | { t: 'env'; name?: string; fallback?: RbValue }
  | { t: 'random'; call: string }
  /** A constant or method chain not evaluated: `ActionDispatch::Session::CacheStore`, `Rails.env.production?`. */
  | { t: 'ref'; path: string }
  | { t: 'unknown'; text: string };

export interface RbEntry {
  value: RbValue;
  /** 1-based line and column of the key. */
  line: number;
  column: number;
}

export interface ConfigStatement {
  /** `session_store`, `cache_store`, `secret_key_base`, ... */
  name: string;
  /** The receiver as written: `config`, `Rails.application.config`. */
  receiver: string;
  args: RbValue[];
  /** 1-based line and column where the receiver starts. */
  line: number;
  column: number;
}

interface Token {
  kind: 'ident' | 'const' | 'label' | 'sym' | 'str' | 'num' | 'op' | 'newline';
  text: string;
  /** Decoded value of str, sym, label; undefined for a string with `#{}` in it. */
  value?: string;
  line: number;
  column: number;
  start: number;
  end: number;
}

/** ActiveSupport::Duration::PARTS_IN_SECONDS: a month is 1/12 of a Gregorian year (2629746 s), a year 365.2425 days. */
const DURATION_SECONDS: Record<string, number> = {
  second: 1, seconds: 1, minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400,
  week: 604800, weeks: 604800, fortnight: 1209600, fortnights: 1209600, month: 2629746, months: 2629746, year: 31556952, years: 31556952,
};

/** Receivers whose settings are the app's: `config`, `Rails.application.config`, `Foo::Application.config`, Rails 2's `config.action_controller`. */
const CONFIG_RECEIVER = /(?:^|\.)(?:config|action_controller)$/;

/** Every `<config receiver>.<name>` call or assignment whose name is in `names`, in file order. */
export function configStatements(text: string, names: ReadonlySet<string>): ConfigStatement[] {
  const tokens = tokenize(text);
  const statements: ConfigStatement[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'ident' || !names.has(token.text) || tokens[i - 1].text !== '.') continue;
    const receiverStart = receiverStartOf(tokens, i - 1);
    const receiver = tokens
      .slice(receiverStart, i - 1)
      .map((part) => part.text)
      .join('');
    if (!CONFIG_RECEIVER.test(receiver)) continue;
    const parser = new ArgumentParser(tokens, i + 1, text);
    statements.push({ name: token.text, receiver, args: parser.parseStatementArgs(), line: tokens[receiverStart].line, column: tokens[receiverStart].column });
  }
  return statements;
}

function receiverStartOf(tokens: Token[], dot: number): number {
  let at = dot;
  while (at > 0) {
    const before = tokens[at - 1];
    if (before.kind !== 'ident' && before.kind !== 'const') break;
    at--;
    const sep = tokens[at - 1];
    if (!sep || (sep.text !== '.' && sep.text !== '::')) break;
    at--;
  }
  return at;
}

// ---------------------------------------------------------------------------------------------
// Tokens

const OPERATORS = ['=>', '::', '||=', '&&=', '||', '&&', '==', '!=', '**', '&.', '<<', '+=', '-=', '<=', '>='];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  let i = 0;
  const push = (kind: Token['kind'], start: number, end: number, value?: string, startLine = line, startColumn = start - lineStart + 1) =>
    tokens.push({ kind, text: text.slice(start, end), value, line: startLine, column: startColumn, start, end });
  while (i < text.length) {
    const char = text[i];
    if (char === '\n') {
      if (depth === 0) push('newline', i, i + 1);
      i++;
      line++;
      lineStart = i;
      if (text.startsWith('=begin', i)) {
        const end = text.indexOf('\n=end', i);
        const stop = end === -1 ? text.length : end + 5;
        for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
        i = stop;
        lineStart = text.lastIndexOf('\n', i - 1) + 1;
      }
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      i++;
      continue;
    }
    if (char === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
      lineStart = i;
      continue;
    }
    if (char === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (char === '"' || char === "'") {
      const startLine = line;
      const startColumn = i - lineStart + 1;
      const begin = i;
      let value = '';
      let interpolated = false;
      i++;
      while (i < text.length && text[i] !== char) {
        if (text[i] === '\\' && i + 1 < text.length) {
          const next = text[i + 1];
          value += char === "'" ? (next === "'" || next === '\\' ? next : `\\${next}`) : next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
          continue;
        }
        if (char === '"' && text.startsWith('#{', i)) interpolated = true;
        if (text[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
        value += text[i];
        i++;
      }
      if (i >= text.length) return tokens; // unterminated: keep what came before
      i++;
      // `"key": value` is a label too.
      if (text[i] === ':' && text[i + 1] !== ':' && isLabelContext(tokens)) {
        push('label', begin, i + 1, value, startLine, startColumn);
        i++;
        continue;
      }
      push('str', begin, i, interpolated ? undefined : value, startLine, startColumn);
      continue;
    }
    if (char === ':' && text[i + 1] !== ':' && /[A-Za-z_"]/.test(text[i + 1] ?? '') && tokens.at(-1)?.text !== '?' && !/[\w)\]]/.test(text[i - 1] ?? ' ')) {
      if (text[i + 1] === '"') {
        const end = text.indexOf('"', i + 2);
        if (end === -1) return tokens;
        push('sym', i, end + 1, text.slice(i + 2, end));
        i = end + 1;
        continue;
      }
      const name = /^[A-Za-z_][A-Za-z0-9_]*[?!=]?/.exec(text.slice(i + 1, i + 200))![0];
      push('sym', i, i + 1 + name.length, name);
      i += 1 + name.length;
      continue;
    }
    const word = /^[@$]{0,2}[A-Za-z_][A-Za-z0-9_]*[?!]?/.exec(text.slice(i, i + 200));
    if (word) {
      const end = i + word[0].length;
      if (text[end] === ':' && text[end + 1] !== ':' && !/[?!]$/.test(word[0]) && isLabelContext(tokens)) {
        push('label', i, end + 1, word[0]);
        i = end + 1;
        continue;
      }
      push(/^[A-Z]/.test(word[0]) ? 'const' : 'ident', i, end);
      i = end;
      continue;
    }
    const number = /^\d[\d_]*(?:\.\d[\d_]*)?/.exec(text.slice(i, i + 100));
    if (number) {
      push('num', i, i + number[0].length);
      i += number[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i)) ?? char;
    if ('([{'.includes(op)) depth++;
    if (')]}'.includes(op)) depth = Math.max(0, depth - 1);
    push('op', i, i + op.length);
    i += op.length;
  }
  return tokens;
}

/** A `word:` is a hash label unless it ends a ternary's middle (`a ? b : c` has spaces, so rarely matters). */
function isLabelContext(tokens: Token[]): boolean {
  const before = tokens.at(-1);
  return !before || before.kind === 'newline' || ['(', '{', '[', ',', '|'].includes(before.text) || before.kind === 'ident' || before.kind === 'const' || before.kind === 'sym';
}

// ---------------------------------------------------------------------------------------------
// Arguments

const BINARY_CONTINUES = new Set([',', '=>', '||', '&&', '+', '-', '*', '/', '=', '(', '[', '{', '.', '&.']);

class ArgumentParser {
  private at: number;

  constructor(
    private readonly tokens: Token[],
    start: number,
    private readonly text: string,
  ) {
    this.at = start;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }

  private take(): Token {
    return this.tokens[this.at++];
  }

  private accept(text: string): boolean {
    if (this.peek()?.text !== text) return false;
    this.at++;
    return true;
  }

  /** Newlines after a token that cannot end an expression (`,`, `=>`, `+`) continue the statement. */
  private skipContinuation(): void {
    while (this.peek()?.kind === 'newline' && BINARY_CONTINUES.has(this.tokens[this.at - 1]?.text ?? '')) this.at++;
  }

  private unknownFrom(start: number): RbValue {
    const first = this.tokens[start];
    const last = this.tokens[Math.max(start, this.at - 1)];
    return { t: 'unknown', text: first && last ? this.text.slice(first.start, last.end) : '' };
  }

  private atEnd(): boolean {
    const next = this.peek();
    return !next || next.kind === 'newline' || next.text === ';' || next.text === ')' || next.text === 'end' || next.text === '}' || next.text === 'do';
  }

  /** `= a, b`, `(a, b)` or ` a, b`: the values, with trailing `key: value` pairs gathered into one hash. */
  parseStatementArgs(): RbValue[] {
    if (this.accept('=')) {
      this.skipContinuation();
      return this.parseList(() => this.atEnd());
    }
    if (this.peek()?.text === '(' && this.tokens[this.at].start === this.tokens[this.at - 1].end) {
      this.take();
      const args = this.parseList(() => this.peek()?.text === ')' || !this.peek());
      this.accept(')');
      return args;
    }
    return this.atEnd() ? [] : this.parseList(() => this.atEnd());
  }

  private parseList(ended: () => boolean): RbValue[] {
    const args: RbValue[] = [];
    let bareHash: Map<string, RbEntry> | undefined;
    while (!ended()) {
      const pair = this.parsePair();
      if (pair) {
        bareHash ??= new Map();
        bareHash.set(pair.key, pair.entry);
      } else {
        args.push(this.parseExpression());
      }
      if (!this.accept(',')) break;
      this.skipContinuation();
    }
    if (bareHash) args.push({ t: 'hash', entries: bareHash });
    return args;
  }

  /** `key: value`, `:key => value`, `"key" => value`; undefined (nothing consumed) for anything else. */
  private parsePair(): { key: string; entry: RbEntry } | undefined {
    const first = this.peek();
    if (!first) return undefined;
    if (first.kind === 'label') {
      this.take();
      this.skipContinuation();
      return { key: first.value ?? first.text.replace(/:$/, ''), entry: { value: this.parseExpression(), line: first.line, column: first.column } };
    }
    if ((first.kind === 'sym' || first.kind === 'str') && this.peek(1)?.text === '=>' && first.value !== undefined) {
      this.at += 2;
      this.skipContinuation();
      return { key: first.value, entry: { value: this.parseExpression(), line: first.line, column: first.column } };
    }
    return undefined;
  }

  parseExpression(): RbValue {
    let left = this.parseSum();
    while (this.peek()?.text === '||' || this.peek()?.text === 'or') {
      this.take();
      this.skipContinuation();
      const right = this.parseSum();
      if (left.t === 'env' && left.fallback === undefined) left = { ...left, fallback: right };
      else if (left.t === 'nil' || (left.t === 'bool' && !left.v)) left = right;
    }
    // A trailing `if`/`unless` modifier makes the statement conditional: not known.
    if (this.peek()?.text === 'if' || this.peek()?.text === 'unless' || this.peek()?.text === '?') {
      const start = this.at;
      while (!this.atEnd()) this.take();
      return this.unknownFrom(start);
    }
    return left;
  }

  private parseSum(): RbValue {
    let left = this.parseProduct();
    for (;;) {
      const op = this.peek()?.text;
      if ((op !== '+' && op !== '-') || this.peek()?.kind !== 'op') return left;
      this.take();
      this.skipContinuation();
      left = arithmetic(op, left, this.parseProduct());
    }
  }

  private parseProduct(): RbValue {
    let left = this.parseUnary();
    for (;;) {
      const op = this.peek()?.text;
      if ((op !== '*' && op !== '/' && op !== '**') || this.peek()?.kind !== 'op') return left;
      this.take();
      this.skipContinuation();
      left = arithmetic(op, left, this.parseUnary());
    }
  }

  private parseUnary(): RbValue {
    if (this.peek()?.text === '-' && this.peek()?.kind === 'op') {
      this.take();
      const value = this.parseUnary();
      return value.t === 'num' ? { t: 'num', v: -value.v } : value;
    }
    return this.parsePostfix();
  }

  private parsePostfix(): RbValue {
    const start = this.at;
    let value = this.parsePrimary();
    for (;;) {
      const next = this.peek();
      if ((next?.text === '.' || next?.text === '&.' || next?.text === '::') && next.kind === 'op' && (this.peek(1)?.kind === 'ident' || this.peek(1)?.kind === 'const')) {
        this.take();
        const member = this.take().text;
        const args = this.peek()?.text === '(' && this.peek()?.start === this.tokens[this.at - 1].end ? this.parseParenArgs() : [];
        value = this.member(value, member, args, start);
      } else if (next?.text === '[' && next.start === this.tokens[this.at - 1].end) {
        this.take();
        const index = this.parseExpression();
        this.accept(']');
        value = value.t === 'ref' && value.path === 'ENV' ? (index.t === 'str' ? { t: 'env', name: index.v } : { t: 'env' }) : this.unknownFrom(start);
      } else if (next?.text === '{' && value.t === 'env' && value.fallback === undefined) {
        // ENV.fetch("X") { default }: the block gives the fallback.
        this.take();
        const fallback = this.parseExpression();
        this.accept('}');
        value = { ...value, fallback };
      } else {
        return value;
      }
    }
  }

  private member(value: RbValue, member: string, args: RbValue[], start: number): RbValue {
    if (value.t === 'num' && DURATION_SECONDS[member] !== undefined) return { t: 'num', v: value.v * DURATION_SECONDS[member] };
    if ((value.t === 'num' || value.t === 'env') && (member === 'to_i' || member === 'to_s' || member === 'seconds')) return value;
    if (value.t === 'ref') {
      if (value.path === 'ENV' && member === 'fetch') {
        const name = args[0]?.t === 'str' ? args[0].v : undefined;
        return { t: 'env', ...(name !== undefined ? { name } : {}), ...(args[1] ? { fallback: args[1] } : {}) };
      }
      if (value.path === 'SecureRandom') return { t: 'random', call: `SecureRandom.${member}` };
      return { t: 'ref', path: `${value.path}.${member}` };
    }
    return this.unknownFrom(start);
  }

  private parseParenArgs(): RbValue[] {
    this.take(); // (
    const args = this.parseList(() => this.peek()?.text === ')' || !this.peek());
    this.accept(')');
    return args;
  }

  private parsePrimary(): RbValue {
    const start = this.at;
    const token = this.take();
    if (!token) return { t: 'unknown', text: '' };
    switch (token.kind) {
      case 'num':
        return { t: 'num', v: Number(token.text.replace(/_/g, '')) };
      case 'str': {
        let value = token.value;
        // Adjacent literals concatenate, and a `\` line end joins them too.
        while (this.peek()?.kind === 'str') {
          const next = this.take().value;
          value = value === undefined || next === undefined ? undefined : value + next;
        }
        return value === undefined ? this.unknownFrom(start) : { t: 'str', v: value };
      }
      case 'sym':
        return { t: 'sym', v: token.value ?? '' };
      case 'const':
        return { t: 'ref', path: token.text };
      case 'ident':
        if (token.text === 'true' || token.text === 'false') return { t: 'bool', v: token.text === 'true' };
        if (token.text === 'nil') return { t: 'nil' };
        return { t: 'ref', path: token.text };
      case 'op':
        if (token.text === '(') {
          const value = this.parseExpression();
          this.accept(')');
          return value;
        }
        if (token.text === '[') {
          const items = this.parseList(() => this.peek()?.text === ']' || !this.peek());
          this.accept(']');
          return { t: 'array', items };
        }
        if (token.text === '{') {
          const entries = new Map<string, RbEntry>();
          while (this.peek() && this.peek()?.text !== '}') {
            const pair = this.parsePair();
            if (!pair) return this.skipBlock(start);
            entries.set(pair.key, pair.entry);
            if (!this.accept(',')) break;
          }
          this.accept('}');
          return { t: 'hash', entries };
        }
        return this.unknownFrom(start);
      default:
        return this.unknownFrom(start);
    }
  }

  /** Skip to the bracket that closes the one just opened (a `{ ... }` that is a block, not a hash): unknown. */
  private skipBlock(start: number): RbValue {
    let depth = 1;
    while (this.peek() && depth > 0) {
      const text = this.take().text;
      if ('([{'.includes(text)) depth++;
      else if (')]}'.includes(text)) depth--;
    }
    return this.unknownFrom(start);
  }
}

function arithmetic(op: string, left: RbValue, right: RbValue): RbValue {
  if (left.t === 'num' && right.t === 'num') {
    const value = op === '+' ? left.v + right.v : op === '-' ? left.v - right.v : op === '*' ? left.v * right.v : op === '/' ? left.v / right.v : left.v ** right.v;
    return Number.isFinite(value) ? { t: 'num', v: value } : { t: 'unknown', text: op };
  }
  if (op === '+' && left.t === 'str' && right.t === 'str') return { t: 'str', v: left.v + right.v };
  return { t: 'unknown', text: op };
}

/** The value under a key of a hash value. */
export function hashGet(value: RbValue | undefined, key: string): RbEntry | undefined {
  return value?.t === 'hash' ? value.entries.get(key) : undefined;
}
