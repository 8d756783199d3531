/**
 * The module-level assignments of a Python settings module (Django's settings.py and the like),
 * evaluated as far as a settings file needs: literals, True/False/None, int arithmetic
 * (`60 * 60 * 24 * 7`), string concatenation, dict and list literals (CACHES), names assigned
 * earlier, `timedelta(days=14).total_seconds()`, and the calls that read the environment
 * (`os.environ[...]`, `os.environ.get(...)`, `os.getenv(...)`, django-environ's `env(...)`,
 * python-decouple's `config(...)`) or make a random value (`get_random_secret_key()`, `secrets.*`).
 * Hand-written and tolerant because it reads source code, not a config format: what it cannot
 * follow becomes `unknown` (with its text), and nothing here throws. Indented statements (inside
 * `if DEBUG:` and the like) are conditional and skipped on purpose. The tokens are py-scan's, which
 * the Flask reader reads too.
 */

import { scanPython, stringRun, type PyToken } from './py-scan.js';

/** What a module-level name is bound to, evaluated (py-scan's PyValue is an expression as written). */
export type SettingValue =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'dict'; entries: Array<{ key: SettingValue; value: SettingValue; line: number }> }
  | { t: 'list'; items: SettingValue[] }
  /** Read from the environment; `fallback` is used when the variable is unset. */
  | { t: 'env'; name?: string; fallback?: SettingValue }
  /** Made up when the module is imported: differs per process. */
  | { t: 'random'; call: string }
  /** A dotted name not (yet) resolved to a value: `os.environ`, `env.str`. */
  | { t: 'ref'; path: string }
  | { t: 'unknown'; text: string };

export interface PyAssignment {
  name: string;
  value: SettingValue;
  /** 1-based line and column of the target name. */
  line: number;
  column: number;
  /** The expression's source text. */
  text: string;
}

export interface PyModule {
  /** Last assignment per name, in file order of their last assignment. */
  assignments: Map<string, PyAssignment>;
  /** Modules named by `from X import *`, as written (`.base`, `config.settings.base`). */
  starImports: string[];
}

export function parsePythonModule(text: string, known: ReadonlyMap<string, SettingValue> = new Map()): PyModule {
  const values = new Map<string, SettingValue>(known);
  const assignments = new Map<string, PyAssignment>();
  const starImports: string[] = [];
  for (const statement of moduleStatements(text)) {
    const star = starImportOf(text, statement);
    if (star !== undefined) {
      starImports.push(star);
      continue;
    }
    const targets: PyToken[] = [];
    let at = 0;
    while (statement[at]?.kind === 'name' && wordOf(statement[at + 1]) === '=') {
      targets.push(statement[at]);
      at += 2;
    }
    if (targets.length === 0 || at >= statement.length) continue;
    const parser = new ExpressionParser(statement, at, text, values);
    const value = parser.parseExpression();
    const exprText = text.slice(statement[at].start, statement[statement.length - 1].end);
    // A dotted name left unresolved (`SOME_IMPORTED_CONSTANT`) is as unknown as a half-read expression.
    const final: SettingValue = parser.done() && value.t !== 'ref' ? value : { t: 'unknown', text: exprText };
    for (const target of targets) {
      values.set(target.value, final);
      assignments.delete(target.value);
      assignments.set(target.value, { name: target.value, value: final, line: target.line, column: target.column, text: exprText });
    }
  }
  return { assignments, starImports };
}

/**
 * The module-level logical lines (indented ones are conditional), from py-scan's tokens. A module
 * with an unterminated string would not import at all; what comes before the string is still read,
 * nothing after it.
 */
function moduleStatements(text: string): PyToken[][] {
  const statements: PyToken[][] = [];
  for (const line of scanPython(text).lines) {
    const cut = line.tokens.findIndex((token) => token.unterminated);
    const tokens = cut < 0 ? line.tokens : line.tokens.slice(0, cut);
    if (tokens.length > 0 && tokens[0].column === 1) statements.push(tokens);
    if (cut >= 0) break;
  }
  return statements;
}

/** A name, number or operator as written; undefined for a string, so `'='` is never the operator. */
function wordOf(token: PyToken | undefined): string | undefined {
  return token === undefined || token.kind === 'str' || token.kind === 'fstr' ? undefined : token.value;
}

function starImportOf(text: string, statement: PyToken[]): string | undefined {
  if (wordOf(statement[0]) !== 'from' || wordOf(statement.at(-1)) !== '*' || wordOf(statement.at(-2)) !== 'import') return undefined;
  return statement
    .slice(1, -2)
    .map((token) => text.slice(token.start, token.end))
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Expressions

const ENV_READERS = /(?:^|\.)(?:environ\.get|environ\.setdefault|getenv)$|^(?:env|config)$|^env\.[a-z_]+$/;
const RANDOM_MAKERS = /(?:^|\.)(?:get_random_secret_key|token_urlsafe|token_hex|token_bytes|urandom|uuid4|get_random_string)$/;
const TIMEDELTA_SECONDS: Record<string, number> = { weeks: 604800, days: 86400, hours: 3600, minutes: 60, seconds: 1 };

class ExpressionParser {
  private at: number;

  constructor(
    private readonly tokens: PyToken[],
    start: number,
    private readonly text: string,
    private readonly names: ReadonlyMap<string, SettingValue>,
  ) {
    this.at = start;
  }

  done(): boolean {
    return this.at >= this.tokens.length;
  }

  private peek(offset = 0): PyToken | undefined {
    return this.tokens[this.at + offset];
  }

  /** The next name, number or operator (undefined at a string or the end). */
  private peekWord(offset = 0): string | undefined {
    return wordOf(this.peek(offset));
  }

  private take(): PyToken {
    return this.tokens[this.at++];
  }

  private accept(word: string): boolean {
    if (this.peekWord() !== word) return false;
    this.at++;
    return true;
  }

  private unknownFrom(startToken: number): SettingValue {
    const first = this.tokens[startToken];
    const last = this.tokens[Math.max(startToken, this.at - 1)];
    return { t: 'unknown', text: first && last ? this.text.slice(first.start, last.end) : '' };
  }

  parseExpression(): SettingValue {
    const start = this.at;
    const value = this.parseOr();
    if (this.peekWord() === 'if') {
      // `a if cond else b`: which branch applies is not known statically.
      this.take();
      this.parseOr();
      if (this.accept('else')) this.parseExpression();
      return this.unknownFrom(start);
    }
    return value;
  }

  private parseOr(): SettingValue {
    let left = this.parseAnd();
    while (this.accept('or')) {
      const right = this.parseAnd();
      if (left.t === 'env' && left.fallback === undefined) left = { ...left, fallback: right };
      else if (left.t === 'str' && left.v !== '') continue;
      else left = right.t === 'unknown' ? right : { t: 'unknown', text: 'or' };
    }
    return left;
  }

  private parseAnd(): SettingValue {
    const start = this.at;
    let left = this.parseNot();
    while (this.accept('and')) {
      this.parseNot();
      left = this.unknownFrom(start);
    }
    return left;
  }

  private parseNot(): SettingValue {
    const start = this.at;
    if (this.accept('not')) {
      this.parseNot();
      return this.unknownFrom(start);
    }
    const left = this.parseArith();
    if (['==', '!=', '<', '>', '<=', '>=', 'in', 'is'].includes(this.peekWord() ?? '')) {
      this.take();
      this.accept('not');
      this.parseArith();
      return this.unknownFrom(start);
    }
    return left;
  }

  private parseArith(): SettingValue {
    let left = this.parseTerm();
    for (;;) {
      const op = this.peekWord();
      if (op !== '+' && op !== '-' && op !== '|') return left;
      this.take();
      const right = this.parseTerm();
      left = combine(op, left, right);
    }
  }

  private parseTerm(): SettingValue {
    let left = this.parseFactor();
    for (;;) {
      const op = this.peekWord();
      if (op !== '*' && op !== '/' && op !== '//' && op !== '%') return left;
      this.take();
      left = combine(op, left, this.parseFactor());
    }
  }

  private parseFactor(): SettingValue {
    if (this.accept('-')) {
      const value = this.parseFactor();
      return value.t === 'num' ? { t: 'num', v: -value.v } : value;
    }
    if (this.accept('+')) return this.parseFactor();
    const base = this.parsePostfix();
    if (this.accept('**')) return combine('**', base, this.parseFactor());
    return base;
  }

  private parsePostfix(): SettingValue {
    const start = this.at;
    let value = this.parseAtom();
    for (;;) {
      const next = this.peekWord();
      if (next === '.' && this.peek(1)?.kind === 'name') {
        this.take();
        const member = this.take().value;
        if (value.t === 'ref') value = { t: 'ref', path: `${value.path}.${member}` };
        else if (member === 'total_seconds' && value.t === 'num' && this.peekWord() === '(') value = this.skipCall(value);
        else value = { t: 'ref', path: `<${this.text.slice(this.tokens[start].start, this.tokens[this.at - 1].end)}>` };
      } else if (next === '(') {
        value = this.parseCall(value, start);
      } else if (next === '[') {
        value = this.parseSubscript(value, start);
      } else {
        return value;
      }
    }
  }

  /** A call whose result is the value already computed (`.total_seconds()`). */
  private skipCall(value: SettingValue): SettingValue {
    this.parseArguments();
    return value;
  }

  private parseCall(callee: SettingValue, start: number): SettingValue {
    const { positional, keywords } = this.parseArguments();
    if (callee.t !== 'ref') return this.unknownFrom(start);
    const path = callee.path;
    if (ENV_READERS.test(path)) {
      const name = positional[0]?.t === 'str' ? positional[0].v : undefined;
      const fallback = positional[1] ?? keywords.get('default');
      return { t: 'env', ...(name !== undefined ? { name } : {}), ...(fallback ? { fallback } : {}) };
    }
    if (RANDOM_MAKERS.test(path)) return { t: 'random', call: `${path}()` };
    if (['int', 'str', 'float', 'bool'].includes(path) && positional.length === 1) {
      const arg = positional[0];
      if (path === 'int' && arg.t === 'num') return { t: 'num', v: Math.trunc(arg.v) };
      return arg.t === 'env' || arg.t === 'random' || arg.t === path || (path === 'float' && arg.t === 'num') ? arg : this.unknownFrom(start);
    }
    if (/(?:^|\.)timedelta$/.test(path)) {
      let seconds = 0;
      for (const [key, value] of keywords) {
        if (value.t !== 'num' || TIMEDELTA_SECONDS[key] === undefined) return this.unknownFrom(start);
        seconds += value.v * TIMEDELTA_SECONDS[key];
      }
      if (positional[0]?.t === 'num') seconds += positional[0].v * 86400;
      return { t: 'num', v: seconds };
    }
    if (path === 'dict') return { t: 'dict', entries: [...keywords].map(([key, value]) => ({ key: { t: 'str', v: key }, value, line: 0 })) };
    return this.unknownFrom(start);
  }

  private parseArguments(): { positional: SettingValue[]; keywords: Map<string, SettingValue> } {
    const positional: SettingValue[] = [];
    const keywords = new Map<string, SettingValue>();
    this.take(); // (
    while (this.peek() && this.peekWord() !== ')') {
      if (this.peek()?.kind === 'name' && this.peekWord(1) === '=') {
        const key = this.take().value;
        this.take();
        keywords.set(key, this.parseExpression());
      } else {
        this.accept('*');
        this.accept('**');
        positional.push(this.parseExpression());
      }
      if (!this.accept(',')) break;
    }
    this.accept(')');
    return { positional, keywords };
  }

  private parseSubscript(value: SettingValue, start: number): SettingValue {
    this.take(); // [
    const index = this.parseExpression();
    this.accept(']');
    if (value.t === 'ref' && /(?:^|\.)environ$/.test(value.path)) return index.t === 'str' ? { t: 'env', name: index.v } : { t: 'env' };
    if (value.t === 'dict' && index.t === 'str') {
      const entry = value.entries.find((candidate) => candidate.key.t === 'str' && candidate.key.v === index.v);
      if (entry) return entry.value;
    }
    return this.unknownFrom(start);
  }

  private parseAtom(): SettingValue {
    const start = this.at;
    const token = this.take();
    if (!token) return { t: 'unknown', text: '' };
    if (token.kind === 'num') {
      // Not flask's number reading: `10L` and `10j` stay unknown here, as they always have for Django.
      const value = Number(token.value.replace(/_/g, ''));
      return Number.isFinite(value) ? { t: 'num', v: value } : this.unknownFrom(start);
    }
    if (token.kind === 'str' || token.kind === 'fstr') {
      const run = stringRun(this.tokens, start);
      this.at = run.end;
      return run.value === undefined ? this.unknownFrom(start) : { t: 'str', v: run.value };
    }
    if (token.kind === 'name') {
      if (token.value === 'True' || token.value === 'False') return { t: 'bool', v: token.value === 'True' };
      if (token.value === 'None') return { t: 'none' };
      if (token.value === 'lambda') return this.skipRest(start);
      const next = this.peekWord();
      const known = this.names.get(token.value);
      if (known && next !== '(' && next !== '.') return known;
      return { t: 'ref', path: token.value };
    }
    if (token.value === '(') {
      if (this.accept(')')) return { t: 'list', items: [] };
      const first = this.parseExpression();
      if (this.accept(')')) return first;
      const items = [first];
      while (this.accept(',') && this.peekWord() !== ')') items.push(this.parseExpression());
      this.accept(')');
      return { t: 'list', items };
    }
    if (token.value === '[') {
      const items: SettingValue[] = [];
      while (this.peek() && this.peekWord() !== ']') {
        items.push(this.parseExpression());
        if (this.peekWord() === 'for') return this.skipBracket(start);
        if (!this.accept(',')) break;
      }
      this.accept(']');
      return { t: 'list', items };
    }
    if (token.value === '{') return this.parseDict(start);
    return this.unknownFrom(start);
  }

  private parseDict(start: number): SettingValue {
    const entries: Array<{ key: SettingValue; value: SettingValue; line: number }> = [];
    while (this.peek() && this.peekWord() !== '}') {
      if (this.accept('**')) {
        const spread = this.parseExpression();
        if (spread.t === 'dict') entries.push(...spread.entries);
      } else {
        const line = this.peek()?.line ?? 0;
        const key = this.parseExpression();
        if (!this.accept(':')) return this.skipBracket(start); // a set, or a comprehension
        const value = this.parseExpression();
        if (this.peekWord() === 'for') return this.skipBracket(start);
        entries.push({ key, value, line });
      }
      if (!this.accept(',')) break;
    }
    this.accept('}');
    return { t: 'dict', entries };
  }

  /** Skip to the bracket that closes the one opened at `start` (a comprehension, a set): unknown. */
  private skipBracket(start: number): SettingValue {
    let depth = 1;
    while (this.peek() && depth > 0) {
      const token = this.take();
      if (token.kind !== 'op') continue;
      if ('([{'.includes(token.value)) depth++;
      else if (')]}'.includes(token.value)) depth--;
    }
    return this.unknownFrom(start);
  }

  private skipRest(start: number): SettingValue {
    this.at = this.tokens.length;
    return this.unknownFrom(start);
  }
}

function combine(op: string, left: SettingValue, right: SettingValue): SettingValue {
  if (left.t === 'num' && right.t === 'num') {
    const a = left.v;
    const b = right.v;
    const value =
      op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : op === '//' ? Math.floor(a / b) : op === '%' ? a % b : op === '**' ? a ** b : Number.NaN;
    return Number.isFinite(value) ? { t: 'num', v: value } : { t: 'unknown', text: op };
  }
  if (op === '+' && left.t === 'str' && right.t === 'str') return { t: 'str', v: left.v + right.v };
  if (op === '+' && left.t === 'list' && right.t === 'list') return { t: 'list', items: [...left.items, ...right.items] };
  if (op === '|' && left.t === 'dict' && right.t === 'dict') return { t: 'dict', entries: [...left.entries, ...right.entries] };
  return { t: 'unknown', text: op };
}

/** The entry of a dict value under a string key; later entries win, as in Python. */
export function dictGet(value: SettingValue | undefined, key: string): { value: SettingValue; line: number } | undefined {
  if (value?.t !== 'dict') return undefined;
  const entries = value.entries.filter((entry) => entry.key.t === 'str' && entry.key.v === key);
  return entries.at(-1);
}
