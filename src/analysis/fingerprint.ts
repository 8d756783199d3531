import { createHash } from 'node:crypto';

/** Stable across edits above the finding: file, the resource it is about, the rule, and which occurrence. */
export function fingerprintOf(file: string, resource: string, ruleId: string, occurrence: number): string {
  return createHash('sha256').update(`${file}\0${resource}\0${ruleId}\0${occurrence}`).digest('hex').slice(0, 32);
}
