import { createHash } from 'node:crypto';
import { locationOfNode, sourceOfNode, type Finding, type Model, type ModelNode } from '../model/index.js';
import type { Rule, RuleOptions } from '../rules/types.js';
import { shownEvidence } from '../util/mask-quoted.js';
import { fingerprintOf } from './fingerprint.js';

/** A finding before suppression, with what suppression needs to know about its node. */
export interface RawFinding {
  finding: Finding;
  node: ModelNode;
}

export function runRules(model: Model, rules: readonly Rule[], options: RuleOptions): RawFinding[] {
  const nodesByKind: Record<ModelNode['kind'], ModelNode[]> = {
    affinity: model.affinities,
    'session-config': model.sessionConfigs,
    route: model.routes,
    namespace: model.namespaces,
    token: model.tokens,
    store: model.stores,
    'log-session': [],
    'log-revoked-use': [],
    'log-hops': [],
    'log-node': [],
    'log-burst': [],
    'log-source': [],
  };
  for (const node of model.logs ?? []) nodesByKind[node.kind].push(node);
  const raw: RawFinding[] = [];
  const occurrences = new Map<string, number>();
  for (const rule of rules) {
    for (const kind of rule.appliesTo) {
      for (const node of nodesByKind[kind] ?? []) {
        rule.check(node as never, {
          options,
          report: ({ node: reported, message, severity, evidence }) => {
            const resource = resourceOf(reported);
            const location = locationOfNode(reported);
            const source = sourceOfNode(reported);
            const key = `${location?.file ?? source}\0${resource}\0${rule.id}`;
            const occurrence = occurrences.get(key) ?? 0;
            occurrences.set(key, occurrence + 1);
            raw.push({
              node: reported,
              finding: {
                ruleId: rule.id,
                severity: severity ?? rule.severity,
                category: rule.category,
                message,
                file: location?.file ?? null,
                line: location?.line ?? null,
                column: location?.column ?? null,
                source,
                evidence: evidence ?? evidenceOf(reported),
                fix: rule.docs.fix,
                resource,
                fingerprint: fingerprintOf(location?.file ?? source ?? '', resource, rule.id, occurrence),
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
  switch (node.kind) {
    case 'affinity':
      return `${node.pool} ${node.mechanism}`;
    case 'session-config':
      return `${node.framework} sessions in ${node.appRoot}`;
    case 'route':
      return `route ${node.pool.name} -> ${node.apps.map((app) => app.name).join(', ')}`;
    case 'namespace':
      return `namespace ${node.pattern}`;
    case 'token':
      // A digest, not the claims: the resource lands in JSON and SARIF output and must not carry them.
      return `token ${createHash('sha256').update(`${node.segments[0]}.${node.segments[1]}`).digest('hex').slice(0, 16)}`;
    case 'store':
      return `${node.store.kind} ${node.store.mode}`;
    // Log nodes: digests and names only, never a session id or token.
    case 'log-session':
    case 'log-revoked-use':
      return `${node.idKind} ${node.digest}`;
    case 'log-hops':
      return `hops ${node.nodes.join(',')}`;
    case 'log-node':
      return `node ${node.name}`;
    case 'log-burst':
      return `burst ${new Date(Number.isFinite(node.start) ? node.start : 0).toISOString()}`;
    case 'log-source':
      return `source ${node.file}`;
  }
}

/** The source line that shows a config node's problem. */
function evidenceOf(node: ModelNode): string | null {
  switch (node.kind) {
    case 'affinity':
      return node.evidence;
    case 'session-config':
      // The line that sets up sessions often holds the secret too (`session({ secret: '...' })`).
      return shownEvidence(node);
    case 'route':
      return node.affinity?.evidence ?? null;
    default:
      return null;
  }
}
