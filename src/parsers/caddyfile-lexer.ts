import { ParseError } from '../errors.js';

/**
 * Caddyfile tokens, following caddyconfig/caddyfile/lexer.go in caddyserver/caddy. Hand-written
 * because no kept-up npm package reads Caddyfiles with positions. Rules kept from Caddy's lexer:
 * - words are split on whitespace; `"..."` (only `\"` is an escape) and `` `...` `` (no escapes)
 *   quote a word and may span lines;
 * - `#` starts a comment only at the start of a word;
 * - a backslash before a newline joins the next line to this one;
 * - `<<MARKER` at the start of a word opens a heredoc that ends at the line holding MARKER.
 * `{` and `}` are structural only as whole unquoted words: `{host}` and `{$ENV}` are placeholders.
 */
export interface CaddyToken {
  text: string;
  line: number;
  column: number;
  quoted: boolean;
  /** The token is the first on its (logical) line. */
  newline: boolean;
}

const HEREDOC_MARKER = /^[A-Za-z0-9_-]+$/;

export function tokenizeCaddyfile(text: string, file: string): CaddyToken[] {
  const tokens: CaddyToken[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = 0;
  let newline = true;
  const column = (at: number) => at - lineStart + 1;
  const fail = (message: string, atLine: number, atColumn: number): never => {
    throw new ParseError(message, file, atLine, atColumn);
  };

  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      newline = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      // escaped newline: the next line continues this one
      i += text[i + 1] === '\r' ? 3 : 2;
      line++;
      lineStart = i;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const startLine = line;
    const startColumn = column(i);
    const push = (value: string, quoted: boolean) => {
      tokens.push({ text: value, line: startLine, column: startColumn, quoted, newline });
      newline = false;
    };

    if (c === '"' || c === '`') {
      let value = '';
      i++;
      let closed = false;
      while (i < n) {
        const ch = text[i];
        if (c === '"' && ch === '\\' && text[i + 1] === '"') {
          value += '"';
          i += 2;
          continue;
        }
        if (ch === c) {
          closed = true;
          i++;
          break;
        }
        if (ch === '\n') {
          line++;
          lineStart = i + 1;
        }
        if (ch !== '\r') value += ch;
        i++;
      }
      if (!closed) fail('unterminated string', startLine, startColumn);
      push(value, true);
      continue;
    }

    if (c === '<' && text[i + 1] === '<') {
      let end = text.indexOf('\n', i);
      if (end === -1) end = n;
      const marker = text.slice(i + 2, end).replace(/\r$/, '');
      if (marker.startsWith('<')) fail('too many "<" for heredoc', startLine, startColumn);
      if (!HEREDOC_MARKER.test(marker)) {
        fail(marker === '' ? 'missing heredoc marker after "<<"' : `invalid heredoc marker "${marker}"`, startLine, startColumn);
      }
      let value = '';
      let at = end + 1;
      let closedAt = -1;
      while (at <= n && at > 0) {
        let lineEnd = text.indexOf('\n', at);
        if (lineEnd === -1) lineEnd = n;
        line++;
        lineStart = at;
        const content = text.slice(at, lineEnd).replace(/\r$/, '');
        const indent = /^[ \t]*/.exec(content)![0];
        if (content.slice(indent.length).startsWith(marker)) {
          closedAt = at + indent.length + marker.length;
          break;
        }
        value += content + '\n';
        at = lineEnd + 1;
      }
      if (closedAt < 0) fail(`unterminated heredoc "${marker}"`, startLine, startColumn);
      i = closedAt;
      push(value, true);
      continue;
    }

    let value = '';
    while (i < n) {
      const ch = text[i];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v') break;
      if (ch === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) break;
      value += ch;
      i++;
    }
    push(value, false);
  }
  return tokens;
}
