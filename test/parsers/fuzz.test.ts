import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { PARSERS } from '../../src/parsers/index.js';
import { sourceFromText } from '../../src/parsers/source.js';
import type { ConfigParser } from '../../src/parsers/types.js';
import { repoRoot } from '../support/parse.js';

// No input may make a parser throw anything but a located parse error: mutate every fixture it
// recognises with the characters that matter to config grammars, and feed it plain noise too.

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

const corpus = [...filesUnder(path.join(repoRoot, 'fixtures/parsers')), ...filesUnder(path.join(repoRoot, 'fixtures/rules'))].map(
  (file) => ({ file: path.relative(repoRoot, file), text: readFileSync(file, 'utf8') }),
);

const SYNTAX = ['{', '}', '[', ']', '(', ')', '"', "'", '`', '#', '\n', '\\', '$', '<', '>', ':', '-', '=', ';', ',', ' ', '\t', '*', '/', '!', '&', '|', '<<EOF\n', '${', '{{', '---\n', '\r\n', '\u0000', 'é'];

const mutation = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 40 }),
  insert: fc.array(fc.constantFrom(...SYNTAX), { maxLength: 6 }).map((parts) => parts.join('')),
});

function parseSafely(parser: ConfigParser, file: string, text: string): void {
  const input = sourceFromText(file, text, path.join(repoRoot, file));
  try {
    parser.parse(input);
  } catch (error) {
    if (!(error instanceof InputError)) {
      throw new Error(`${parser.format} parser threw ${(error as Error)?.name}: ${(error as Error)?.message} for:\n${text.slice(0, 2000)}`);
    }
    expect(error.file).toBeTruthy();
    if (error.line !== undefined) expect(error.line).toBeGreaterThanOrEqual(1);
  }
}

const noise = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc
    .array(fc.constantFrom(...SYNTAX, 'a', 'server', 'upstream', 'backend x', 'cookie', 'apiVersion: v1\n', 'kind: Service\n', 'resource "x" "y" '))
    .map((parts) => parts.join('')),
);

describe('parser fuzzing', () => {
  for (const parser of PARSERS) {
    const own = corpus.filter(({ file, text }) => parser.detect(sourceFromText(file, text, path.join(repoRoot, file))));

    it(`${parser.format}: mutated fixtures give findings or a located parse error`, () => {
      expect(own.length, `no fixture is detected as ${parser.format}`).toBeGreaterThan(0);
      fc.assert(
        fc.property(fc.constantFrom(...own), fc.array(mutation, { minLength: 1, maxLength: 4 }), (fixture, mutations) => {
          let text = fixture.text;
          for (const { at, remove, insert } of mutations) {
            const index = text.length === 0 ? 0 : at % text.length;
            text = text.slice(0, index) + insert + text.slice(index + remove);
          }
          parseSafely(parser, fixture.file, text);
        }),
        { numRuns: 300, seed: 20261127 },
      );
    });

    it(`${parser.format}: noise gives nothing or a located parse error`, () => {
      fc.assert(
        fc.property(noise, (text) => parseSafely(parser, `noise.${parser.format}`, text)),
        { numRuns: 300, seed: 20261127 },
      );
    });
  }
});
