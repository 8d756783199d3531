/**
 * Apache httpd config text -> tree of directives and `<Section>` containers, with positions.
 *
 * Hand-written because no well-kept npm parser for httpd configs keeps line numbers, and the
 * grammar is line-based and small (httpd's own reader: ap_cfg_getline() and ap_getword_conf() in
 * server/util.c, section handling in server/config.c):
 * - one directive per line; a `\` at the very end of a line continues it on the next line;
 * - `#` starts a comment only as the first non-blank character of a line;
 * - arguments are split on whitespace; a word that starts with `"` or `'` runs to the matching
 *   quote (`\"` escapes it), and a quote that is never closed runs to the end of the line, as in httpd;
 * - `<Name args>` opens a section that `</Name>` (case-insensitive) must close in the same file.
 */
import { ParseError } from '../errors.js';

export interface ApacheNode {
  /** Directive or section name as written (httpd matches names case-insensitively). */
  name: string;
  args: string[];
  line: number;
  column: number;
  /** Last physical line of the directive (continuation lines included). */
  endLine: number;
  /** Present for a `<Section>`. */
  children?: ApacheNode[];
}

/** Deeper nesting than this is not a config anyone writes; the limit keeps the walkers' recursion bounded. */
const MAX_NESTING = 100;

/** Splits arguments like ap_getword_conf(): quotes only at the start of a word. */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos++;
    if (pos >= text.length) break;
    const quote = text[pos];
    if (quote === '"' || quote === "'") {
      let value = '';
      pos++;
      while (pos < text.length && text[pos] !== quote) {
        if (text[pos] === '\\' && text[pos + 1] === quote) pos++;
        value += text[pos++];
      }
      pos++;
      args.push(value);
    } else {
      const start = pos;
      while (pos < text.length && text[pos] !== ' ' && text[pos] !== '\t') pos++;
      args.push(text.slice(start, pos));
    }
  }
  return args;
}

export function parseApache(file: string, text: string): ApacheNode[] {
  const lines = text.split('\n');
  const root: ApacheNode[] = [];
  const stack: ApacheNode[] = [];
  const fail = (message: string, line: number, column: number): never => {
    throw new ParseError(message, file, line, column);
  };

  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    let current = lines[index].replace(/\r$/, '');
    const parts: string[] = [];
    while (current.endsWith('\\') && index + 1 < lines.length) {
      parts.push(current.slice(0, -1));
      index++;
      current = lines[index].replace(/\r$/, '');
    }
    parts.push(current);
    const logical = parts.join(' ');
    const indent = logical.length - logical.trimStart().length;
    const body = logical.trim();
    if (body === '' || body.startsWith('#')) continue;
    const column = indent + 1;
    const endLine = index + 1;
    const list = stack.length > 0 ? stack[stack.length - 1].children! : root;

    if (body.startsWith('</')) {
      const close = /^<\/([^\s>]*)\s*>/.exec(body);
      if (!close) fail(`"${body.split(/\s/)[0]}" is missing its closing ">"`, line, column);
      const name = close![1];
      const open = stack.pop();
      if (!open) fail(`"</${name}>" without matching "<${name}>" section`, line, column);
      if (open!.name.toLowerCase() !== name.toLowerCase()) {
        fail(`expected "</${open!.name}>" (opened at line ${open!.line}) but saw "</${name}>"`, line, column);
      }
      open!.endLine = endLine;
      continue;
    }
    if (body.startsWith('<')) {
      if (!body.endsWith('>')) fail(`"<${/^<([^\s>]*)/.exec(body)![1]}" is missing its closing ">"`, line, column);
      const inner = body.slice(1, -1);
      const name = /^[^\s]*/.exec(inner)![0];
      if (name === '') fail('empty section name "<>"', line, column);
      if (stack.length >= MAX_NESTING) fail('sections nested too deeply', line, column);
      const section: ApacheNode = { name, args: splitArgs(inner.slice(name.length)), line, column, endLine, children: [] };
      list.push(section);
      stack.push(section);
      continue;
    }
    const name = /^[^\s]*/.exec(body)![0];
    list.push({ name, args: splitArgs(body.slice(name.length)), line, column, endLine });
  }
  const unclosed = stack.pop();
  if (unclosed) fail(`"<${unclosed.name}>" is never closed`, unclosed.line, unclosed.column);
  return root;
}
