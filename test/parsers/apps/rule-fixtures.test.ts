import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionConfig } from '../../../src/model/index.js';
import { djangoReader } from '../../../src/parsers/apps/django.js';
import { laravelReader } from '../../../src/parsers/apps/laravel.js';
import { phpReader } from '../../../src/parsers/apps/php.js';
import { railsReader } from '../../../src/parsers/apps/rails.js';
import type { AppSettingsReader } from '../../../src/parsers/apps/types.js';
import { repoRoot } from '../../support/parse.js';
import { readFixture } from './read.js';

// The rule fixtures written for these readers, checked against the readers alone: each file is
// wanted by exactly one of them and gives the SessionConfig its rule needs, located in that file.
// test/rules/fixtures.test.ts runs the same files through the real rules; this test pins down the
// reader's half of that contract (what each rule looks at, as the rules' issue describes it).

const READERS: AppSettingsReader[] = [phpReader, laravelReader, djangoReader, railsReader];

const RULES: Record<string, (config: SessionConfig) => { line: number; file: string } | undefined> = {
  'in-memory-session-store': (config) => (config.storage === 'memory' || config.storage === 'file' ? config.location : undefined),
  'session-cookie-insecure': (config) =>
    config.cookie.secure?.value === false || config.cookie.httpOnly?.value === false
      ? (config.cookie.secure?.value === false ? config.cookie.secure.location : config.cookie.httpOnly?.location) ?? config.location
      : undefined,
  'session-secret-hardcoded': (config) => (config.secret?.source === 'literal' || config.secret?.source === 'sample' ? config.secret.location : undefined),
  'session-no-expiry': (config) => (config.lifetime?.value === null ? config.lifetime.location ?? config.location : undefined),
  'shared-secret-not-shared': (config) => (config.secret?.source === 'per-node' ? config.secret.location : undefined),
};

for (const [ruleId, fires] of Object.entries(RULES)) {
  const folder = path.join('fixtures/rules', ruleId);
  describe(`${ruleId} fixtures, as the app readers see them`, () => {
    // Other readers' fixtures share these folders; ours are named after the framework.
    const ours = readdirSync(path.join(repoRoot, folder)).filter((name) => /^(php|laravel|django|rails)-/.test(name));
    it('has fixtures of these readers', () => expect(ours.length).toBeGreaterThan(0));
    for (const name of ours.sort()) {
      const file = `${folder}/${name}`;
      it(`${name} ${name.includes('.ok.') ? 'gives a config the rule passes' : 'gives a config the rule fires on, in that file'}`, () => {
        const readers = READERS.filter((reader) => reader.wants(name));
        expect(readers.map((reader) => reader.id)).toHaveLength(1);
        const configs = readFixture(readers[0], file);
        expect(configs).toHaveLength(1);
        const hit = fires(configs[0]);
        if (name.includes('.ok.')) {
          expect(hit).toBeUndefined();
        } else {
          expect(hit?.file).toBe(file);
          expect(hit?.line).toBeGreaterThan(0);
        }
      });
    }
  });
}
