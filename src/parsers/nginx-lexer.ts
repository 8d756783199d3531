/**
 * nginx config text -> directive tree, every directive and word with its line and column.
 *
 * Hand-written because no well-kept npm parser keeps positions (crossplane is Python; the JS ports
 * drop line numbers or are unmaintained), and the grammar is small. It follows nginx's own tokenizer,
 * ngx_conf_read_token() in src/core/ngx_conf_file.c:
 * - `#` starts a comment only where a word could start (`a#b` is one word);
 * - quotes open a string only at the start of a word, and a closing quote must be followed by
 *   whitespace, `;`, `{` or `)`;
 * - inside a bare word only whitespace, `;` and `{` end it (`}` does not), except that `{` right
 *   after `$` belongs to a `${var}`;
 * - `\"`, `\'`, `\\`, `\t`, `\r`, `\n` are unescaped; any other `\x` is kept as written.
 * OpenResty `*_by_lua_block { ... }` bodies are Lua, not nginx: they are skipped as balanced text.
 */
import { ParseError } from '../errors.js';

export interface NginxWord {
  /** The word with quotes removed and escapes resolved. */
  text: string;
  /** The word as written (quotes included). */
  raw: string;
  quoted: boolean;
  line: number;
  column: number;
  endLine: number;
  /** The column just after the word's last character. */
  endColumn: number;
}

export interface NginxDirective {
  name: string;
  nameWord: NginxWord;
  args: NginxWord[];
  line: number;
  column: number;
  /** Line of the `;` or of the block's closing `}`. */
  endLine: number;
  block?: NginxDirective[];
}

type Token =
  | { kind: 'word'; word: NginxWord }
  | { kind: ';' | '{' | '}' | 'eof'; line: number; column: number };

/** Deeper nesting than this is not a config anyone writes; the limit keeps the walkers' recursion bounded. */
const MAX_NESTING = 100;

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', t: '\t', r: '\r', n: '\n' };

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  private column(at = this.pos): number {
    return at - this.lineStart + 1;
  }

  /** Advances one character, keeping line/column in step. */
  private advance(): string {
    const ch = this.text[this.pos++];
    if (ch === '\n') {
      this.line++;
      this.lineStart = this.pos;
    }
    return ch;
  }

  private fail(message: string, line: number, column: number): never {
    throw new ParseError(message, this.file, line, column);
  }

  next(): Token {
    const text = this.text;
    for (;;) {
      while (this.pos < text.length && isSpace(text[this.pos])) this.advance();
      if (this.pos < text.length && text[this.pos] === '#') {
        while (this.pos < text.length && text[this.pos] !== '\n') this.pos++;
        continue;
      }
      break;
    }
    const line = this.line;
    const column = this.column();
    if (this.pos >= text.length) return { kind: 'eof', line, column };
    const ch = text[this.pos];
    if (ch === ';' || ch === '{' || ch === '}') {
      this.pos++;
      return { kind: ch, line, column };
    }
    if (ch === '"' || ch === "'") return { kind: 'word', word: this.quoted(ch, line, column) };
    return { kind: 'word', word: this.bare(line, column) };
  }

  private quoted(quote: string, line: number, column: number): NginxWord {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    let value = '';
    for (;;) {
      if (this.pos >= text.length) this.fail('unterminated string', line, column);
      const ch = this.advance();
      if (ch === '\\' && this.pos < text.length) {
        const next = this.advance();
        value += ESCAPES[next] ?? `\\${next}`;
        continue;
      }
      if (ch === quote) break;
      value += ch;
    }
    const after = text[this.pos];
    if (after !== undefined && !isSpace(after) && after !== ';' && after !== '{' && after !== ')') {
      this.fail(`unexpected "${after}" after string`, this.line, this.column());
    }
    return {
      text: value,
      raw: text.slice(start, this.pos),
      quoted: true,
      line,
      column,
      endLine: this.line,
      endColumn: this.column(),
    };
  }

  private bare(line: number, column: number): NginxWord {
    const text = this.text;
    const start = this.pos;
    let value = '';
    let previous = '';
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (ch === '\\' && this.pos + 1 < text.length) {
        this.advance();
        const next = this.advance();
        value += ESCAPES[next] ?? `\\${next}`;
        previous = '';
        continue;
      }
      if (isSpace(ch) || ch === ';' || (ch === '{' && previous !== '$')) break;
      value += this.advance();
      previous = ch;
    }
    return {
      text: value,
      raw: text.slice(start, this.pos),
      quoted: false,
      line,
      column,
      endLine: this.line,
      endColumn: this.column(),
    };
  }

  /** Skips a Lua block body after its `{`, up to the matching `}`; returns the line of that `}`. */
  skipLuaBlock(name: string, open: { line: number; column: number }): number {
    const text = this.text;
    let depth = 1;
    while (this.pos < text.length) {
      const ch = this.advance();
      if (ch === '{') depth++;
      else if (ch === '}') {
        if (--depth === 0) return this.line;
      } else if (ch === '-' && text[this.pos] === '-') {
        this.pos++;
        const level = this.longBracketLevel();
        if (level >= 0) this.skipLongBracket(level);
        else while (this.pos < text.length && text[this.pos] !== '\n') this.pos++;
      } else if (ch === '[') {
        this.pos--;
        const level = this.longBracketLevel();
        if (level >= 0) this.skipLongBracket(level);
        else this.pos++;
      } else if (ch === '"' || ch === "'") {
        while (this.pos < text.length) {
          const c = this.advance();
          if (c === '\\' && this.pos < text.length) this.advance();
          else if (c === ch || c === '\n') break;
        }
      }
    }
    return this.fail(`missing "}" for block "${name}"`, open.line, open.column);
  }

  /** At `[`, `[[` or `[==[`: the level of a Lua long bracket (0 for `[[`), consumed; -1 (nothing consumed) otherwise. */
  private longBracketLevel(): number {
    const text = this.text;
    if (text[this.pos] !== '[') return -1;
    let at = this.pos + 1;
    while (text[at] === '=') at++;
    if (text[at] !== '[') return -1;
    const level = at - this.pos - 1;
    this.pos = at + 1;
    return level;
  }

  private skipLongBracket(level: number): void {
    const close = `]${'='.repeat(level)}]`;
    const end = this.text.indexOf(close, this.pos);
    const stop = end < 0 ? this.text.length : end + close.length;
    while (this.pos < stop) this.advance();
  }
}

/** Parses one file's text; throws ParseError (with this file's name) on a syntax error. */
export function parseNginx(file: string, text: string): NginxDirective[] {
  const lexer = new Lexer(file, text);
  const root: NginxDirective[] = [];
  const stack: Array<{ list: NginxDirective[]; owner?: NginxDirective; open?: { line: number; column: number } }> = [
    { list: root },
  ];
  let words: NginxWord[] = [];
  const fail = (message: string, line: number, column: number): never => {
    throw new ParseError(message, file, line, column);
  };
  const missingSemicolon = (): never => {
    const last = words[words.length - 1];
    return fail(`missing ";" after directive "${words[0].text}"`, last.endLine, last.endColumn);
  };
  const directive = (endLine: number): NginxDirective => {
    const [nameWord, ...args] = words;
    return { name: nameWord.text, nameWord, args, line: nameWord.line, column: nameWord.column, endLine };
  };

  for (;;) {
    const token = lexer.next();
    const top = stack[stack.length - 1];
    switch (token.kind) {
      case 'word':
        words.push(token.word);
        break;
      case ';':
        if (words.length === 0) fail('unexpected ";"', token.line, token.column);
        top.list.push(directive(token.line));
        words = [];
        break;
      case '{': {
        if (words.length === 0) fail('unexpected "{"', token.line, token.column);
        const owner = directive(token.line);
        owner.block = [];
        top.list.push(owner);
        words = [];
        if (/_by_lua_block$/.test(owner.name)) {
          owner.endLine = lexer.skipLuaBlock(owner.name, token);
        } else {
          if (stack.length > MAX_NESTING) fail('blocks nested too deeply', token.line, token.column);
          stack.push({ list: owner.block, owner, open: token });
        }
        break;
      }
      case '}':
        if (words.length > 0) missingSemicolon();
        if (!top.owner) fail('unexpected "}"', token.line, token.column);
        top.owner!.endLine = token.line;
        stack.pop();
        break;
      case 'eof':
        if (words.length > 0) missingSemicolon();
        if (top.owner) fail(`missing "}" for block "${top.owner.name}"`, top.open!.line, top.open!.column);
        return root;
    }
  }
}
