import type { Affinity, Finding, ModelNode } from '../model/index.js';
import type { Rule, RuleOptions } from '../rules/types.js';
import { fingerprintOf } from './fingerprint.js';

export interface Model {
  affinities: Affinity[];
}

/** A finding before suppression, with what suppression needs to know about its node. */
export interface RawFinding {
  finding: Finding;
  node: ModelNode;
}

export function runRules(model: Model, rules: readonly Rule[], options: RuleOptions): RawFinding[] {
  const nodesByKind: Record<ModelNode['kind'], ModelNode[]> = { affinity: model.affinities };
  const raw: RawFinding[] = [];
  const occurrences = new Map<string, number>();
  for (const rule of rules) {
    for (const kind of rule.appliesTo) {
      for (const node of nodesByKind[kind] ?? []) {
        rule.check(node as never, {
          options,
          report: ({ node: reported, message, severity }) => {
            const resource = resourceOf(reported);
            const file = reported.location.file;
            const key = `${file}\0${resource}\0${rule.id}`;
            const occurrence = occurrences.get(key) ?? 0;
            occurrences.set(key, occurrence + 1);
            raw.push({
              node: reported,
              finding: {
                ruleId: rule.id,
                severity: severity ?? rule.severity,
                category: rule.category,
                message,
                file,
                line: reported.location.line,
                column: reported.location.column,
                source: null,
                evidence: reported.evidence,
                fix: rule.docs.fix,
                resource,
                fingerprint: fingerprintOf(file, resource, rule.id, occurrence),
              },
            });
          },
        });
      }
    }
  }
  return raw;
}

/** What a node is about, in words that survive edits elsewhere in the file. */
function resourceOf(node: ModelNode): string {
  return `${node.pool} ${node.mechanism}`;
}
