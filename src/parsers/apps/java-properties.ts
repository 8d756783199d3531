import { ParseError } from '../../errors.js';
import type { ParseInput } from '../types.js';

/** One `key=value` of a .properties file, at the line and column its key starts. */
export interface PropertyLine {
  key: string;
  value: string;
  line: number;
  column: number;
}

/**
 * A .properties file as java.util.Properties.load reads it, split into the documents Spring Boot
 * sees. The grammar is small enough to write out, and no dependency in package.json reads it with
 * line numbers:
 * - a line whose first non-blank character is `#` or `!` is a comment; blank lines are skipped;
 * - a line ending in an odd number of backslashes continues on the next, whose leading blanks drop;
 * - the key ends at the first unescaped `=`, `:` or blank; blanks and one `=` or `:` after it go;
 * - escapes: `\t \n \r \f \uXXXX`, and `\x` is `x`. A malformed `\uXXXX` is the one load error.
 * https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/util/Properties.html#load(java.io.Reader)
 * Spring Boot 2.4+ splits a file into documents at a line `#---` or `!---`:
 * https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.files.multi-document
 */
export function readProperties(input: ParseInput): PropertyLine[][] {
  const lines = input.lines();
  const documents: PropertyLine[][] = [[]];
  let i = 0;
  while (i < lines.length) {
    const first = i;
    const raw = lines[i];
    i++;
    const trimmed = raw.replace(/^[ \t\f]+/, '');
    if (/^[#!]---\s*$/.test(raw)) {
      documents.push([]);
      continue;
    }
    if (trimmed === '' || trimmed[0] === '#' || trimmed[0] === '!') continue;
    let logical = trimmed;
    const column = raw.length - trimmed.length + 1;
    while (endsWithContinuation(logical) && i < lines.length) {
      logical = logical.slice(0, -1) + lines[i].replace(/^[ \t\f]+/, '');
      i++;
    }
    if (endsWithContinuation(logical)) logical = logical.slice(0, -1); // a trailing backslash on the last line
    const { key, value } = splitKeyValue(logical, input.file, first + 1, column);
    documents[documents.length - 1].push({ key, value, line: first + 1, column });
  }
  return documents.filter((document, index) => index === 0 || document.length > 0);
}

function endsWithContinuation(text: string): boolean {
  const slashes = /\\*$/.exec(text)?.[0].length ?? 0;
  return slashes % 2 === 1;
}

function splitKeyValue(text: string, file: string, line: number, column: number): { key: string; value: string } {
  let end = 0;
  while (end < text.length && !/[=:\s]/.test(text[end])) end += text[end] === '\\' ? 2 : 1;
  let start = end;
  while (start < text.length && /[ \t\f]/.test(text[start])) start++;
  if (text[start] === '=' || text[start] === ':') start++;
  while (start < text.length && /[ \t\f]/.test(text[start])) start++;
  return { key: unescape(text.slice(0, end), file, line, column), value: unescape(text.slice(start), file, line, column) };
}

function unescape(text: string, file: string, line: number, column: number): string {
  return text.replace(/\\(u(.{0,4})|.)/g, (whole, escape: string, hex: string | undefined) => {
    if (escape[0] === 'u') {
      if (hex === undefined || !/^[0-9a-fA-F]{4}$/.test(hex)) throw new ParseError(`invalid properties: malformed \\uxxxx escape "${whole}"`, file, line, column);
      return String.fromCharCode(parseInt(hex, 16));
    }
    return { t: '\t', n: '\n', r: '\r', f: '\f' }[escape] ?? escape;
  });
}
