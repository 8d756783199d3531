import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { parseYaml } from '../parsers/yaml-source.js';
import type { Finding } from '../model/index.js';

/**
 * A baseline lists accepted findings by fingerprint: a hash of file + resource + rule (see fingerprint.ts),
 * never the line, so edits above a finding do not bring it back.
 */
export interface BaselineFile {
  tool: 'session-audit';
  baselineVersion: 1;
  findings: Array<{ ruleId: string; file: string | null; resource: string; fingerprint: string }>;
}

export function baselineOf(findings: Finding[]): BaselineFile {
  return {
    tool: 'session-audit',
    baselineVersion: 1,
    findings: findings.map(({ ruleId, file, resource, fingerprint }) => ({ ruleId, file, resource, fingerprint })),
  };
}

/** Node 20's JSON.parse does not say where it failed; the YAML reader (JSON is YAML) usually can. */
function jsonErrorPosition(file: string, text: string): [number, number?] {
  try {
    parseYaml(file, text, () => text.split('\n'));
  } catch (error) {
    if (error instanceof InputError && error.line) return [error.line, error.column];
  }
  return [1];
}

export function readBaseline(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read baseline (${(error as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError('baseline is not valid JSON', file, ...jsonErrorPosition(file, text));
  }
  const findings = (data as BaselineFile | null)?.findings;
  if ((data as BaselineFile | null)?.tool !== 'session-audit' || !Array.isArray(findings)) {
    throw new InputError('not a session-audit baseline (expected {"tool": "session-audit", "findings": [...]})', file, 1);
  }
  return new Set(findings.map((entry) => entry?.fingerprint).filter((id): id is string => typeof id === 'string'));
}
