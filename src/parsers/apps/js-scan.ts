/**
 * A tolerant reader for JavaScript/TypeScript source: just enough to see `session({...})` calls, the
 * literal values in their options, and what the names in them are bound to in the same file.
 *
 * Why not a real parser: the project has no JS parser at run time (`typescript` is a dev dependency
 * only), and a session config is a few literals in one call, which a token stream shows well. This
 * reader never throws on odd input: unknown syntax becomes an `other` value and is skipped as
 * balanced brackets. It knows:
 * - comments, strings with escapes, template literals (a template with `${}` is not a literal),
 *   regular expression literals (by the usual "can an expression start here" test), numbers;
 * - object and array literals (with spreads, shorthand and methods), calls, `new`, member chains,
 *   `||`/`??` fallbacks, arithmetic on number literals, arrows and functions (skipped), TypeScript
 *   `as`/`satisfies`/`!` and type annotations on declarations (skipped);
 * - bindings: `import` forms, `import x = require()`, `const/let/var` (with object destructuring),
 *   plain and member assignments (`sess.cookie.secure = true`), class and function declarations.
 * Scopes are not modelled: a name resolves to its last binding before the use, else the first after.
 *
 * The Go reader uses the same tokens (`dialect: 'go'`) and JsReader's bracket matching: Go's comments,
 * strings and numbers are a subset of these; backquoted strings are raw, and there are no regular
 * expression literals.
 */

import { foldByPrecedence, jsPrecedence } from './precedence.js';

export type TokenKind = 'id' | 'str' | 'tpl' | 'num' | 'punct' | 'regex';

export interface Token {
  kind: TokenKind;
  /** Identifier name, punctuator, cooked string value, or number text. */
  value: string;
  line: number;
  column: number;
  /** A line break comes between this token and the one before it. */
  newline: boolean;
}

export type Dialect = 'js' | 'go';

const PUNCTUATORS = [
  '>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=',
  '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=',
  '^=', '**', '<<', '>>', ':=', '<-', '&^',
];

/** Keywords after which a `/` starts a regular expression, not a division. */
const REGEX_AFTER_WORD = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** Multi-character punctuators by first character, longest first. */
const PUNCTUATORS_BY_FIRST = new Map<string, string[]>();
for (const punct of [...PUNCTUATORS].sort((a, b) => b.length - a.length)) {
  const list = PUNCTUATORS_BY_FIRST.get(punct[0]);
  if (list) list.push(punct);
  else PUNCTUATORS_BY_FIRST.set(punct[0], [punct]);
}

// Character tests by code: this runs over every character of every file that mentions a session package.
const isIdStartCode = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 0xc0;
const isIdPartCode = (c: number) => isIdStartCode(c) || (c >= 48 && c <= 57);
const isIdStart = (ch: string) => isIdStartCode(ch.charCodeAt(0));
const isIdPart = (ch: string) => isIdPartCode(ch.charCodeAt(0));
const isDigit = (ch: string) => ch >= '0' && ch <= '9';
/** Characters that may continue a number literal: digits, letters (hex, exponent, suffix), `_`, `.`. */
const isNumberPart = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46;

export interface Scan {
  tokens: Token[];
  /** A string, template or comment runs to the end of its line or of the file: the text is not whole. */
  unterminated: boolean;
}

/** The source as tokens. Never throws: an unterminated string or comment ends at its line or the file. */
export function tokenize(text: string, dialect: Dialect = 'js'): Scan {
  const tokens: Token[] = [];
  let unterminated = false;
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let newline = true;
  const length = text.length;

  const push = (kind: TokenKind, value: string, startLine: number, startCol: number) => {
    tokens.push({ kind, value, line: startLine, column: startCol, newline });
    newline = false;
  };
  const regexAllowed = () => {
    if (dialect !== 'js') return false;
    const prev = tokens[tokens.length - 1];
    if (!prev) return true;
    if (prev.kind === 'id') return REGEX_AFTER_WORD.has(prev.value);
    if (prev.kind === 'punct') return prev.value !== ')' && prev.value !== ']' && prev.value !== '}';
    return false;
  };

  if (text.startsWith('#!')) {
    while (pos < length && text[pos] !== '\n') pos++;
  }

  while (pos < length) {
    const ch = text[pos];
    if (ch === '\n') {
      pos++;
      line++;
      lineStart = pos;
      newline = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v' || ch === '\ufeff' || ch === '\u00a0') {
      pos++;
      continue;
    }
    const startLine = line;
    const startCol = pos - lineStart + 1;
    const start = pos;
    const next = text[pos + 1];

    if (ch === '/' && next === '/') {
      while (pos < length && text[pos] !== '\n') pos++;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', pos + 2);
      if (end < 0) unterminated = true;
      const stop = end < 0 ? length : end + 2;
      for (let i = pos; i < stop; i++) {
        if (text[i] === '\n') {
          line++;
          lineStart = i + 1;
          newline = true;
        }
      }
      pos = stop;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let value = '';
      pos++;
      while (pos < length && text[pos] !== ch && text[pos] !== '\n') {
        if (text[pos] === '\\' && pos + 1 < length) {
          const esc = text[pos + 1];
          if (esc === '\n') {
            line++;
            lineStart = pos + 2;
          } else if (esc === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(pos + 2, pos + 4))) {
            value += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 4), 16));
            pos += 4;
            continue;
          } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
            value += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
            pos += 6;
            continue;
          } else {
            value += ESCAPES[esc] ?? esc;
          }
          pos += 2;
          continue;
        }
        value += text[pos];
        pos++;
      }
      if (text[pos] === ch) pos++;
      else unterminated = true;
      push('str', value, startLine, startCol);
      continue;
    }
    if (ch === '`') {
      // JS template: `${` opens code, skipped here as balanced text (its value is not a literal).
      // Go raw string: no escapes, no code.
      let value = '';
      let substituted = false;
      pos++;
      while (pos < length && text[pos] !== '`') {
        const c = text[pos];
        if (c === '\n') {
          line++;
          lineStart = pos + 1;
        }
        if (dialect === 'js' && c === '\\' && pos + 1 < length) {
          if (text[pos + 1] === '\n') {
            line++;
            lineStart = pos + 2;
          }
          value += ESCAPES[text[pos + 1]] ?? text[pos + 1];
          pos += 2;
          continue;
        }
        if (dialect === 'js' && c === '$' && text[pos + 1] === '{') {
          substituted = true;
          pos = skipTemplateCode(text, pos + 2, (at) => {
            line++;
            lineStart = at + 1;
          });
          continue;
        }
        value += c;
        pos++;
      }
      if (text[pos] === '`') pos++;
      else unterminated = true;
      push(substituted ? 'tpl' : 'str', value, startLine, startCol);
      continue;
    }
    if (isDigit(ch) || (ch === '.' && next !== undefined && isDigit(next))) {
      pos++;
      while (pos < length && isNumberPart(text.charCodeAt(pos))) {
        // An exponent sign belongs to the number: 1e-3.
        if ((text[pos] === 'e' || text[pos] === 'E') && (text[pos + 1] === '-' || text[pos + 1] === '+') && !/^0[xX]/.test(text.slice(start, pos))) {
          pos += 2;
          continue;
        }
        pos++;
      }
      push('num', text.slice(start, pos), startLine, startCol);
      continue;
    }
    if (isIdStart(ch)) {
      pos++;
      while (pos < length && isIdPartCode(text.charCodeAt(pos))) pos++;
      push('id', text.slice(start, pos), startLine, startCol);
      continue;
    }
    if (ch === '#' && dialect === 'js' && next !== undefined && isIdStart(next)) {
      // Private class member: #name.
      pos++;
      while (pos < length && isIdPart(text[pos])) pos++;
      push('id', text.slice(start, pos), startLine, startCol);
      continue;
    }
    if (ch === '/' && regexAllowed()) {
      const end = regexEnd(text, pos);
      if (end > 0) {
        pos = end;
        while (pos < length && isIdPart(text[pos])) pos++;
        push('regex', text.slice(start, pos), startLine, startCol);
        continue;
      }
    }
    const punct = PUNCTUATORS_BY_FIRST.get(ch)?.find((p) => text.startsWith(p, pos)) ?? ch;
    pos += punct.length;
    push('punct', punct, startLine, startCol);
  }
  return { tokens, unterminated };
}

/** Past the `}` that closes a template's `${`, minding nested strings, templates and braces. */
function skipTemplateCode(text: string, pos: number, onNewline: (at: number) => void): number {
  let depth = 1;
  while (pos < text.length && depth > 0) {
    const c = text[pos];
    if (c === '\n') onNewline(pos);
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '"' || c === "'") {
      pos++;
      while (pos < text.length && text[pos] !== c && text[pos] !== '\n') pos += text[pos] === '\\' ? 2 : 1;
    } else if (c === '`') {
      pos++;
      while (pos < text.length && text[pos] !== '`') {
        if (text[pos] === '\n') onNewline(pos);
        if (text[pos] === '$' && text[pos + 1] === '{') {
          pos = skipTemplateCode(text, pos + 2, onNewline);
          continue;
        }
        pos += text[pos] === '\\' ? 2 : 1;
      }
    }
    pos++;
  }
  return pos;
}

/** The index after a regular expression literal starting at `start` (a `/`), or -1 when none ends on this line. */
function regexEnd(text: string, start: number): number {
  let pos = start + 1;
  let inClass = false;
  if (text[pos] === '/' || text[pos] === '*') return -1;
  while (pos < text.length) {
    const c = text[pos];
    if (c === '\n') return -1;
    if (c === '\\') {
      pos += 2;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return pos + 1;
    pos++;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Values

interface At {
  line: number;
  column: number;
}

export interface JsProp {
  key: string;
  value: JsValue;
  /** Where the key is written. */
  line: number;
  column: number;
}

export type JsValue =
  | ({ kind: 'str'; value: string } & At)
  | ({ kind: 'num'; value: number } & At)
  | ({ kind: 'bool'; value: boolean } & At)
  | ({ kind: 'null' } & At)
  | ({ kind: 'obj'; props: JsProp[]; spreads: JsValue[] } & At)
  | ({ kind: 'arr'; items: JsValue[] } & At)
  /** A name or a member chain of names: `x`, `process.env.SECRET`, `session.MemoryStore`. */
  | ({ kind: 'ref'; path: string[] } & At)
  | ({ kind: 'member'; object: JsValue; name: string } & At)
  | ({ kind: 'call'; callee: JsValue; args: JsValue[]; isNew: boolean } & At)
  /** `a || b`, `a ?? b`: b is used when a is unset. */
  | ({ kind: 'fallback'; left: JsValue; right: JsValue } & At)
  /** Anything else: a template with `${}`, a comparison, a function. */
  | ({ kind: 'other' } & At);

/** Deeper nesting than this is not a config; past it values read as `other`. */
const MAX_DEPTH = 60;

const STOPS = new Set([',', ')', ']', '}', ';', ':']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '**']);
const BINARY = new Set([
  ...ARITHMETIC, '||', '??', '&&', '==', '!=', '===', '!==', '<', '>', '<=', '>=', '|', '&', '^', '<<', '>>', '>>>',
  'instanceof', 'in',
]);
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

export class JsReader {
  /** For each opening bracket, the index of its closer (tokens.length when it is never closed). */
  private readonly match: Int32Array;
  /** Every bracket is closed by its own kind: the file is code, not a fragment or a mangled copy. */
  readonly balanced: boolean;

  constructor(readonly tokens: Token[]) {
    this.match = new Int32Array(tokens.length).fill(-1);
    const open: number[] = [];
    let balanced = true;
    tokens.forEach((token, i) => {
      if (token.kind !== 'punct') return;
      if (token.value in OPENERS) open.push(i);
      else if (token.value === ')' || token.value === ']' || token.value === '}') {
        // A stray closer closes the innermost open bracket, whatever its kind, so reading can go on.
        const opener = open.pop();
        if (opener === undefined || OPENERS[tokens[opener].value] !== token.value) balanced = false;
        if (opener !== undefined) this.match[opener] = i;
      }
    });
    if (open.length > 0) balanced = false;
    for (const opener of open) this.match[opener] = tokens.length;
    this.balanced = balanced;
  }

  private at(i: number): At {
    const token = this.tokens[i] ?? this.tokens[this.tokens.length - 1];
    return token ? { line: token.line, column: token.column } : { line: 1, column: 1 };
  }

  isPunct(i: number, value: string): boolean {
    const token = this.tokens[i];
    return token !== undefined && token.kind === 'punct' && token.value === value;
  }

  isId(i: number, value?: string): boolean {
    const token = this.tokens[i];
    return token !== undefined && token.kind === 'id' && (value === undefined || token.value === value);
  }

  /** The index of the token that closes the bracket opened at `i`, or the end. */
  closing(i: number): number {
    const found = this.match[i];
    return found === undefined || found < 0 ? Math.min(i + 1, this.tokens.length) : found;
  }

  /** Skip to the next token in `stops` at bracket depth 0 (not consumed); an unmatched closer also stops. */
  skipTo(i: number, stops: ReadonlySet<string>, angles = false): number {
    let angle = 0;
    while (i < this.tokens.length) {
      const token = this.tokens[i];
      if (token.kind === 'punct') {
        if (token.value in OPENERS) {
          i = this.closing(i) + 1;
          continue;
        }
        if (angles && token.value === '<') angle++;
        else if (angles && token.value === '>' && angle > 0) angle--;
        else if (angles && token.value === '>>' && angle > 0) angle = Math.max(0, angle - 2);
        else if (angle === 0 && (stops.has(token.value) || token.value === ')' || token.value === ']' || token.value === '}')) return i;
      }
      i++;
    }
    return i;
  }

  /** One expression from `i`: its value and the index after it. */
  expression(i: number, depth = 0): [JsValue, number] {
    if (depth > MAX_DEPTH) return [{ kind: 'other', ...this.at(i) }, this.skipTo(i, STOPS)];
    const [first, start] = this.unary(i, depth);
    let next = start;
    // Operands and operators of one chain, folded by precedence at its end.
    const operands: JsValue[] = [first];
    const ops: string[] = [];
    for (;;) {
      const token = this.tokens[next];
      if (!token) break;
      const op = token.kind === 'punct' || (token.kind === 'id' && (token.value === 'instanceof' || token.value === 'in')) ? token.value : '';
      if (op === '?') {
        // Ternary: either branch may run; the value is not one literal.
        const colon = this.skipTo(next + 1, new Set([':']));
        if (!this.isPunct(colon, ':')) return [{ kind: 'other', ...this.at(i) }, colon];
        const [, end] = this.expression(colon + 1, depth + 1);
        return [{ kind: 'other', ...this.at(i) }, end];
      }
      if (!BINARY.has(op)) break;
      const [right, end] = this.unary(next + 1, depth + 1);
      operands.push(right);
      ops.push(op);
      next = end;
    }
    return [foldByPrecedence(operands, ops, jsPrecedence, combine), next];
  }

  private unary(i: number, depth: number): [JsValue, number] {
    const token = this.tokens[i];
    if (!token) return [{ kind: 'other', ...this.at(i) }, i];
    if (token.kind === 'punct' && (token.value === '-' || token.value === '+')) {
      const [value, end] = this.unary(i + 1, depth + 1);
      if (value.kind === 'num') return [{ ...value, value: token.value === '-' ? -value.value : value.value }, end];
      return [{ kind: 'other', ...this.at(i) }, end];
    }
    if (token.kind === 'punct' && (token.value === '!' || token.value === '~' || token.value === '++' || token.value === '--')) {
      const [, end] = this.unary(i + 1, depth + 1);
      return [{ kind: 'other', ...this.at(i) }, end];
    }
    if (token.kind === 'id' && (token.value === 'typeof' || token.value === 'void' || token.value === 'delete')) {
      const [, end] = this.unary(i + 1, depth + 1);
      return [{ kind: 'other', ...this.at(i) }, end];
    }
    if (token.kind === 'id' && token.value === 'await') return this.unary(i + 1, depth + 1);
    if (token.kind === 'punct' && token.value === '<') {
      // TypeScript cast `<T>expr` (or JSX): skip the type, read what follows.
      const end = this.skipTo(i + 1, new Set(['>']), true);
      return this.isPunct(end, '>') ? this.unary(end + 1, depth + 1) : [{ kind: 'other', ...this.at(i) }, end];
    }
    return this.postfix(i, depth);
  }

  private postfix(i: number, depth: number): [JsValue, number] {
    let [value, next] = this.primary(i, depth);
    for (;;) {
      const token = this.tokens[next];
      if (!token) break;
      if (token.kind === 'punct' && (token.value === '.' || token.value === '?.')) {
        const name = this.tokens[next + 1];
        if (name?.kind === 'id') {
          value = value.kind === 'ref' ? { ...value, path: [...value.path, name.value] } : { kind: 'member', object: value, name: name.value, ...this.at(next + 1) };
          next += 2;
          continue;
        }
        if (token.value === '?.' && this.isPunct(next + 1, '(')) {
          next++;
          continue;
        }
        break;
      }
      if (token.kind === 'punct' && token.value === '[' && !token.newline) {
        const [key, end] = this.expression(next + 1, depth + 1);
        const close = this.isPunct(end, ']') ? end : this.skipTo(end, new Set([']']));
        value = key.kind === 'str' ? { kind: 'member', object: value, name: key.value, ...this.at(next) } : { kind: 'other', ...this.at(i) };
        next = close + 1;
        continue;
      }
      if (token.kind === 'punct' && token.value === '(') {
        const [args, end] = this.list(next, depth);
        value = { kind: 'call', callee: value, args, isNew: false, ...this.at(i) };
        next = end;
        continue;
      }
      if (token.kind === 'punct' && token.value === '!' && !this.isPunct(next + 1, '=')) {
        // TypeScript non-null assertion.
        next++;
        continue;
      }
      if (token.kind === 'id' && (token.value === 'as' || token.value === 'satisfies') && !token.newline) {
        next = this.skipTo(next + 1, STOPS, true);
        continue;
      }
      if (token.kind === 'str' || token.kind === 'tpl') {
        // Tagged template.
        if (token.newline) break;
        value = { kind: 'other', ...this.at(i) };
        next++;
        continue;
      }
      break;
    }
    return [value, next];
  }

  private primary(i: number, depth: number): [JsValue, number] {
    const token = this.tokens[i];
    const at = this.at(i);
    if (!token) return [{ kind: 'other', ...at }, i];
    switch (token.kind) {
      case 'str':
        return [{ kind: 'str', value: token.value, ...at }, i + 1];
      case 'num': {
        const value = parseNumber(token.value);
        return [value === undefined ? { kind: 'other', ...at } : { kind: 'num', value, ...at }, i + 1];
      }
      case 'tpl':
      case 'regex':
        return [{ kind: 'other', ...at }, i + 1];
      case 'id':
        return this.word(i, depth);
      case 'punct':
        break;
    }
    if (token.value === '{') return this.object(i, depth);
    if (token.value === '[') {
      const [items, end] = this.list(i, depth);
      return [{ kind: 'arr', items, ...at }, end];
    }
    if (token.value === '(') {
      const close = this.closing(i);
      if (this.isPunct(close + 1, '=>')) return this.arrowBody(close + 2, at);
      const [inner, end] = this.expression(i + 1, depth + 1);
      // `(a, b)`: the comma operator; not a value we read.
      return [end === close ? inner : { kind: 'other', ...at }, close + 1];
    }
    return [{ kind: 'other', ...at }, this.skipTo(i + 1, STOPS)];
  }

  private word(i: number, depth: number): [JsValue, number] {
    const token = this.tokens[i];
    const at = this.at(i);
    switch (token.value) {
      case 'true':
      case 'false':
        return [{ kind: 'bool', value: token.value === 'true', ...at }, i + 1];
      case 'null':
      case 'undefined':
        return [{ kind: 'null', ...at }, i + 1];
      case 'new': {
        if (this.isPunct(i + 1, '.')) return [{ kind: 'other', ...at }, i + 3];
        // The callee is a member chain (or a parenthesised expression), then optional arguments.
        let [callee, next] = this.isPunct(i + 1, '(') ? this.primary(i + 1, depth + 1) : this.memberChain(i + 1);
        if (this.isPunct(next, '<')) next = this.skipTo(next + 1, new Set(['>']), true) + 1;
        let args: JsValue[] = [];
        if (this.isPunct(next, '(')) [args, next] = this.list(next, depth);
        return this.continuePostfix({ kind: 'call', callee, args, isNew: true, ...at }, next, depth);
      }
      case 'function':
      case 'class': {
        // Skip to the body and past it.
        let j = i + 1;
        while (j < this.tokens.length && !this.isPunct(j, '{')) {
          if (this.isPunct(j, '(')) j = this.closing(j);
          j++;
        }
        return [{ kind: 'other', ...at }, this.closing(j) + 1];
      }
      case 'async':
        if (this.isId(i + 1, 'function') || this.isPunct(i + 1, '(') || (this.isId(i + 1) && this.isPunct(i + 2, '=>'))) {
          const [, end] = this.primary(i + 1, depth + 1);
          return [{ kind: 'other', ...at }, end];
        }
        break;
    }
    if (this.isPunct(i + 1, '=>')) return this.arrowBody(i + 2, at);
    return [{ kind: 'ref', path: [token.value], ...at }, i + 1];
  }

  /** After `new X(...)`: further `.member` and calls apply to the new object. */
  private continuePostfix(value: JsValue, next: number, depth: number): [JsValue, number] {
    if (!this.isPunct(next, '.') && !this.isPunct(next, '?.')) return [value, next];
    const name = this.tokens[next + 1];
    if (name?.kind !== 'id') return [value, next];
    let member: JsValue = { kind: 'member', object: value, name: name.value, ...this.at(next + 1) };
    let j = next + 2;
    if (this.isPunct(j, '(')) {
      const [args, end] = this.list(j, depth);
      member = { kind: 'call', callee: member, args, isNew: false, ...this.at(next + 1) };
      j = end;
    }
    return this.continuePostfix(member, j, depth);
  }

  private memberChain(i: number): [JsValue, number] {
    const token = this.tokens[i];
    if (token?.kind !== 'id') return [{ kind: 'other', ...this.at(i) }, i];
    const path = [token.value];
    let j = i + 1;
    while (this.isPunct(j, '.') && this.isId(j + 1)) {
      path.push(this.tokens[j + 1].value);
      j += 2;
    }
    return [{ kind: 'ref', path, ...this.at(i) }, j];
  }

  private arrowBody(i: number, at: At): [JsValue, number] {
    if (this.isPunct(i, '{')) return [{ kind: 'other', ...at }, this.closing(i) + 1];
    const [, end] = this.expression(i, MAX_DEPTH - 5);
    return [{ kind: 'other', ...at }, end];
  }

  /** `(a, b)` or `[a, b]` from its opening bracket: the items and the index after the closer. */
  list(open: number, depth: number): [JsValue[], number] {
    const close = this.closing(open);
    const items: JsValue[] = [];
    let i = open + 1;
    while (i < close) {
      if (this.isPunct(i, ',')) {
        i++;
        continue;
      }
      if (this.isPunct(i, '...')) {
        const [, end] = this.expression(i + 1, depth + 1);
        items.push({ kind: 'other', ...this.at(i) });
        i = this.afterItem(end, close);
        continue;
      }
      const [value, end] = this.expression(i, depth + 1);
      items.push(value);
      i = this.afterItem(end, close);
    }
    return [items, Math.min(close + 1, this.tokens.length)];
  }

  /** After one list item: past its comma, or at the closer; skipping anything unread. */
  private afterItem(end: number, close: number): number {
    if (end >= close) return close;
    if (this.isPunct(end, ',')) return end + 1;
    const next = this.skipTo(end, new Set([',']));
    return next >= close ? close : next + 1;
  }

  private object(open: number, depth: number): [JsValue, number] {
    const close = this.closing(open);
    const props: JsProp[] = [];
    const spreads: JsValue[] = [];
    let i = open + 1;
    while (i < close) {
      const token = this.tokens[i];
      if (this.isPunct(i, ',')) {
        i++;
        continue;
      }
      if (this.isPunct(i, '...')) {
        const [value, end] = this.expression(i + 1, depth + 1);
        spreads.push(value);
        // A spread's place among the props matters for overriding; record it as a marker prop.
        props.push({ key: '...', value, line: token.line, column: token.column });
        i = this.afterItem(end, close);
        continue;
      }
      let key: string | undefined;
      let keyIndex = i;
      // get/set/async/static prefixes of methods.
      if (token.kind === 'id' && ['get', 'set', 'async', 'static'].includes(token.value) && (this.isId(i + 1) || this.isPunct(i + 1, '['))) {
        keyIndex = i + 1;
      }
      const keyToken = this.tokens[keyIndex];
      if (!keyToken) break;
      if (keyToken.kind === 'id' || keyToken.kind === 'str' || keyToken.kind === 'num') key = keyToken.value;
      let after = keyIndex + 1;
      if (this.isPunct(keyIndex, '[')) after = this.closing(keyIndex) + 1;
      if (this.isPunct(after, '?')) after++;
      if (this.isPunct(after, ':')) {
        const [value, end] = this.expression(after + 1, depth + 1);
        if (key !== undefined) props.push({ key, value, line: keyToken.line, column: keyToken.column });
        i = this.afterItem(end, close);
        continue;
      }
      if (this.isPunct(after, '(') || this.isPunct(after, '<')) {
        // Method: skip parameters and body.
        const body = this.skipTo(after, new Set(['{']));
        i = this.afterItem(this.isPunct(body, '{') ? this.closing(body) + 1 : body, close);
        continue;
      }
      if ((this.isPunct(after, ',') || after >= close || this.isPunct(after, '=')) && keyToken.kind === 'id' && key !== undefined) {
        // Shorthand `{ store }` (or a pattern default `{ a = 1 }`).
        props.push({ key, value: { kind: 'ref', path: [key], line: keyToken.line, column: keyToken.column }, line: keyToken.line, column: keyToken.column });
        i = this.afterItem(this.isPunct(after, '=') ? this.skipTo(after, new Set([','])) : after, close);
        continue;
      }
      i = this.afterItem(this.skipTo(i + 1, new Set([','])), close);
    }
    return [{ kind: 'obj', props, spreads, ...this.at(open) }, Math.min(close + 1, this.tokens.length)];
  }
}

function combine(op: string, left: JsValue, right: JsValue): JsValue {
  const at = { line: left.line, column: left.column };
  if (op === '||' || op === '??') return { kind: 'fallback', left, right, ...at };
  if (ARITHMETIC.has(op) && left.kind === 'num' && right.kind === 'num') {
    const value =
      op === '+' ? left.value + right.value
      : op === '-' ? left.value - right.value
      : op === '*' ? left.value * right.value
      : op === '/' ? left.value / right.value
      : op === '%' ? left.value % right.value
      : left.value ** right.value;
    return Number.isFinite(value) ? { kind: 'num', value, ...at } : { kind: 'other', ...at };
  }
  if (op === '+' && left.kind === 'str' && right.kind === 'str') return { kind: 'str', value: left.value + right.value, ...at };
  return { kind: 'other', ...at };
}

export function parseNumber(text: string): number | undefined {
  const clean = text.replace(/_/g, '').replace(/n$/, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(clean) || /^0[bB][01]+$/.test(clean) || /^0[oO][0-7]+$/.test(clean)) return Number(clean);
  const value = Number(clean);
  return Number.isFinite(value) ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Bindings

export type Binding =
  /** `import x from 'm'` (exportName 'default'), `import {a as x}` ('a'), `import * as x` ('*'). */
  | { kind: 'import'; module: string; exportName: string; index: number }
  /** `const x = <expression at index>`, or `x = ...`. */
  | { kind: 'value'; valueIndex: number; index: number }
  /** `const { key: x } = <expression at index>`. */
  | { kind: 'destructure'; valueIndex: number; key: string; index: number }
  | { kind: 'class' | 'function'; index: number };

/** `a.b.c = <value>`: a property set after the object was made. */
export interface MemberAssignment {
  root: string;
  path: string[];
  valueIndex: number;
  index: number;
}

/** What a value refers to in an imported module: `require('connect-redis')(session)` -> connect-redis, [], applied. */
export interface ModuleRef {
  module: string;
  /** Export path below the module ('default' dropped: ESM and CommonJS agree on it). */
  path: string[];
}

const DECLARATIONS = new Set(['const', 'let', 'var']);
const MAX_RESOLVE = 8;

/** One JS/TS file: its tokens, what its names are bound to, and values read on demand. */
export class JsFile {
  readonly tokens: Token[];
  readonly reader: JsReader;
  /** No unterminated string or comment, every bracket closed: what is read from it can be trusted. */
  readonly wellFormed: boolean;
  readonly bindings = new Map<string, Binding[]>();
  readonly memberAssignments: MemberAssignment[] = [];
  private readonly values = new Map<number, JsValue>();

  constructor(text: string) {
    const scan = tokenize(text, 'js');
    this.tokens = scan.tokens;
    this.reader = new JsReader(this.tokens);
    this.wellFormed = !scan.unterminated && this.reader.balanced;
    this.collect();
  }

  /** The value of the expression starting at token `index` (read once). */
  valueAt(index: number): JsValue {
    let value = this.values.get(index);
    if (!value) {
      value = this.reader.expression(index)[0];
      this.values.set(index, value);
    }
    return value;
  }

  /** The binding `name` has at token `index`: the last one before it, else the first after. */
  binding(name: string, index: number): Binding | undefined {
    const all = this.bindings.get(name);
    if (!all) return undefined;
    let found: Binding | undefined;
    for (const binding of all) if (binding.index < index) found = binding;
    return found ?? all[0];
  }

  /** Follow a name to the value it was given (through `const a = b` chains); the value itself otherwise. */
  resolve(value: JsValue, index: number, hops = 0): JsValue {
    if (hops > MAX_RESOLVE || value.kind !== 'ref' || value.path.length !== 1) return value;
    const binding = this.binding(value.path[0], index);
    if (binding?.kind !== 'value') return value;
    return this.resolve(this.valueAt(binding.valueIndex), binding.valueIndex, hops + 1);
  }

  /** Which module export a value refers to, if it comes from `import`/`require` in this file. */
  moduleOf(value: JsValue, index: number, hops = 0): ModuleRef | undefined {
    if (hops > MAX_RESOLVE) return undefined;
    switch (value.kind) {
      case 'ref': {
        const [name, ...rest] = value.path;
        const base = this.moduleOfName(name, index, hops);
        return base && withPath(base, rest);
      }
      case 'member': {
        const base = this.moduleOf(value.object, index, hops + 1);
        return base && withPath(base, [value.name]);
      }
      case 'call': {
        if (value.callee.kind === 'ref' && value.callee.path.length === 1 && value.callee.path[0] === 'require') {
          const arg = value.args[0];
          return arg?.kind === 'str' ? { module: arg.value, path: [] } : undefined;
        }
        // `require('connect-redis')(session)`: the old "pass the session module" factories.
        if (value.isNew) return undefined;
        return this.moduleOf(value.callee, index, hops + 1);
      }
      default:
        return undefined;
    }
  }

  private moduleOfName(name: string, index: number, hops: number): ModuleRef | undefined {
    const binding = this.binding(name, index);
    if (!binding) return undefined;
    switch (binding.kind) {
      case 'import':
        return withPath({ module: binding.module, path: [] }, binding.exportName === '*' ? [] : [binding.exportName]);
      case 'value':
        return this.moduleOf(this.valueAt(binding.valueIndex), binding.valueIndex, hops + 1);
      case 'destructure': {
        const base = this.moduleOf(this.valueAt(binding.valueIndex), binding.valueIndex, hops + 1);
        return base && withPath(base, [binding.key]);
      }
      default:
        return undefined;
    }
  }

  private bind(name: string, binding: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(binding);
    else this.bindings.set(name, [binding]);
  }

  private collect(): void {
    const { tokens, reader } = this;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.kind !== 'id') continue;
      const prev = tokens[i - 1];
      if (prev && prev.kind === 'punct' && (prev.value === '.' || prev.value === '?.')) continue;
      if (token.value === 'import' && !reader.isPunct(i + 1, '(') && !reader.isPunct(i + 1, '.')) {
        i = this.collectImport(i) - 1;
        continue;
      }
      if (DECLARATIONS.has(token.value) && (reader.isId(i + 1) || reader.isPunct(i + 1, '{'))) {
        this.collectDeclaration(i + 1);
        continue;
      }
      if ((token.value === 'class' || token.value === 'function') && reader.isId(i + 1)) {
        this.bind(tokens[i + 1].value, { kind: token.value, index: i });
        continue;
      }
      // `name = value` or `a.b.c = value` (not part of a declaration, which is read above).
      let j = i + 1;
      const path: string[] = [];
      while (reader.isPunct(j, '.') && reader.isId(j + 1)) {
        path.push(tokens[j + 1].value);
        j += 2;
      }
      if (reader.isPunct(j, '=') && !(prev && prev.kind === 'id' && DECLARATIONS.has(prev.value))) {
        if (path.length === 0) this.bind(token.value, { kind: 'value', valueIndex: j + 1, index: i });
        else this.memberAssignments.push({ root: token.value, path, valueIndex: j + 1, index: i });
      }
    }
  }

  /** `import ... from 'm'` at `i`; returns the index after the statement's module string. */
  private collectImport(i: number): number {
    const { tokens, reader } = this;
    let j = i + 1;
    if (reader.isId(j, 'type') && !reader.isPunct(j + 1, ',') && !reader.isId(j + 1, 'from')) return j + 1;
    // `import x = require('m')` (TypeScript).
    if (reader.isId(j) && reader.isPunct(j + 1, '=')) {
      const [value, end] = reader.expression(j + 2);
      const ref = this.moduleOf(value, j);
      if (ref) this.bind(tokens[j].value, { kind: 'import', module: ref.module, exportName: '*', index: i });
      return end;
    }
    const names: Array<{ local: string; exportName: string }> = [];
    while (j < tokens.length && !reader.isId(j, 'from') && tokens[j].kind !== 'str' && !reader.isPunct(j, ';')) {
      if (reader.isPunct(j, '*') && reader.isId(j + 1, 'as') && reader.isId(j + 2)) {
        names.push({ local: tokens[j + 2].value, exportName: '*' });
        j += 3;
      } else if (reader.isPunct(j, '{')) {
        const close = reader.closing(j);
        for (let k = j + 1; k < close; k++) {
          if (!reader.isId(k) && tokens[k].kind !== 'str') continue;
          if (reader.isId(k, 'type') && reader.isId(k + 1)) continue;
          const exportName = tokens[k].value;
          if (reader.isId(k + 1, 'as') && reader.isId(k + 2)) {
            names.push({ local: tokens[k + 2].value, exportName });
            k += 2;
          } else if (tokens[k].kind === 'id') {
            names.push({ local: exportName, exportName });
          }
        }
        j = close + 1;
      } else if (reader.isId(j)) {
        names.push({ local: tokens[j].value, exportName: 'default' });
        j++;
      } else {
        j++;
      }
    }
    if (reader.isId(j, 'from')) j++;
    const source = tokens[j];
    if (source?.kind !== 'str') return j;
    for (const name of names) this.bind(name.local, { kind: 'import', module: source.value, exportName: name.exportName, index: i });
    return j + 1;
  }

  /** Declarators from `i` (just after const/let/var): `a = 1, { b, c: d } = x`. */
  private collectDeclaration(i: number): void {
    const { tokens, reader } = this;
    for (let guard = 0; guard < 100 && i < tokens.length; guard++) {
      let names: Array<{ local: string; key?: string }> = [];
      let j: number;
      if (reader.isPunct(i, '{')) {
        const close = reader.closing(i);
        names = this.patternNames(i + 1, close);
        j = close + 1;
      } else if (reader.isId(i)) {
        names = [{ local: tokens[i].value }];
        j = i + 1;
      } else {
        return;
      }
      if (reader.isPunct(j, ':')) j = reader.skipTo(j + 1, new Set(['=', ',', ';']), true);
      if (!reader.isPunct(j, '=')) return;
      for (const name of names) {
        this.bind(name.local, name.key === undefined ? { kind: 'value', valueIndex: j + 1, index: i } : { kind: 'destructure', valueIndex: j + 1, key: name.key, index: i });
      }
      const [, end] = reader.expression(j + 1);
      if (!reader.isPunct(end, ',')) return;
      i = end + 1;
    }
  }

  /** Names bound by an object pattern's top level: `{ a, b: c, d = 1, ...rest }`. */
  private patternNames(start: number, close: number): Array<{ local: string; key: string }> {
    const { tokens, reader } = this;
    const names: Array<{ local: string; key: string }> = [];
    let i = start;
    while (i < close) {
      const token = tokens[i];
      if (reader.isPunct(i, '...')) {
        i = reader.skipTo(i, new Set([','])) + 1;
        continue;
      }
      if (token.kind === 'id' || token.kind === 'str') {
        if (reader.isPunct(i + 1, ':') && reader.isId(i + 2) && !reader.isPunct(i + 3, '{')) names.push({ local: tokens[i + 2].value, key: token.value });
        else if (token.kind === 'id' && !reader.isPunct(i + 1, ':')) names.push({ local: token.value, key: token.value });
      }
      i = reader.skipTo(i + 1, new Set([','])) + 1;
    }
    return names;
  }
}

function withPath(base: ModuleRef, more: string[]): ModuleRef {
  const path = [...base.path, ...more];
  if (path[0] === 'default') path.shift();
  return { module: base.module, path };
}
