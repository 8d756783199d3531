import type { Category, ModelNode, ModelNodeKind, Severity } from '../model/index.js';

export interface RuleDocs {
  summary: string;
  rationale: string;
  fix: string;
}

/** Settings a rule can read; every field has a documented default and a CLI flag. */
export interface RuleOptions {
  /** sticky-cookie-lifetime: longest acceptable affinity cookie lifetime, in seconds (default 1 day). */
  stickyCookieMaxAge: number;
  /** session-ttl-too-long: longest acceptable session key TTL, in seconds (default 30 days). */
  sessionTtlMax: number;
  /** store-noeviction-full: share of maxmemory in use that counts as full (default 0.9). */
  storeFullRatio: number;
  /** jwt-alg-unexpected: the algorithms the verifier accepts (token audit --alg); null when not given: the rule is then silent. */
  tokenAlgs: string[] | null;
  /** jwt-long-lifetime: longest acceptable token lifetime (exp - iat), in seconds (token audit --max-lifetime, default 1 day). */
  tokenMaxLifetime: number;
  /** jwt-weak-secret: print a found HMAC secret in full (token audit --show-secret); masked otherwise. */
  tokenShowSecret: boolean;
  /** session-reuse-many-ips: most client IPs one session id or jti may come from within --window (logs --max-ips, default 3). */
  logMaxIps: number;
  /** session-reuse-many-ips: most user agents one session id or jti may send within --window (logs --max-user-agents, default 2). */
  logMaxUserAgents: number;
  /** The sliding window of session-reuse-many-ips, in seconds (logs --window, default 10 minutes). */
  logWindow: number;
  /** session-hops-nodes: where the app keeps sessions (logs --sessions): auto judges from the logs what happens after a hop. */
  logSessions: 'auto' | 'shared' | 'local';
  /** auth-failures-on-one-node: fewest auth failures on a node before it is judged (logs --min-failures, default 10). */
  logMinFailures: number;
  /** auth-failures-on-one-node: how many times the other nodes' failure rate counts as concentrated (logs --failure-factor, default 3). */
  logFailureFactor: number;
  /** logout-storm: fewest session-not-found / 401 responses in a minute that can be a storm (logs --storm-min, default 20). */
  logStormMin: number;
  /** logout-storm: how many times the failure rate before it a spike must reach (logs --storm-factor, default 5). */
  logStormFactor: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  stickyCookieMaxAge: 86400,
  sessionTtlMax: 30 * 86400,
  storeFullRatio: 0.9,
  tokenAlgs: null,
  tokenMaxLifetime: 86400,
  tokenShowSecret: false,
  logMaxIps: 3,
  logMaxUserAgents: 2,
  logWindow: 600,
  logSessions: 'auto',
  logMinFailures: 10,
  logFailureFactor: 3,
  logStormMin: 20,
  logStormFactor: 5,
};

export interface RuleReport {
  node: ModelNode;
  message: string;
  /** Overrides the rule's default severity for this finding. */
  severity?: Severity;
  /** What shows the problem, when the node has no source line (a store setting, example keys). */
  evidence?: string;
}

export interface RuleContext {
  options: RuleOptions;
  report(report: RuleReport): void;
}

export interface Rule<K extends ModelNodeKind = ModelNodeKind> {
  id: string;
  category: Category;
  severity: Severity;
  appliesTo: K[];
  docs: RuleDocs;
  check(node: Extract<ModelNode, { kind: K }>, ctx: RuleContext): void;
}

/** Identity, for type inference and one place to hang checks on rule shape later. */
export function defineRule<K extends ModelNodeKind>(rule: Rule<K>): Rule<K> {
  return rule;
}
