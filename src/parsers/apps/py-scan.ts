/**
 * A tolerant reader for Python source: logical lines (with their indentation) of tokens, and the
 * literal values in them. Enough to read Flask settings (`app.config['X'] = ...`, `X = ...` in a
 * config class) and, through python-settings.ts, Django settings modules; not a Python parser. It
 * knows comments, string prefixes and triple quotes (escapes cooked; an f-string with a `{}` field
 * is not a literal), implicit line joining inside brackets and backslash continuations. Never
 * throws; `unterminated` tells when a string ran to the end.
 *
 * Written by hand for the same reason as js-scan.ts: no Python parser runs on Node without a
 * native or WebAssembly build, and a settings assignment is a few literals.
 */

import { foldByPrecedence, pyPrecedence } from './precedence.js';

export type PyTokenKind = 'name' | 'str' | 'fstr' | 'num' | 'op';

export interface PyToken {
  kind: PyTokenKind;
  /** A name, number or operator as written; a string's cooked value. */
  value: string;
  line: number;
  column: number;
  /** Offsets of the token in the text (a string's quotes and prefix included). */
  start: number;
  end: number;
  /** A string whose closing quote is missing: it runs to the end of its line, or of the file. */
  unterminated?: true;
}

export interface PyLine {
  /** Column (0-based) of the line's first token: its indentation. */
  indent: number;
  tokens: PyToken[];
}

export interface PyScan {
  lines: PyLine[];
  unterminated: boolean;
  /** Every bracket closed by its own kind. */
  balanced: boolean;
}

const OPERATORS = ['**=', '//=', '>>=', '<<=', '...', '->', ':=', '==', '!=', '<=', '>=', '**', '//', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@='];
const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
// Character tests by code: this runs over every character of every Python file that mentions Flask.
const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0xc0;
const isNamePart = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isNumberPart = (c: number) => isNamePart(c) || c === 46;
/** String prefix letters: r, b, u, f in either case. */
const isPrefix = (ch: string | undefined) => ch !== undefined && 'rRbBuUfF'.includes(ch);
const isQuote = (ch: string | undefined) => ch === '"' || ch === "'";
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"' };

export function scanPython(text: string): PyScan {
  const lines: PyLine[] = [];
  let current: PyToken[] = [];
  let indent = 0;
  const stack: string[] = [];
  let balanced = true;
  let unterminated = false;
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const length = text.length;

  const endLine = () => {
    if (current.length > 0) lines.push({ indent, tokens: current });
    current = [];
  };
  // Called once the scan is past the token, so `pos` is where it ends.
  const push = (kind: PyTokenKind, value: string, startLine: number, column: number, start: number) => {
    if (current.length === 0) indent = column - 1;
    current.push({ kind, value, line: startLine, column, start, end: pos });
  };

  while (pos < length) {
    const ch = text[pos];
    if (ch === '\n') {
      if (stack.length === 0) endLine();
      pos++;
      line++;
      lineStart = pos;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\ufeff') {
      pos++;
      continue;
    }
    if (ch === '\\' && (text[pos + 1] === '\n' || (text[pos + 1] === '\r' && text[pos + 2] === '\n'))) {
      // Explicit line joining.
      pos += text[pos + 1] === '\n' ? 2 : 3;
      line++;
      lineStart = pos;
      continue;
    }
    if (ch === '#') {
      while (pos < length && text[pos] !== '\n') pos++;
      continue;
    }
    const column = pos - lineStart + 1;
    const startLine = line;
    const start = pos;
    const prefixLength = isPrefix(ch) ? (isQuote(text[pos + 1]) ? 1 : isPrefix(text[pos + 1]) && isQuote(text[pos + 2]) ? 2 : 0) : 0;
    if (ch === '"' || ch === "'" || prefixLength > 0) {
      const flags = text.slice(pos, pos + prefixLength).toLowerCase();
      pos += flags.length;
      const quote = text[pos];
      const triple = text.startsWith(quote.repeat(3), pos);
      const close = triple ? quote.repeat(3) : quote;
      pos += close.length;
      let value = '';
      let closed = false;
      while (pos < length) {
        const c = text[pos];
        if (text.startsWith(close, pos)) {
          pos += close.length;
          closed = true;
          break;
        }
        if (c === '\n') {
          if (!triple) break;
          line++;
          lineStart = pos + 1;
        }
        if (c === '\\' && pos + 1 < length) {
          const esc = text[pos + 1];
          if (esc === '\n') {
            line++;
            lineStart = pos + 2;
            if (flags.includes('r')) value += '\\\n';
          } else if (flags.includes('r')) {
            value += c + esc;
          } else if (esc === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(pos + 2, pos + 4))) {
            value += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 4), 16));
            pos += 4;
            continue;
          } else {
            value += ESCAPES[esc] ?? c + esc;
          }
          pos += 2;
          continue;
        }
        value += c;
        pos++;
      }
      const formatted = flags.includes('f') && /\{[^{]/.test(value.replace(/\{\{/g, ''));
      push(formatted ? 'fstr' : 'str', value, startLine, column, start);
      if (!closed) {
        unterminated = true;
        current[current.length - 1].unterminated = true;
      }
      continue;
    }
    const code = text.charCodeAt(pos);
    if (isDigit(code) || (ch === '.' && isDigit(text.charCodeAt(pos + 1)))) {
      pos++;
      while (pos < length && isNumberPart(text.charCodeAt(pos))) {
        if ((text[pos] === 'e' || text[pos] === 'E') && (text[pos + 1] === '-' || text[pos + 1] === '+')) pos++;
        pos++;
      }
      push('num', text.slice(start, pos), startLine, column, start);
      continue;
    }
    if (isNameStart(code)) {
      while (pos < length && isNamePart(text.charCodeAt(pos))) pos++;
      push('name', text.slice(start, pos), startLine, column, start);
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, pos)) ?? ch;
    if (op in OPEN) stack.push(op);
    else if (op === ')' || op === ']' || op === '}') {
      const opened = stack.pop();
      if (opened === undefined || OPEN[opened] !== op) balanced = false;
    }
    pos += op.length;
    push('op', op, startLine, column, start);
  }
  endLine();
  if (stack.length > 0) balanced = false;
  return { lines, unterminated, balanced };
}

/**
 * The string literals from token `i` on, joined as Python joins adjacent literals ('a' 'b' is 'ab'),
 * and the index after them. The value is undefined when one of them is an f-string with fields.
 */
export function stringRun(tokens: readonly PyToken[], i: number): { value: string | undefined; end: number } {
  let value: string | undefined = '';
  let end = i;
  for (; tokens[end]?.kind === 'str' || tokens[end]?.kind === 'fstr'; end++) {
    value = value === undefined || tokens[end].kind === 'fstr' ? undefined : value + tokens[end].value;
  }
  return { value, end };
}

// ---------------------------------------------------------------------------------------------
// Values

interface At {
  line: number;
  column: number;
}

export interface PyKeyword {
  name: string;
  value: PyValue;
  line: number;
  column: number;
}

export type PyValue =
  | ({ kind: 'str'; value: string } & At)
  | ({ kind: 'num'; value: number } & At)
  | ({ kind: 'bool'; value: boolean } & At)
  | ({ kind: 'none' } & At)
  /** `name` or `a.b.c`. */
  | ({ kind: 'name'; path: string[] } & At)
  | ({ kind: 'member'; object: PyValue; name: string } & At)
  | ({ kind: 'call'; callee: PyValue; args: PyValue[]; keywords: PyKeyword[] } & At)
  /** `{'KEY': value}` with string keys (others are skipped). */
  | ({ kind: 'dict'; entries: PyKeyword[] } & At)
  /** A list, tuple or set display. */
  | ({ kind: 'list'; items: PyValue[] } & At)
  /** `a or b`: b when a is unset. */
  | ({ kind: 'fallback'; left: PyValue; right: PyValue } & At)
  | ({ kind: 'other' } & At);

const MAX_DEPTH = 50;

const ARITHMETIC = new Set(['+', '-', '*', '/', '//', '%', '**']);
const BINARY = new Set([...ARITHMETIC, '==', '!=', '<', '>', '<=', '>=', '|', '&', '^', '<<', '>>', '@']);
const WORD_OPERATORS = new Set(['and', 'in', 'is', 'not']);
const STOPS = new Set([',', ')', ']', '}', ':', '=']);

/** Reads values from one logical line's tokens. */
export class PyReader {
  constructor(readonly tokens: PyToken[]) {}

  private at(i: number): At {
    const token = this.tokens[i] ?? this.tokens[this.tokens.length - 1];
    return token ? { line: token.line, column: token.column } : { line: 1, column: 1 };
  }

  isOp(i: number, value: string): boolean {
    const token = this.tokens[i];
    return token !== undefined && token.kind === 'op' && token.value === value;
  }

  isName(i: number, value?: string): boolean {
    const token = this.tokens[i];
    return token !== undefined && token.kind === 'name' && (value === undefined || token.value === value);
  }

  /** The index of the bracket closing the one at `i` (or the end of the line). */
  closing(i: number): number {
    let depth = 0;
    for (let j = i; j < this.tokens.length; j++) {
      const token = this.tokens[j];
      if (token.kind !== 'op') continue;
      if (token.value in OPEN) depth++;
      else if (token.value === ')' || token.value === ']' || token.value === '}') {
        depth--;
        if (depth === 0) return j;
      }
    }
    return this.tokens.length;
  }

  private skipTo(i: number, stops: ReadonlySet<string>): number {
    while (i < this.tokens.length) {
      const token = this.tokens[i];
      if (token.kind === 'op') {
        if (token.value in OPEN) {
          i = this.closing(i) + 1;
          continue;
        }
        if (stops.has(token.value) || token.value === ')' || token.value === ']' || token.value === '}') return i;
      }
      i++;
    }
    return i;
  }

  expression(i: number, depth = 0): [PyValue, number] {
    if (depth > MAX_DEPTH) return [{ kind: 'other', ...this.at(i) }, this.skipTo(i, STOPS)];
    if (this.isName(i, 'lambda')) return [{ kind: 'other', ...this.at(i) }, this.skipTo(i, new Set([',', ')', ']', '}', '=']))];
    const [first, start] = this.unary(i, depth);
    let next = start;
    // Operands and operators of one chain, folded by precedence at its end (or at an `or`).
    let operands: PyValue[] = [first];
    let ops: string[] = [];
    const folded = () => foldByPrecedence(operands, ops, pyPrecedence, combine);
    for (;;) {
      const token = this.tokens[next];
      if (!token) break;
      if (token.kind === 'name' && token.value === 'or') {
        const left = folded();
        const [right, end] = this.unary(next + 1, depth + 1);
        operands = [{ kind: 'fallback', left, right, line: left.line, column: left.column }];
        ops = [];
        next = end;
        continue;
      }
      if (token.kind === 'name' && token.value === 'if') {
        // `a if cond else b`: one of two values.
        return [{ kind: 'other', ...this.at(i) }, this.skipTo(next, STOPS)];
      }
      if (token.kind === 'name' && token.value === 'for') {
        return [{ kind: 'other', ...this.at(i) }, this.skipTo(next, STOPS)];
      }
      const isOperator = (token.kind === 'op' && BINARY.has(token.value)) || (token.kind === 'name' && WORD_OPERATORS.has(token.value));
      if (!isOperator) break;
      let opEnd = next + 1;
      if (this.isName(next, 'not') && this.isName(next + 1, 'in')) opEnd++;
      if (this.isName(next, 'is') && this.isName(next + 1, 'not')) opEnd++;
      const [right, end] = this.unary(opEnd, depth + 1);
      operands.push(right);
      ops.push(token.value);
      next = end;
    }
    return [folded(), next];
  }

  private unary(i: number, depth: number): [PyValue, number] {
    const token = this.tokens[i];
    if (!token) return [{ kind: 'other', ...this.at(i) }, i];
    if (token.kind === 'op' && (token.value === '-' || token.value === '+')) {
      const [value, end] = this.unary(i + 1, depth + 1);
      if (value.kind === 'num') return [{ ...value, value: token.value === '-' ? -value.value : value.value }, end];
      return [{ kind: 'other', ...this.at(i) }, end];
    }
    if ((token.kind === 'op' && token.value === '~') || (token.kind === 'name' && token.value === 'not')) {
      const [, end] = this.unary(i + 1, depth + 1);
      return [{ kind: 'other', ...this.at(i) }, end];
    }
    if (token.kind === 'name' && token.value === 'await') return this.unary(i + 1, depth + 1);
    return this.postfix(i, depth);
  }

  private postfix(i: number, depth: number): [PyValue, number] {
    let [value, next] = this.primary(i, depth);
    for (;;) {
      if (this.isOp(next, '.') && this.isName(next + 1)) {
        const name = this.tokens[next + 1].value;
        value = value.kind === 'name' ? { ...value, path: [...value.path, name] } : { kind: 'member', object: value, name, ...this.at(next + 1) };
        next += 2;
        continue;
      }
      if (this.isOp(next, '(')) {
        const [args, keywords, end] = this.callArgs(next, depth);
        value = { kind: 'call', callee: value, args, keywords, ...this.at(i) };
        next = end;
        continue;
      }
      if (this.isOp(next, '[')) {
        // Subscripts (`os.environ['X']`) are values the file does not show.
        value = { kind: 'other', ...this.at(i) };
        next = this.closing(next) + 1;
        continue;
      }
      break;
    }
    return [value, next];
  }

  private primary(i: number, depth: number): [PyValue, number] {
    const token = this.tokens[i];
    const at = this.at(i);
    if (!token) return [{ kind: 'other', ...at }, i];
    if (token.kind === 'str' || token.kind === 'fstr') {
      const run = stringRun(this.tokens, i);
      return [run.value === undefined ? { kind: 'other', ...at } : { kind: 'str', value: run.value, ...at }, run.end];
    }
    if (token.kind === 'num') {
      const value = Number(token.value.replace(/_/g, '').replace(/[jJlL]$/, ''));
      return [Number.isFinite(value) ? { kind: 'num', value, ...at } : { kind: 'other', ...at }, i + 1];
    }
    if (token.kind === 'name') {
      if (token.value === 'True' || token.value === 'False') return [{ kind: 'bool', value: token.value === 'True', ...at }, i + 1];
      if (token.value === 'None') return [{ kind: 'none', ...at }, i + 1];
      return [{ kind: 'name', path: [token.value], ...at }, i + 1];
    }
    if (token.value === '(') {
      const close = this.closing(i);
      const [inner, end] = this.expression(i + 1, depth + 1);
      if (end === close) return [inner, close + 1];
      // A tuple.
      const [items] = this.items(i, depth);
      return [{ kind: 'list', items, ...at }, close + 1];
    }
    if (token.value === '[') {
      const [items, end] = this.items(i, depth);
      return [{ kind: 'list', items, ...at }, end];
    }
    if (token.value === '{') return this.dict(i, depth);
    return [{ kind: 'other', ...at }, this.skipTo(i + 1, STOPS)];
  }

  /** Items of a bracketed display from its opener: values and the index after the closer. */
  private items(open: number, depth: number): [PyValue[], number] {
    const close = this.closing(open);
    const items: PyValue[] = [];
    let i = open + 1;
    while (i < close) {
      if (this.isOp(i, ',')) {
        i++;
        continue;
      }
      const [value, end] = this.expression(i, depth + 1);
      items.push(value);
      i = this.after(end, close);
    }
    return [items, close + 1];
  }

  /** `(a, b, key=value, *args, **kwargs)`. */
  callArgs(open: number, depth: number): [PyValue[], PyKeyword[], number] {
    const close = this.closing(open);
    const args: PyValue[] = [];
    const keywords: PyKeyword[] = [];
    let i = open + 1;
    while (i < close) {
      if (this.isOp(i, ',')) {
        i++;
        continue;
      }
      if (this.isOp(i, '*') || this.isOp(i, '**')) {
        i = this.after(this.skipTo(i + 1, new Set([','])), close);
        continue;
      }
      if (this.isName(i) && this.isOp(i + 1, '=')) {
        const [value, end] = this.expression(i + 2, depth + 1);
        const token = this.tokens[i];
        keywords.push({ name: token.value, value, line: token.line, column: token.column });
        i = this.after(end, close);
        continue;
      }
      const [value, end] = this.expression(i, depth + 1);
      args.push(value);
      i = this.after(end, close);
    }
    return [args, keywords, close + 1];
  }

  private dict(open: number, depth: number): [PyValue, number] {
    const close = this.closing(open);
    const entries: PyKeyword[] = [];
    let i = open + 1;
    let isSet = false;
    while (i < close) {
      if (this.isOp(i, ',')) {
        i++;
        continue;
      }
      if (this.isOp(i, '**')) {
        i = this.after(this.skipTo(i + 1, new Set([','])), close);
        continue;
      }
      const [key, keyEnd] = this.expression(i, depth + 1);
      if (!this.isOp(keyEnd, ':')) {
        isSet = true;
        i = this.after(keyEnd, close);
        continue;
      }
      const [value, end] = this.expression(keyEnd + 1, depth + 1);
      if (key.kind === 'str') entries.push({ name: key.value, value, line: key.line, column: key.column });
      i = this.after(end, close);
    }
    const at = this.at(open);
    return [isSet && entries.length === 0 ? { kind: 'list', items: [], ...at } : { kind: 'dict', entries, ...at }, close + 1];
  }

  private after(end: number, close: number): number {
    if (end >= close) return close;
    if (this.isOp(end, ',')) return end + 1;
    const next = this.skipTo(end, new Set([',']));
    return next >= close ? close : next + 1;
  }
}

function combine(op: string, left: PyValue, right: PyValue): PyValue {
  const at = { line: left.line, column: left.column };
  if (ARITHMETIC.has(op) && left.kind === 'num' && right.kind === 'num') {
    const value =
      op === '+' ? left.value + right.value
      : op === '-' ? left.value - right.value
      : op === '*' ? left.value * right.value
      : op === '/' ? left.value / right.value
      : op === '//' ? Math.floor(left.value / right.value)
      : op === '%' ? left.value % right.value
      : left.value ** right.value;
    return Number.isFinite(value) ? { kind: 'num', value, ...at } : { kind: 'other', ...at };
  }
  if (op === '+' && left.kind === 'str' && right.kind === 'str') return { kind: 'str', value: left.value + right.value, ...at };
  return { kind: 'other', ...at };
}

/** `a.b.c` for a name or member chain; undefined for anything else. */
export function dotted(value: PyValue): string | undefined {
  if (value.kind === 'name') return value.path.join('.');
  if (value.kind === 'member') {
    const object = dotted(value.object);
    return object === undefined ? undefined : `${object}.${value.name}`;
  }
  if (value.kind === 'call') {
    const callee = dotted(value.callee);
    return callee === undefined ? undefined : `${callee}()`;
  }
  return undefined;
}
