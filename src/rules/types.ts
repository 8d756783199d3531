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
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  stickyCookieMaxAge: 86400,
  sessionTtlMax: 30 * 86400,
  storeFullRatio: 0.9,
  tokenAlgs: null,
  tokenMaxLifetime: 86400,
  tokenShowSecret: false,
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
