import type { ParseInput } from '../types.js';

/**
 * `.env` files as vlucas/phpdotenv (the loader Laravel uses) reads them: `KEY=value`, an optional
 * `export ` prefix, `#` comments (whole lines, or after whitespace in an unquoted value), single
 * quotes taken literally, double quotes with `\` escapes that may span lines, and `${OTHER}`
 * references to earlier keys. Hand-written rather than the `dotenv` package because its parse()
 * returns no line numbers, and findings must point at the line that sets a key.
 * Problems are returned, not thrown: a `.env` may belong to any tool, and only the reader that
 * knows the file is its own decides whether a broken line matters.
 */

export interface EnvEntry {
  key: string;
  value: string;
  line: number;
  column: number;
}

export interface EnvProblem {
  message: string;
  line: number;
  column: number;
}

export interface EnvFile {
  entries: EnvEntry[];
  problems: EnvProblem[];
}

const ASSIGNMENT = /^(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*(=?)[ \t]*/;

export function parseDotenv(input: ParseInput): EnvFile {
  const lines = input.lines();
  const entries: EnvEntry[] = [];
  const problems: EnvProblem[] = [];
  const known = new Map<string, string>();
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const column = raw.length - raw.trimStart().length + 1;
    const line = index + 1;
    const match = ASSIGNMENT.exec(trimmed);
    if (!match) {
      problems.push({ message: `expected KEY=value, found ${JSON.stringify(trimmed.slice(0, 40))}`, line, column });
      continue;
    }
    const key = match[2];
    if (match[3] === '') {
      // phpdotenv accepts a bare `KEY` (a variable with no value); anything after it is an error.
      if (match[0].length !== trimmed.length) problems.push({ message: `expected "=" after ${key}`, line, column });
      continue;
    }
    const rest = trimmed.slice(match[0].length);
    let value: string;
    if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end === -1) {
        problems.push({ message: `unterminated single-quoted value for ${key}`, line, column });
        continue;
      }
      value = rest.slice(1, end);
    } else if (rest.startsWith('"')) {
      const read = readDoubleQuoted(lines, index, raw.indexOf(rest) + 1);
      if (!read) {
        problems.push({ message: `unterminated double-quoted value for ${key}`, line, column });
        continue;
      }
      value = interpolate(read.value, known);
      index = read.endIndex;
    } else {
      value = interpolate(rest.replace(/\s+#.*$/, '').trim(), known);
    }
    known.set(key, value);
    entries.push({ key, value, line, column });
  }
  return { entries, problems };
}

function readDoubleQuoted(lines: string[], index: number, start: number): { value: string; endIndex: number } | undefined {
  let value = '';
  let text = lines[index].slice(start);
  for (let at = index; ; ) {
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (char === '\\' && i + 1 < text.length) {
        const next = text[++i];
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      } else if (char === '"') {
        return { value, endIndex: at };
      } else {
        value += char;
      }
    }
    at++;
    if (at >= lines.length) return undefined;
    value += '\n';
    text = lines[at];
  }
}

/** `${NAME}` from a key set earlier in the file; unknown names stay as written (the environment fills them). */
function interpolate(value: string, known: Map<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_.]*)\}/g, (whole, name: string) => known.get(name) ?? whole);
}
