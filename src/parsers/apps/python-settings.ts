/**
 * The module-level assignments of a Python settings module (Django's settings.py and the like),
 * evaluated as far as a settings file needs: literals, True/False/None, int arithmetic
 * (`60 * 60 * 24 * 7`), string concatenation, dict and list literals (CACHES), names assigned
 * earlier, `timedelta(days=14).total_seconds()`, and the calls that read the environment
 * (`os.environ[...]`, `os.environ.get(...)`, `os.getenv(...)`, django-environ's `env(...)`,
 * python-decouple's `config(...)`) or make a random value (`get_random_secret_key()`, `secrets.*`).
 * Hand-written and tolerant because it reads source code, not a config format: what it cannot
 * follow becomes `unknown` (with its text), and nothing here throws. Indented statements (inside
 * `if DEBUG:` and the like) are conditional and skipped on purpose.
 */

export type PyValue =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'dict'; entries: Array<{ key: PyValue; value: PyValue; line: number }> }
  | { t: 'list'; items: PyValue[] }
  /** Read from the environment; `fallback` is used when the variable is unset. */
  | { t: 'env'; name?: string; fallback?: PyValue }
  /** Made up when the module is imported: differs per process. */
  | { t: 'random'; call: string }
  /** A dotted name not (yet) resolved to a value: `os.environ`, `env.str`. */
  | { t: 'ref'; path: string }
  | { t: 'unknown'; text: string };

export interface PyAssignment {
  name: string;
  value: PyValue;
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

interface Token {
  kind: 'name' | 'number' | 'string' | 'op' | 'newline';
  text: string;
  /** The decoded string of a string token; undefined for an f-string with fields. */
  str?: string;
  line: number;
  column: number;
  start: number;
  end: number;
}

export function parsePythonModule(text: string, known: ReadonlyMap<string, PyValue> = new Map()): PyModule {
  const tokens = tokenize(text);
  const values = new Map<string, PyValue>(known);
  const assignments = new Map<string, PyAssignment>();
  const starImports: string[] = [];
  let start = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (i < tokens.length && tokens[i].kind !== 'newline') continue;
    const statement = tokens.slice(start, i);
    start = i + 1;
    if (statement.length === 0 || statement[0].column !== 1) continue;
    const star = starImportOf(statement);
    if (star !== undefined) {
      starImports.push(star);
      continue;
    }
    const targets: Token[] = [];
    let at = 0;
    while (statement[at]?.kind === 'name' && statement[at + 1]?.text === '=') {
      targets.push(statement[at]);
      at += 2;
    }
    if (targets.length === 0 || at >= statement.length) continue;
    const parser = new ExpressionParser(statement, at, text, values);
    const value = parser.parseExpression();
    const exprText = text.slice(statement[at].start, statement[statement.length - 1].end);
    // A dotted name left unresolved (`SOME_IMPORTED_CONSTANT`) is as unknown as a half-read expression.
    const final: PyValue = parser.done() && value.t !== 'ref' ? value : { t: 'unknown', text: exprText };
    for (const target of targets) {
      values.set(target.text, final);
      assignments.delete(target.text);
      assignments.set(target.text, { name: target.text, value: final, line: target.line, column: target.column, text: exprText });
    }
  }
  return { assignments, starImports };
}

function starImportOf(statement: Token[]): string | undefined {
  if (statement[0].text !== 'from' || statement.at(-1)?.text !== '*' || statement.at(-2)?.text !== 'import') return undefined;
  return statement
    .slice(1, -2)
    .map((token) => token.text)
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Tokens

const OPERATORS = ['**', '//', '==', '!=', '<=', '>=', '->', ':=', '+=', '-=', '*=', '/=', '|=', '&='];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  let i = 0;
  const push = (kind: Token['kind'], start: number, end: number, str?: string, startLine = line, startColumn = start - lineStart + 1) =>
    tokens.push({ kind, text: text.slice(start, end), str, line: startLine, column: startColumn, start, end });
  while (i < text.length) {
    const char = text[i];
    if (char === '\n') {
      if (depth === 0 && tokens.length > 0 && tokens[tokens.length - 1].kind !== 'newline') push('newline', i, i + 1);
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === '\f') {
      i++;
      continue;
    }
    if (char === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (char === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
      lineStart = i;
      continue;
    }
    const stringStart = /^[rRbBuUfF]{0,2}(?:'''|"""|'|")/.exec(text.slice(i, i + 5));
    if (stringStart) {
      const prefix = stringStart[0].replace(/['"]+$/, '').toLowerCase();
      const quote = stringStart[0].slice(prefix.length);
      const startLine = line;
      const startColumn = i - lineStart + 1;
      const begin = i;
      i += stringStart[0].length;
      let value = '';
      let closed = false;
      while (i < text.length) {
        if (text.startsWith(quote, i)) {
          i += quote.length;
          closed = true;
          break;
        }
        const c = text[i];
        if (c === '\n') {
          if (quote.length === 1) break;
          line++;
          lineStart = i + 1;
        }
        if (c === '\\' && !prefix.includes('r') && i + 1 < text.length) {
          const next = text[i + 1];
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next === '\n' ? '' : next;
          if (next === '\n') {
            line++;
            lineStart = i + 2;
          }
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      if (!closed) return tokens; // an unterminated string: stop, keep what came before
      const fields = prefix.includes('f') && /\{[^{]/.test(value.replace(/\{\{/g, ''));
      push('string', begin, i, fields ? undefined : value, startLine, startColumn);
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 200));
    if (name) {
      push('name', i, i + name[0].length);
      i += name[0].length;
      continue;
    }
    const number = /^(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*)/.exec(text.slice(i, i + 100));
    if (number) {
      push('number', i, i + number[0].length);
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

// ---------------------------------------------------------------------------------------------
// Expressions

const ENV_READERS = /(?:^|\.)(?:environ\.get|environ\.setdefault|getenv)$|^(?:env|config)$|^env\.[a-z_]+$/;
const RANDOM_MAKERS = /(?:^|\.)(?:get_random_secret_key|token_urlsafe|token_hex|token_bytes|urandom|uuid4|get_random_string)$/;
const TIMEDELTA_SECONDS: Record<string, number> = { weeks: 604800, days: 86400, hours: 3600, minutes: 60, seconds: 1 };

class ExpressionParser {
  private at: number;

  constructor(
    private readonly tokens: Token[],
    start: number,
    private readonly text: string,
    private readonly names: ReadonlyMap<string, PyValue>,
  ) {
    this.at = start;
  }

  done(): boolean {
    return this.at >= this.tokens.length;
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

  private unknownFrom(startToken: number): PyValue {
    const first = this.tokens[startToken];
    const last = this.tokens[Math.max(startToken, this.at - 1)];
    return { t: 'unknown', text: first && last ? this.text.slice(first.start, last.end) : '' };
  }

  parseExpression(): PyValue {
    const start = this.at;
    const value = this.parseOr();
    if (this.peek()?.text === 'if') {
      // `a if cond else b`: which branch applies is not known statically.
      this.take();
      this.parseOr();
      if (this.accept('else')) this.parseExpression();
      return this.unknownFrom(start);
    }
    return value;
  }

  private parseOr(): PyValue {
    let left = this.parseAnd();
    while (this.accept('or')) {
      const right = this.parseAnd();
      if (left.t === 'env' && left.fallback === undefined) left = { ...left, fallback: right };
      else if (left.t === 'str' && left.v !== '') continue;
      else left = right.t === 'unknown' ? right : { t: 'unknown', text: 'or' };
    }
    return left;
  }

  private parseAnd(): PyValue {
    const start = this.at;
    let left = this.parseNot();
    while (this.accept('and')) {
      this.parseNot();
      left = this.unknownFrom(start);
    }
    return left;
  }

  private parseNot(): PyValue {
    const start = this.at;
    if (this.accept('not')) {
      this.parseNot();
      return this.unknownFrom(start);
    }
    const left = this.parseArith();
    if (['==', '!=', '<', '>', '<=', '>=', 'in', 'is'].includes(this.peek()?.text ?? '')) {
      this.take();
      this.accept('not');
      this.parseArith();
      return this.unknownFrom(start);
    }
    return left;
  }

  private parseArith(): PyValue {
    let left = this.parseTerm();
    for (;;) {
      const op = this.peek()?.text;
      if (op !== '+' && op !== '-' && op !== '|') return left;
      this.take();
      const right = this.parseTerm();
      left = combine(op, left, right);
    }
  }

  private parseTerm(): PyValue {
    let left = this.parseFactor();
    for (;;) {
      const op = this.peek()?.text;
      if (op !== '*' && op !== '/' && op !== '//' && op !== '%') return left;
      this.take();
      left = combine(op, left, this.parseFactor());
    }
  }

  private parseFactor(): PyValue {
    if (this.accept('-')) {
      const value = this.parseFactor();
      return value.t === 'num' ? { t: 'num', v: -value.v } : value;
    }
    if (this.accept('+')) return this.parseFactor();
    const base = this.parsePostfix();
    if (this.accept('**')) return combine('**', base, this.parseFactor());
    return base;
  }

  private parsePostfix(): PyValue {
    const start = this.at;
    let value = this.parseAtom();
    for (;;) {
      const next = this.peek()?.text;
      if (next === '.' && this.peek(1)?.kind === 'name') {
        this.take();
        const member = this.take().text;
        if (value.t === 'ref') value = { t: 'ref', path: `${value.path}.${member}` };
        else if (member === 'total_seconds' && value.t === 'num' && this.peek()?.text === '(') value = this.skipCall(value);
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
  private skipCall(value: PyValue): PyValue {
    this.parseArguments();
    return value;
  }

  private parseCall(callee: PyValue, start: number): PyValue {
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

  private parseArguments(): { positional: PyValue[]; keywords: Map<string, PyValue> } {
    const positional: PyValue[] = [];
    const keywords = new Map<string, PyValue>();
    this.take(); // (
    while (this.peek() && this.peek()?.text !== ')') {
      if (this.peek()?.kind === 'name' && this.peek(1)?.text === '=') {
        const key = this.take().text;
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

  private parseSubscript(value: PyValue, start: number): PyValue {
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

  private parseAtom(): PyValue {
    const start = this.at;
    const token = this.take();
    if (!token) return { t: 'unknown', text: '' };
    if (token.kind === 'number') {
      const value = Number(token.text.replace(/_/g, ''));
      return Number.isFinite(value) ? { t: 'num', v: value } : this.unknownFrom(start);
    }
    if (token.kind === 'string') {
      // Adjacent literals concatenate: 'a' 'b' == 'ab'.
      let value = token.str;
      while (this.peek()?.kind === 'string') {
        const next = this.take().str;
        value = value === undefined || next === undefined ? undefined : value + next;
      }
      return value === undefined ? this.unknownFrom(start) : { t: 'str', v: value };
    }
    if (token.kind === 'name') {
      if (token.text === 'True' || token.text === 'False') return { t: 'bool', v: token.text === 'True' };
      if (token.text === 'None') return { t: 'none' };
      if (token.text === 'lambda') return this.skipRest(start);
      const next = this.peek()?.text;
      const known = this.names.get(token.text);
      if (known && next !== '(' && next !== '.') return known;
      return { t: 'ref', path: token.text };
    }
    if (token.text === '(') {
      if (this.accept(')')) return { t: 'list', items: [] };
      const first = this.parseExpression();
      if (this.accept(')')) return first;
      const items = [first];
      while (this.accept(',') && this.peek()?.text !== ')') items.push(this.parseExpression());
      this.accept(')');
      return { t: 'list', items };
    }
    if (token.text === '[') {
      const items: PyValue[] = [];
      while (this.peek() && this.peek()?.text !== ']') {
        items.push(this.parseExpression());
        if (this.peek()?.text === 'for') return this.skipBracket(start);
        if (!this.accept(',')) break;
      }
      this.accept(']');
      return { t: 'list', items };
    }
    if (token.text === '{') return this.parseDict(start);
    return this.unknownFrom(start);
  }

  private parseDict(start: number): PyValue {
    const entries: Array<{ key: PyValue; value: PyValue; line: number }> = [];
    while (this.peek() && this.peek()?.text !== '}') {
      if (this.accept('**')) {
        const spread = this.parseExpression();
        if (spread.t === 'dict') entries.push(...spread.entries);
      } else {
        const line = this.peek()?.line ?? 0;
        const key = this.parseExpression();
        if (!this.accept(':')) return this.skipBracket(start); // a set, or a comprehension
        const value = this.parseExpression();
        if (this.peek()?.text === 'for') return this.skipBracket(start);
        entries.push({ key, value, line });
      }
      if (!this.accept(',')) break;
    }
    this.accept('}');
    return { t: 'dict', entries };
  }

  /** Skip to the bracket that closes the one opened at `start` (a comprehension, a set): unknown. */
  private skipBracket(start: number): PyValue {
    let depth = 1;
    while (this.peek() && depth > 0) {
      const text = this.take().text;
      if ('([{'.includes(text)) depth++;
      else if (')]}'.includes(text)) depth--;
    }
    return this.unknownFrom(start);
  }

  private skipRest(start: number): PyValue {
    this.at = this.tokens.length;
    return this.unknownFrom(start);
  }
}

function combine(op: string, left: PyValue, right: PyValue): PyValue {
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
export function dictGet(value: PyValue | undefined, key: string): { value: PyValue; line: number } | undefined {
  if (value?.t !== 'dict') return undefined;
  const entries = value.entries.filter((entry) => entry.key.t === 'str' && entry.key.v === key);
  return entries.at(-1);
}
