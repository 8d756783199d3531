import { ParseError } from '../errors.js';

/*
 * A small reader for HCL2 native syntax (Terraform .tf files): the body structure (attributes and blocks, with
 * positions) and literal values. Any other expression is kept as its source text: references, function calls,
 * templates, lists, objects, conditionals and for expressions are scanned token by token, with brackets balanced,
 * so a "{" inside a string, a template or a heredoc never opens a block.
 *
 * Hand-written because the npm HCL parsers drop positions (@cdktf/hcl2json, a Go WASM build, also takes long to
 * start), and every finding needs a line.
 */

export type HclValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  /** Not a literal: the expression as written ("var.sticky"; for "${var.sticky}" the text inside). */
  | { kind: 'expr'; text: string };

export interface HclAttribute {
  name: string;
  value: HclValue;
  line: number;
  column: number;
}

export interface HclBlock {
  type: string;
  labels: string[];
  body: HclBody;
  line: number;
  column: number;
}

export interface HclBody {
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

/** The attribute of that name (the last one, as duplicates are an error Terraform reports, not us). */
export function hclAttribute(body: HclBody, name: string): HclAttribute | undefined {
  for (let i = body.attributes.length - 1; i >= 0; i--) if (body.attributes[i].name === name) return body.attributes[i];
  return undefined;
}

export function hclBlocks(body: HclBody, type: string): HclBlock[] {
  return body.blocks.filter((block) => block.type === type);
}

const enum T {
  Ident,
  Number,
  String,
  Heredoc,
  Newline,
  Punct,
  EOF,
}

interface Token {
  t: T;
  text: string;
  start: number;
  end: number;
  line: number;
  column: number;
  /** Decoded value of a string or heredoc without templates. */
  value?: string;
  /** For a string that is exactly one "${...}": the expression inside. */
  interp?: string;
}

const PUNCT3 = new Set(['...']);
const PUNCT2 = new Set(['==', '!=', '<=', '>=', '&&', '||', '=>', '::']);
const PUNCT1 = new Set(['{', '}', '[', ']', '(', ')', '=', ',', '.', '?', ':', '!', '+', '-', '*', '/', '%', '<', '>', '~']);
const BINARY = new Set(['+', '-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||', '?', ':']);
const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const MAX_NESTING = 100;
const HEREDOC_START = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;

function isIdentStart(code: number, ch: string): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || (code > 127 && /\p{L}/u.test(ch));
}

function isIdentPart(code: number, ch: string): boolean {
  return isIdentStart(code, ch) || (code >= 48 && code <= 57) || code === 45 || (code > 127 && /[\p{N}\p{Mn}\p{Mc}]/u.test(ch));
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

class Lexer {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private nesting = 0;

  constructor(
    private readonly src: string,
    private readonly file: string,
  ) {
    if (src.charCodeAt(0) === 0xfeff) this.i = this.lineStart = 1;
  }

  private error(message: string, line: number, column: number): never {
    throw new ParseError(message, this.file, line, column);
  }

  private newline(at: number): void {
    this.line++;
    this.lineStart = at + 1;
  }

  next(): Token {
    const src = this.src;
    for (;;) {
      while (this.i < src.length) {
        const c = src[this.i];
        if (c === ' ' || c === '\t' || c === '\r') this.i++;
        else break;
      }
      const start = this.i;
      const line = this.line;
      const column = start - this.lineStart + 1;
      const make = (t: T, end: number, extra?: Partial<Token>): Token => {
        this.i = end;
        return { t, text: src.slice(start, end), start, end, line, column, ...extra };
      };
      if (start >= src.length) return { t: T.EOF, text: '', start, end: start, line, column };
      const c = src[start];
      const code = src.charCodeAt(start);
      if (c === '\n') {
        const token = make(T.Newline, start + 1);
        this.newline(start);
        return token;
      }
      if (c === '#' || (c === '/' && src[start + 1] === '/')) {
        const end = src.indexOf('\n', start);
        this.i = end === -1 ? src.length : end;
        continue;
      }
      if (c === '/' && src[start + 1] === '*') {
        const end = src.indexOf('*/', start + 2);
        if (end === -1) this.error('unterminated comment: "/*" is never closed', line, column);
        let sawNewline = false;
        for (let j = start; j < end; j++) {
          if (src.charCodeAt(j) === 10) {
            this.newline(j);
            sawNewline = true;
          }
        }
        this.i = end + 2;
        // A comment across lines ends the line it started on, as its newlines would.
        if (sawNewline) return { t: T.Newline, text: '\n', start, end: end + 2, line, column };
        continue;
      }
      if (isIdentStart(code, c)) {
        let end = start + 1;
        while (end < src.length && isIdentPart(src.charCodeAt(end), src[end])) end++;
        return make(T.Ident, end);
      }
      if (isDigit(code)) {
        let end = start + 1;
        while (isDigit(src.charCodeAt(end))) end++;
        if (src[end] === '.' && isDigit(src.charCodeAt(end + 1))) {
          end += 2;
          while (isDigit(src.charCodeAt(end))) end++;
        }
        if (src[end] === 'e' || src[end] === 'E') {
          let j = end + 1;
          if (src[j] === '+' || src[j] === '-') j++;
          if (isDigit(src.charCodeAt(j))) {
            end = j + 1;
            while (isDigit(src.charCodeAt(end))) end++;
          }
        }
        return make(T.Number, end);
      }
      if (c === '"') return this.string(start, line, column);
      if (c === '<' && src[start + 1] === '<') {
        HEREDOC_START.lastIndex = start;
        const match = HEREDOC_START.exec(src);
        if (match) return this.heredoc(start, line, column, match);
      }
      const three = src.slice(start, start + 3);
      if (PUNCT3.has(three)) return make(T.Punct, start + 3);
      const two = src.slice(start, start + 2);
      if (PUNCT2.has(two)) return make(T.Punct, start + 2);
      if (PUNCT1.has(c)) return make(T.Punct, start + 1);
      const shown = code < 32 || code === 127 ? `\\x${code.toString(16).padStart(2, '0')}` : String.fromCodePoint(src.codePointAt(start) ?? code);
      this.error(`unexpected character "${shown}"`, line, column);
    }
  }

  /** A quoted template: escapes decoded; "${...}" and "%{...}" skipped as token streams. */
  private string(start: number, line: number, column: number): Token {
    const src = this.src;
    let i = start + 1;
    let value = '';
    let templates = 0;
    let interp: string | undefined;
    for (;;) {
      if (i >= src.length || src[i] === '\n') this.error('unterminated string', line, column);
      const c = src[i];
      if (c === '"') {
        i++;
        break;
      }
      if (c === '\\') {
        const e = src[i + 1];
        const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
        if (e !== undefined && e in simple) {
          value += simple[e];
          i += 2;
          continue;
        }
        const hexLength = e === 'u' ? 4 : e === 'U' ? 8 : 0;
        const hex = src.slice(i + 2, i + 2 + hexLength);
        if (hexLength > 0 && /^[0-9A-Fa-f]+$/.test(hex) && hex.length === hexLength) {
          const point = parseInt(hex, 16);
          value += point <= 0x10ffff ? String.fromCodePoint(point) : '\ufffd';
          i += 2 + hexLength;
          continue;
        }
        if (e === undefined || e === '\n') this.error('unterminated string', line, column);
        this.error(`invalid escape "\\${e}" in string`, this.line, i - this.lineStart + 1);
      }
      if ((c === '$' || c === '%') && src[i + 1] === c && src[i + 2] === '{') {
        value += `${c}{`;
        i += 3;
        continue;
      }
      if ((c === '$' || c === '%') && src[i + 1] === '{') {
        const open = { line: this.line, column: i - this.lineStart + 1 };
        this.i = i + 2;
        const innerEnd = this.skipTemplate(open.line, open.column, c);
        if (c === '$' && templates === 0 && value === '' && i === start + 1 && src[innerEnd + 1] === '"') {
          interp = src.slice(i + 2, innerEnd).replace(/^~/, '').replace(/~$/, '').trim();
        } else {
          interp = undefined;
        }
        templates++;
        i = innerEnd + 1;
        continue;
      }
      value += c;
      i++;
    }
    this.i = i;
    const text = src.slice(start, i);
    if (templates === 0) return { t: T.String, text, start, end: i, line, column, value };
    return { t: T.String, text, start, end: i, line, column, interp: templates === 1 && value === '' ? interp : undefined };
  }

  /** Skips the tokens of a template interpolation or directive; returns the offset of its closing "}". */
  private skipTemplate(line: number, column: number, sigil: string): number {
    if (++this.nesting > MAX_NESTING) this.error('templates nested too deeply', line, column);
    let depth = 0;
    for (;;) {
      const token = this.next();
      if (token.t === T.EOF) this.error(`unterminated template: "${sigil}{" is never closed`, line, column);
      if (token.t !== T.Punct) continue;
      if (token.text === '{') depth++;
      else if (token.text === '}') {
        if (depth === 0) {
          this.nesting--;
          return token.start;
        }
        depth--;
      }
    }
  }

  private heredoc(start: number, line: number, column: number, match: RegExpExecArray): Token {
    const src = this.src;
    const indented = match[1] === '-';
    const marker = match[2];
    let i = start + match[0].length;
    this.newline(i - 1);
    const lines: string[] = [];
    for (;;) {
      if (i >= src.length) this.error(`unterminated heredoc: no closing "${marker}" line`, line, column);
      let end = src.indexOf('\n', i);
      if (end === -1) end = src.length;
      const text = src.slice(i, end).replace(/\r$/, '');
      if (text.trim() === marker) {
        const markerEnd = i + text.length;
        this.i = markerEnd;
        let value = lines.length > 0 ? `${lines.join('\n')}\n` : '';
        if (indented) {
          const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
          const strip = indents.length > 0 ? Math.min(...indents) : 0;
          value = lines.length > 0 ? `${lines.map((l) => l.slice(Math.min(strip, /^[ \t]*/.exec(l)?.[0].length ?? 0))).join('\n')}\n` : '';
        }
        const template = /(^|[^$])\$\{|(^|[^%])%\{/.test(value);
        return { t: T.Heredoc, text: src.slice(start, markerEnd), start, end: markerEnd, line, column, value: template ? undefined : value };
      }
      lines.push(text);
      if (end >= src.length) this.error(`unterminated heredoc: no closing "${marker}" line`, line, column);
      this.newline(end);
      i = end + 1;
    }
  }
}

function describe(token: Token): string {
  switch (token.t) {
    case T.Newline:
      return 'newline';
    case T.EOF:
      return 'end of file';
    case T.String:
      return 'string';
    case T.Heredoc:
      return 'heredoc';
    default:
      return `"${token.text.length > 30 ? `${token.text.slice(0, 30)}...` : token.text}"`;
  }
}

class Parser {
  private tok: Token;
  private prevEnd = 0;
  private consumed = 0;

  constructor(
    private readonly src: string,
    private readonly file: string,
    private readonly lexer: Lexer,
  ) {
    this.tok = lexer.next();
  }

  private error(message: string, at: { line: number; column: number }): never {
    throw new ParseError(message, this.file, at.line, at.column);
  }

  private advance(): Token {
    const token = this.tok;
    this.prevEnd = token.end;
    this.consumed++;
    this.tok = this.lexer.next();
    return token;
  }

  private skipNewlines(): void {
    while (this.tok.t === T.Newline) this.advance();
  }

  private is(text: string): boolean {
    return this.tok.t === T.Punct && this.tok.text === text;
  }

  parseBody(open: { token: Token; name: string } | null, depth: number): HclBody {
    if (depth > MAX_NESTING) this.error('blocks nested too deeply', this.tok);
    const body: HclBody = { attributes: [], blocks: [] };
    for (;;) {
      const token = this.tok;
      if (token.t === T.Newline) {
        this.advance();
        continue;
      }
      if (token.t === T.EOF) {
        if (open) this.error(`unterminated block "${open.name}": "{" is never closed`, open.token);
        return body;
      }
      if (this.is('}')) {
        if (!open) this.error('unexpected "}"', token);
        this.advance();
        return body;
      }
      if (token.t !== T.Ident) this.error(`unexpected ${describe(token)}, expected an argument or block name`, token);
      this.advance();
      if (this.is('=')) {
        this.advance();
        const value = this.parseExpression();
        body.attributes.push({ name: token.text, value, line: token.line, column: token.column });
        this.endOfItem(`argument "${token.text}"`);
        continue;
      }
      const labels: string[] = [];
      while (this.tok.t === T.Ident || this.tok.t === T.String) {
        const label = this.advance();
        labels.push(label.t === T.String ? (label.value ?? label.text.slice(1, -1)) : label.text);
      }
      if (!this.is('{')) {
        this.error(`unexpected ${describe(this.tok)} after "${token.text}", expected "=" or "{"`, this.tok);
      }
      const brace = this.advance();
      const inner = this.parseBody({ token: brace, name: token.text }, depth + 1);
      body.blocks.push({ type: token.text, labels, body: inner, line: token.line, column: token.column });
      this.endOfItem(`block "${token.text}"`);
    }
  }

  private endOfItem(what: string): void {
    if (this.tok.t === T.Newline || this.tok.t === T.EOF || this.is('}')) return;
    this.error(`unexpected ${describe(this.tok)} after ${what}, expected a newline`, this.tok);
  }

  /** One expression, up to the end of the line (or the "}" of a one-line block). */
  private parseExpression(): HclValue {
    const first = this.tok;
    const before = this.consumed;
    for (;;) {
      while (this.is('!') || this.is('-')) this.advance();
      if (!this.parseOperand()) this.error(`expected an expression, found ${describe(this.tok)}`, this.tok);
      if (this.tok.t === T.Punct && BINARY.has(this.tok.text)) {
        this.advance();
        // An operator cannot end a line, so the expression goes on: be lenient where HCL would complain.
        this.skipNewlines();
        continue;
      }
      break;
    }
    const count = this.consumed - before;
    const text = this.src.slice(first.start, this.prevEnd);
    if (count === 1) {
      if ((first.t === T.String || first.t === T.Heredoc) && first.value !== undefined) return { kind: 'string', value: first.value };
      if (first.t === T.String && first.interp) return { kind: 'expr', text: first.interp };
      if (first.t === T.Number) return { kind: 'number', value: Number(first.text) };
      if (first.t === T.Ident && (first.text === 'true' || first.text === 'false')) return { kind: 'bool', value: first.text === 'true' };
      if (first.t === T.Ident && first.text === 'null') return { kind: 'null' };
    }
    if (count === 2 && first.t === T.Punct && first.text === '-' && /^[\d.eE+-]+$/.test(text.slice(1).trim())) {
      return { kind: 'number', value: -Number(text.slice(1).trim()) };
    }
    return { kind: 'expr', text };
  }

  private parseOperand(): boolean {
    const token = this.tok;
    if (token.t === T.Number || token.t === T.String || token.t === T.Heredoc) {
      this.advance();
    } else if (token.t === T.Ident) {
      this.advance();
      while (this.is('::')) {
        this.advance();
        if (this.tok.t !== T.Ident) this.error(`expected a name after "::", found ${describe(this.tok)}`, this.tok);
        this.advance();
      }
      if (this.is('(')) this.skipBalanced();
    } else if (this.is('(') || this.is('[') || this.is('{')) {
      this.skipBalanced();
    } else {
      return false;
    }
    for (;;) {
      if (this.is('.')) {
        this.advance();
        if (this.tok.t !== T.Ident && this.tok.t !== T.Number && !this.is('*')) {
          this.error(`expected an attribute name after ".", found ${describe(this.tok)}`, this.tok);
        }
        this.advance();
      } else if (this.is('[')) {
        this.skipBalanced();
      } else {
        return true;
      }
    }
  }

  /** Skips from an opening bracket to its match; newlines inside brackets do not end the expression. */
  private skipBalanced(): void {
    const stack: Token[] = [this.advance()];
    while (stack.length > 0) {
      const token = this.tok;
      if (stack.length > MAX_NESTING) this.error('brackets nested too deeply', token);
      if (token.t === T.EOF) {
        const open = stack[stack.length - 1];
        this.error(`unclosed "${open.text}": missing "${CLOSER[open.text]}"`, open);
      }
      if (token.t === T.Punct) {
        if (token.text in CLOSER) stack.push(token);
        else if (token.text === ')' || token.text === ']' || token.text === '}') {
          const open = stack[stack.length - 1];
          if (CLOSER[open.text] !== token.text) {
            this.error(`unexpected "${token.text}", expected "${CLOSER[open.text]}" to close "${open.text}" at line ${open.line}`, token);
          }
          stack.pop();
        }
      }
      this.advance();
    }
  }
}

/** Parses a Terraform/HCL2 native-syntax file into its body. Throws ParseError with the place of a syntax error. */
export function parseHcl(text: string, file: string): HclBody {
  const lexer = new Lexer(text, file);
  return new Parser(text, file, lexer).parseBody(null, 0);
}
