import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import type { SessionConfig } from '../../../src/model/index.js';
import type { AppSettingsReader } from '../../../src/parsers/apps/types.js';
import { sourceFromText } from '../../../src/parsers/source.js';
import { repoRoot } from '../../support/parse.js';

/** Read a fixture (path from the repo root) with one reader, asserting the reader wants its file name. */
export function readFixture(reader: AppSettingsReader, relativePath: string): SessionConfig[] {
  const absPath = path.join(repoRoot, relativePath);
  expect(reader.wants(path.basename(relativePath)), `${reader.id} does not want ${relativePath}`).toBe(true);
  return reader.read(sourceFromText(relativePath, readFileSync(absPath, 'utf8'), absPath));
}

/** Read inline text as if it were a file with this name under fixtures/. */
export function readText(reader: AppSettingsReader, fileName: string, text: string): SessionConfig[] {
  return reader.read(sourceFromText(fileName, text, path.join(repoRoot, 'fixtures', fileName)));
}

/** The ParseError a reader throws for a fixture; fails when it throws nothing or something else. */
export function parseErrorOf(reader: AppSettingsReader, relativePath: string): ParseError {
  try {
    readFixture(reader, relativePath);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`no ParseError for ${relativePath}`);
}
