import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ParseError } from '../../src/errors.js';
import type { Affinity } from '../../src/model/index.js';
import { sourceFromText } from '../../src/parsers/source.js';
import type { ConfigParser } from '../../src/parsers/types.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Parse a fixture file (path relative to the repo root) with one parser, asserting it is detected. */
export function parseFixture(parser: ConfigParser, relativePath: string): Affinity[] {
  const absPath = path.join(repoRoot, relativePath);
  const input = sourceFromText(relativePath, readFileSync(absPath, 'utf8'), absPath);
  if (!parser.detect(input)) throw new Error(`${relativePath} is not detected as ${parser.format}`);
  return parser.parse(input).affinities;
}

/** Parse inline text as if it were a file with this name. */
export function parseText(parser: ConfigParser, fileName: string, text: string): Affinity[] {
  const input = sourceFromText(fileName, text, path.join(repoRoot, 'fixtures', fileName));
  return parser.parse(input).affinities;
}

/** The detect() verdict for inline text as a file with this name. */
export function detects(parser: ConfigParser, fileName: string, text: string): boolean {
  return parser.detect(sourceFromText(fileName, text, path.join(repoRoot, 'fixtures', fileName)));
}

/** The ParseError a parser throws for this text; fails the test when it throws nothing or something else. */
export function parseErrorOf(parser: ConfigParser, fileName: string, text: string): ParseError {
  try {
    parser.parse(sourceFromText(fileName, text, path.join(repoRoot, 'fixtures', fileName)));
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`no ParseError for ${JSON.stringify(text.slice(0, 200))}`);
}
