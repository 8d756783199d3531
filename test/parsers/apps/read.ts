import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import type { SessionConfig, Setting } from '../../../src/model/index.js';
import type { AppSettingsReader } from '../../../src/parsers/apps/types.js';
import { sourceFromText } from '../../../src/parsers/source.js';
import { repoRoot } from '../../support/parse.js';

// What the app reader tests share: reading a fixture or inline text with one reader, and putting
// what a reader returns in the shape the tests compare.

/** Read a fixture (path from the repo root) with one reader, asserting the reader wants its file name. */
export function readFixture(reader: AppSettingsReader, relativePath: string): SessionConfig[] {
  const absPath = path.join(repoRoot, relativePath);
  expect(reader.wants(path.basename(relativePath)), `${reader.id} does not want ${relativePath}`).toBe(true);
  return reader.read(sourceFromText(relativePath, readFileSync(absPath, 'utf8'), absPath));
}

/** readFixture, with the fixture's path and text for tests that find lines in it (lineOf). */
export function readFixtureAndText(reader: AppSettingsReader, relativePath: string): { rel: string; text: string; configs: SessionConfig[] } {
  return { rel: relativePath, text: readFileSync(path.join(repoRoot, relativePath), 'utf8'), configs: readFixture(reader, relativePath) };
}

/** Read inline text as if it were a file with this name under fixtures/. */
export function readText(reader: AppSettingsReader, fileName: string, text: string): SessionConfig[] {
  return reader.read(sourceFromText(fileName, text, path.join(repoRoot, 'fixtures', fileName)));
}

/** The ParseError a reader throws for a fixture; fails when it throws nothing or something else. */
export function parseErrorOf(reader: AppSettingsReader, relativePath: string): ParseError {
  return parseErrorFrom(() => readFixture(reader, relativePath), relativePath);
}

/** The ParseError `read` throws; fails when it throws nothing or something else. */
export function parseErrorFrom(read: () => unknown, what: string): ParseError {
  try {
    read();
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`no ParseError for ${what}`);
}

/** The 1-based line of the one line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const found = text.split('\n').flatMap((line, index) => (line.includes(needle) ? [index + 1] : []));
  if (found.length !== 1) throw new Error(`"${needle}" is on ${found.length} lines`);
  return found[0];
}

/** A setting as [value, line] (line undefined when it is the framework default). */
export const pair = <T>(setting: Setting<T> | undefined) => setting && [setting.value, setting.location?.line];

/** The fields reader tests compare, with locations reduced to lines; each test adds the framework field it names configs by. */
export function settingsSummary(config: SessionConfig) {
  return {
    storage: config.storage,
    storageDetail: config.storageDetail,
    storeHosts: config.storeHosts,
    line: config.location.line,
    cookie: {
      name: config.cookie.name,
      secure: pair(config.cookie.secure),
      httpOnly: pair(config.cookie.httpOnly),
      sameSite: pair(config.cookie.sameSite),
    },
    lifetime: pair(config.lifetime),
    secret: config.secret && [config.secret.source, config.secret.location.line],
  };
}

/** The rules whose fixtures include the app code and config files the app readers read. */
const APP_RULES = ['in-memory-session-store', 'session-cookie-insecure', 'session-secret-hardcoded', 'session-no-expiry', 'shared-secret-not-shared'];

/**
 * The rule fixtures written for one reader (`fixtures/rules/<rule>/<name>`, by name), as paths from
 * the repo root. test/rules/fixtures.test.ts runs them through the real rules; a reader's test checks
 * its own half: that each gives it exactly one config, located in that file.
 */
export function ruleFixtures(name: RegExp): string[] {
  const files = APP_RULES.flatMap((rule) =>
    readdirSync(path.join(repoRoot, 'fixtures/rules', rule))
      .filter((file) => name.test(file))
      .sort()
      .map((file) => `fixtures/rules/${rule}/${file}`),
  );
  if (files.length === 0) throw new Error(`no rule fixture is named like ${name}`);
  return files;
}
