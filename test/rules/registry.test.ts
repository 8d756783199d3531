import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.js';
import { repoRoot } from '../support/parse.js';

const ruleFiles = readdirSync(path.join(repoRoot, 'src/rules'))
  .filter((name) => name.endsWith('.ts') && !['index.ts', 'types.ts'].includes(name))
  .map((name) => name.replace(/\.ts$/, ''));

describe('rule registry', () => {
  it('is sorted by id and registers every rule file', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(ids).toEqual([...ids].sort());
    expect([...ids].sort()).toEqual([...ruleFiles].sort());
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      it('lives in a file named after its id', async () => {
        const module = await import(`../../src/rules/${rule.id}.ts`);
        expect(module.default.id).toBe(rule.id);
      });

      it('has documentation', () => {
        expect(rule.docs.summary.length).toBeGreaterThan(10);
        expect(rule.docs.rationale.length).toBeGreaterThan(40);
        expect(rule.docs.fix.length).toBeGreaterThan(20);
      });

      it('has firing and .ok fixtures', () => {
        const folder = path.join(repoRoot, 'fixtures/rules', rule.id);
        expect(existsSync(folder), `fixtures/rules/${rule.id}/ is missing`).toBe(true);
        const names = readdirSync(folder);
        expect(names.filter((name) => !name.includes('.ok.')).length, 'no firing fixture').toBeGreaterThan(0);
        expect(names.filter((name) => name.includes('.ok.')).length, 'no .ok fixture').toBeGreaterThan(0);
      });
    });
  }
});
