import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { InputError } from '../errors.js';
import type { ParseInput } from './types.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

/** More files than any real include expands to; a bound so a pathological pattern cannot stall a run. */
const MAX_INCLUDED_FILES = 1000;

const MAX_INCLUDED_BYTES = 8 * 1024 * 1024;

const escapeBraces = (pattern: string) => pattern.replace(/[{}()!+@]/g, (char) => `\\${char}`);

/** Shown paths are relative to the working directory, with forward slashes on every OS. */
export function displayPath(absPath: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, absPath);
  const shown = relative === '' ? path.basename(absPath) : relative.startsWith('..') ? absPath : relative;
  return shown.split(path.sep).join('/');
}

/** A ParseInput over text already in memory; `absPath` anchors includes. */
export function sourceFromText(file: string, text: string, absPath = path.resolve(file)): ParseInput {
  let lines: string[] | undefined;
  let yaml: YamlSource | undefined;
  const input: ParseInput = {
    file,
    absPath,
    text,
    lines: () => (lines ??= text.split(/\r?\n/)),
    yaml: () => (yaml ??= parseYaml(file, text, input.lines)),
    include(pattern, line, column = 1) {
      const base = path.dirname(absPath);
      const absolute = path.isAbsolute(pattern) ? pattern : path.join(base, pattern);
      // nginx and Apache expand includes with glob(3), where `**` is just `*` and braces are literal:
      // matching that keeps a stray `include /**;` from walking the whole disk.
      const matches = /[*?[]/.test(pattern)
        ? globSync(escapeBraces(absolute.split(path.sep).join('/').replace(/\*{2,}/g, '*')), {
            absolute: true,
            onlyFiles: true,
            dot: false,
            expandDirectories: false,
          })
            .sort()
            .slice(0, MAX_INCLUDED_FILES)
        : [absolute];
      const found: ParseInput[] = [];
      for (const match of matches) {
        let text: string;
        try {
          const stats = statSync(match);
          if (!stats.isFile()) continue;
          if (stats.size > MAX_INCLUDED_BYTES) {
            throw new InputError(`include "${pattern}": ${displayPath(match)} is larger than any config (${stats.size} bytes)`, file, line, column);
          }
          text = readFileSync(match, 'utf8');
        } catch (error) {
          if (error instanceof InputError) throw error;
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' && !/[*?[]/.test(pattern)) {
            throw new InputError(`include "${pattern}": no such file`, file, line, column);
          }
          throw new InputError(`include "${pattern}": cannot read ${displayPath(match)} (${code ?? 'error'})`, file, line, column);
        }
        found.push(sourceFromText(displayPath(match), text, match));
      }
      return found;
    },
  };
  return input;
}

export function sourceFromFile(absPath: string): ParseInput {
  return sourceFromText(displayPath(absPath), readFileSync(absPath, 'utf8'), absPath);
}
