/**
 * Include resolution shared by the nginx and Apache parsers: tries a pattern against a list of base
 * folders, skips files that are missing (a repository rarely carries /etc/nginx/mime.types or the
 * distribution's snippets, and what is not there cannot be audited), and guards against cycles and
 * runaway nesting.
 */
import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { InputError, ParseError } from '../errors.js';
import type { ParseInput } from './types.js';

/** Nesting deeper than this is a loop the cycle check could not see (e.g. through symlinks). */
export const MAX_INCLUDE_DEPTH = 16;

export interface IncludeState {
  /** absPaths of the files being parsed, outermost first: a file already here is a cycle. */
  readonly chain: string[];
}

export function hasGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/**
 * Files matched by an include pattern, trying `bases` (folders) in order after the including
 * file's own folder; the first base that matches anything wins. Files already on the include chain
 * are left out (a cycle), and too deep a chain is a ParseError at the include directive.
 * With `directories`, a pattern naming a folder includes every file in it (httpd's Include).
 */
export function resolveInclude(
  from: ParseInput,
  pattern: string,
  line: number,
  column: number,
  state: IncludeState,
  options: { bases?: readonly string[]; directories?: boolean } = {},
): ParseInput[] {
  if (pattern === '') return [];
  if (state.chain.length > MAX_INCLUDE_DEPTH) {
    throw new ParseError(`includes nested more than ${MAX_INCLUDE_DEPTH} deep`, from.file, line, column);
  }
  const own = path.dirname(from.absPath);
  const candidates = [pattern];
  if (!path.isAbsolute(pattern)) {
    for (const base of options.bases ?? []) if (path.resolve(base) !== own) candidates.push(path.join(base, pattern));
  }
  for (let candidate of candidates) {
    const absolute = path.resolve(own, candidate);
    if (!walkable(absolute)) continue;
    // Checked here so that a missing folder costs a stat, not a glob or an exception.
    if (hasGlob(absolute)) {
      if (!isFolder(staticFolder(absolute))) continue;
    } else {
      const stats = statOf(absolute);
      if (!stats) continue;
      if (stats.isDirectory()) {
        if (!options.directories) continue;
        candidate = path.join(candidate, '*');
      }
    }
    const found = tryInclude(from, candidate, line, column);
    if (found.length > 0) return found.filter((input) => !state.chain.includes(input.absPath));
  }
  return [];
}

/** undefined for a path that is missing or cannot be looked at (too long, a NUL byte, no permission). */
function statOf(absolute: string): Stats | undefined {
  try {
    return statSync(absolute, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function isFolder(absolute: string): boolean {
  return statOf(absolute)?.isDirectory() ?? false;
}

/** The folders of a glob before its first wildcard: `/etc/nginx/conf.d/*.conf` -> `/etc/nginx/conf.d`. */
function staticFolder(absolute: string): string {
  const segments = absolute.split(/[\\/]/);
  const first = segments.findIndex((segment) => hasGlob(segment));
  return segments.slice(0, first).join('/') || '/';
}

/**
 * Patterns that would read the whole disk or device files are refused. nginx and httpd globs
 * (glob(3) / apr_match_glob) expand neither `{a,b}` nor `**`, so braces are literal there, but
 * tinyglobby expands them and, given an unbalanced `{`, walks everything from `/`. A wildcard in
 * the root folder or the first folder under it reads system trees, and /proc, /sys and /dev hold
 * files that never end or block on read.
 */
function walkable(absolute: string): boolean {
  if (/[{}]/.test(absolute) || absolute.includes('**')) return false;
  const segments = absolute.split(/[\\/]+/).filter((segment) => segment !== '');
  if (['proc', 'sys', 'dev'].includes(segments[0] ?? '')) return false;
  return !hasGlob(absolute) || (segments.length > 1 && !hasGlob(segments[0]));
}

function tryInclude(from: ParseInput, pattern: string, line: number, column: number): ParseInput[] {
  try {
    return from.include(pattern, line, column);
  } catch (error) {
    // An unreadable file is the caller's problem to report (InputError, located at the include);
    // a missing one, or a pattern the glob library rejects, simply matches nothing.
    if (error instanceof InputError && !/no such file/.test(error.message)) throw error;
    return [];
  }
}
