import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const require = createRequire(import.meta.url);
// ajv-draft-04 is CommonJS; require() gives its class without ESM interop guesswork.
const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
// The SARIF 2.1.0 schema as shipped by Microsoft's SARIF SDK (draft-04 JSON Schema).
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

describe('SARIF output', () => {
  const run = runCli(['check', 'fixtures/demo', '--format', 'sarif']);
  const sarif = JSON.parse(run.stdout);

  it('validates against the SARIF 2.1.0 JSON schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv); // the schema's uri and date-time formats are checked too
    const validate = ajv.compile(schema);
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('has what GitHub code scanning reads', () => {
    const [sarifRun] = sarif.runs;
    const rules = sarifRun.tool.driver.rules;
    expect(rules.map((rule: { id: string }) => rule.id)).toContain('sticky-session');
    for (const rule of rules) {
      expect(rule.help.text.length).toBeGreaterThan(20);
      expect(Number(rule.properties['security-severity'])).toBeGreaterThanOrEqual(0);
    }
    expect(sarifRun.results.length).toBeGreaterThan(0);
    for (const result of sarifRun.results) {
      const location = result.locations[0].physicalLocation;
      expect(location.artifactLocation.uri).toMatch(/^fixtures\/demo\//);
      expect(location.region.startLine).toBeGreaterThan(0);
      expect(result.partialFingerprints['sessionAudit/v1']).toMatch(/^[0-9a-f]{32}$/);
      expect(rules[result.ruleIndex].id).toBe(result.ruleId);
    }
  });
});
