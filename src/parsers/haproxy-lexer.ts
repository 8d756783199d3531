import { ParseError } from '../errors.js';

/**
 * HAProxy splits its configuration line by line into words. Hand-written because no kept-up npm
 * package parses haproxy.cfg and keeps columns. The rules are those of the configuration manual,
 * section 2.2 "Quoting and escaping":
 * - a backslash escapes the next character (`\ `, `\#`, `\\`, `\'`, `\"`; newer versions add
 *   `\r`, `\n`, `\t`, `\xNN`); any other escaped character keeps its backslash (regexes need it);
 * - double quotes are weak (escapes still apply), single quotes are strong (nothing interpreted);
 * - `#` outside quotes and not escaped starts a comment, even in the middle of a word;
 * - quoted and unquoted parts next to each other form one word (`"%{+Q}o %t"' %s'`).
 */
export interface HaproxyWord {
  text: string;
  /** 1-based column of the word's first character. */
  column: number;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  ' ': ' ',
  '#': '#',
  '\\': '\\',
  "'": "'",
  '"': '"',
  $: '$',
  r: '\r',
  n: '\n',
  t: '\t',
};

const SPECIAL = /[\\"'#]/;

export function splitHaproxyLine(line: string, lineNumber: number, file: string): HaproxyWord[] {
  const words: HaproxyWord[] = [];
  const n = line.length;
  if (!SPECIAL.test(line)) {
    // most lines: plain words only
    let at = 0;
    while (at < n) {
      while (at < n && isBlank(line.charCodeAt(at))) at++;
      if (at >= n) break;
      const start = at;
      while (at < n && !isBlank(line.charCodeAt(at))) at++;
      words.push({ text: line.slice(start, at), column: start + 1 });
    }
    return words;
  }
  let i = 0;
  for (;;) {
    while (i < n && isBlank(line.charCodeAt(i))) i++;
    if (i >= n || line[i] === '#') return words;
    const start = i;
    let text = '';
    let quote = '';
    let quoteStart = 0;
    let comment = false;
    while (i < n) {
      const c = line[i];
      if (quote === "'") {
        if (c === "'") quote = '';
        else text += c;
        i++;
        continue;
      }
      if (c === '\\') {
        if (i + 1 >= n) {
          text += c; // a lone backslash at the end of the line stays as written
          i++;
          continue;
        }
        const next = line[i + 1];
        const simple = SIMPLE_ESCAPES[next];
        if (simple !== undefined) {
          text += simple;
          i += 2;
        } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          text += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 4;
        } else {
          text += c + next;
          i += 2;
        }
        continue;
      }
      if (quote === '"') {
        if (c === '"') quote = '';
        else text += c;
        i++;
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        quoteStart = i;
        i++;
        continue;
      }
      if (isBlank(line.charCodeAt(i))) break;
      if (c === '#') {
        comment = true;
        break;
      }
      text += c;
      i++;
    }
    if (quote) throw new ParseError(`unterminated ${quote === '"' ? 'double' : 'single'}-quoted string`, file, lineNumber, quoteStart + 1);
    words.push({ text, column: start + 1 });
    if (comment) return words;
  }
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 11 || code === 12;
}
