import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { RULES } from '../../src/rules/index.js';
import { repoRoot } from '../support/parse.js';

// Every fixture in fixtures/rules/<rule-id>/ must make that rule fire; every `.ok.` fixture must not.
// A fixture that fails to parse fails the test: fixtures are real syntax.
for (const rule of RULES) {
  const folder = path.join('fixtures/rules', rule.id);
  if (!existsSync(path.join(repoRoot, folder))) continue;
  describe(`${rule.id} fixtures`, () => {
    for (const name of readdirSync(path.join(repoRoot, folder)).sort()) {
      const file = path.join(folder, name);
      const mustFire = !name.includes('.ok.');
      it(`${name} ${mustFire ? 'fires' : 'does not fire'}`, async () => {
        const { report } = await runCheck({ paths: [path.join(repoRoot, file)] });
        expect(report.errors).toEqual([]);
        expect(report.summary.files, `${name} is not recognised as any config format`).toBe(1);
        const fired = report.findings.filter((finding) => finding.ruleId === rule.id);
        if (mustFire) {
          expect(fired.length, `${rule.id} did not fire`).toBeGreaterThan(0);
          for (const finding of fired) {
            expect(finding.line).toBeGreaterThan(0);
            expect(finding.file).toBe(file.split(path.sep).join('/'));
          }
        } else {
          expect(fired.map((finding) => `${finding.line}: ${finding.message}`)).toEqual([]);
        }
      });
    }
  });
}
