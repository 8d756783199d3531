/**
 * A tiny reader for compose `env_file` files, following the syntax in the Compose docs ("Set environment
 * variables", env file syntax): `VAR=VAL`, `export VAR=VAL`, `# comments` and blank lines; unquoted values
 * end at ` #`; `'single'` quotes are literal (`\'` escapes a quote); `"double"` quotes resolve `\n`, `\t`,
 * `\r`, `\\`, `\"` and may span lines; a bare `VAR` (taken from the shell) is skipped. Unquoted and
 * double-quoted values are interpolated (`${VAR}`, `$VAR`): such an entry is returned with `literal: false`.
 */

export interface EnvFileEntry {
  name: string;
  value: string;
  /** The value is known from the file alone (no interpolation). */
  literal: boolean;
  /** 1-based, of the value's first character (its quote, when quoted). */
  line: number;
  column: number;
}

const LINE = /^([ \t]*(?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;
const DOUBLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"' };

export function readEnvFile(text: string): EnvFileEntry[] {
  const lines = text.split(/\r?\n/);
  const out: EnvFileEntry[] = [];
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    const match = LINE.exec(raw);
    if (!match) continue; // comments, blank lines, bare names, anything else
    const start = match[0].length;
    const line = index + 1;
    const column = start + 1;
    const rest = raw.slice(start);
    const name = match[2];
    if (rest.startsWith("'")) {
      const end = closingQuote(rest, "'", 1);
      if (end < 0) continue;
      out.push({ name, value: rest.slice(1, end).replace(/\\'/g, "'"), literal: true, line, column });
    } else if (rest.startsWith('"')) {
      // A double-quoted value may go on over the next lines until its closing quote.
      let body = rest;
      let end = closingQuote(body, '"', 1);
      let last = index;
      while (end < 0 && last + 1 < lines.length) {
        body += `\n${lines[++last]}`;
        end = closingQuote(body, '"', 1);
      }
      if (end < 0) break; // unclosed to the end of the file
      index = last;
      const value = unescapeDouble(body.slice(1, end));
      out.push({ name, value, literal: !value.includes('$'), line, column });
    } else {
      const comment = /[ \t]#/.exec(rest);
      const value = (comment ? rest.slice(0, comment.index) : rest).trimEnd();
      out.push({ name, value, literal: !value.includes('$'), line, column });
    }
  }
  return out;
}

/** Index of the quote that closes a value opened at `from - 1` (skipping backslash escapes), or -1. */
function closingQuote(text: string, quote: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function unescapeDouble(text: string): string {
  return text.replace(/\\(.)/g, (whole, ch: string) => DOUBLE_ESCAPES[ch] ?? whole);
}
