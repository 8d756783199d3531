import { ParseError } from '../../errors.js';
import type { ParseInput } from '../types.js';

/**
 * PHP's INI format (php.ini, conf.d/*.ini, .user.ini, and PHP-FPM pool files, which PHP-FPM reads
 * with the same scanner). The grammar is a few lines, so it is hand-written: the npm INI packages
 * drop line numbers and do not know PHP's rules below. From php.ini-production ("About php.ini"):
 * - `directive = value`, `;` starts a comment, `[section]` headers (`[PATH=/www]`, `[HOST=...]`,
 *   an FPM pool name) are ignored for our purpose;
 * - an unquoted value is trimmed and ends at `;`; the constants On/Yes/True become "1" and
 *   Off/No/False/None become "" (so `session.cookie_samesite = None` unquoted is empty, not "None");
 * - a double-quoted value may span lines; a single-quoted one is taken as written.
 * A line that is none of these (no `=`, an unclosed section or quote) is a syntax error for PHP,
 * so it throws ParseError with its line.
 */

export interface IniEntry {
  /** As written: `session.save_handler`, `php_admin_value[session.save_path]`. */
  key: string;
  /** The value PHP sees: quotes removed, constants of unquoted values converted. */
  value: string;
  /** The value was quoted: its text is literal. */
  quoted: boolean;
  line: number;
  column: number;
}

const TRUE_CONSTANTS = new Set(['on', 'yes', 'true']);
const FALSE_CONSTANTS = new Set(['off', 'no', 'false', 'none', 'null']);

export function parsePhpIni(input: ParseInput): IniEntry[] {
  const lines = input.lines();
  const entries: IniEntry[] = [];
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    const trimmed = raw.trim();
    const lineNo = index + 1;
    // `#` comments were removed in PHP 7, yet are common in old files and harmless: skip them too.
    if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) continue;
    const column = raw.length - raw.trimStart().length + 1;
    if (trimmed.startsWith('[')) {
      if (!/^\[[^\]]*\]\s*(;.*)?$/.test(trimmed)) throw new ParseError('unclosed section header', input.file, lineNo, column);
      continue;
    }
    const equals = trimmed.indexOf('=');
    if (equals === -1) throw new ParseError(`expected "directive = value", found ${JSON.stringify(trimmed.slice(0, 60))}`, input.file, lineNo, column);
    const key = trimmed.slice(0, equals).trim();
    if (key === '' || /[\s"';]/.test(key)) throw new ParseError(`bad directive name ${JSON.stringify(key)}`, input.file, lineNo, column);
    const rest = trimmed.slice(equals + 1).trimStart();
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      const read = readQuoted(lines, index, raw.indexOf(rest) + 1, quote);
      if (!read) throw new ParseError(`unterminated ${quote === '"' ? 'double' : 'single'}-quoted value`, input.file, lineNo, column);
      entries.push({ key, value: read.value, quoted: true, line: lineNo, column });
      index = read.endIndex;
      continue;
    }
    const comment = rest.indexOf(';');
    const text = (comment === -1 ? rest : rest.slice(0, comment)).trim();
    const lower = text.toLowerCase();
    const value = TRUE_CONSTANTS.has(lower) ? '1' : FALSE_CONSTANTS.has(lower) ? '' : text;
    entries.push({ key, value, quoted: false, line: lineNo, column });
  }
  return entries;
}

/** A quoted value from `start` (just after the quote); double quotes may run over several lines and escape `\"`. */
function readQuoted(lines: string[], index: number, start: number, quote: string): { value: string; endIndex: number } | undefined {
  let value = '';
  let text = lines[index].slice(start);
  for (let at = index; at < lines.length; ) {
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (quote === '"' && char === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
        value += text[i + 1];
        i++;
      } else if (char === quote) {
        return { value, endIndex: at };
      } else {
        value += char;
      }
    }
    if (quote === "'") return undefined;
    at++;
    if (at >= lines.length) break;
    value += '\n';
    text = lines[at];
  }
  return undefined;
}

/**
 * A boolean directive as PHP reads it (zend_ini_parse_bool): "on", "yes", "true" in any case, or
 * a number that is not 0. Everything else, the empty string included, is off.
 */
export function phpIniBool(value: string): boolean {
  const lower = value.trim().toLowerCase();
  if (TRUE_CONSTANTS.has(lower)) return true;
  return Number.parseInt(lower, 10) > 0 || Number.parseInt(lower, 10) < 0;
}
