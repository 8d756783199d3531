import clientIpAffinity from './client-ip-affinity.js';
import stickyCookieInsecure from './sticky-cookie-insecure.js';
import stickyCookieLifetime from './sticky-cookie-lifetime.js';
import stickySession from './sticky-session.js';
import type { Rule } from './types.js';

/** Every rule, sorted by id. */
export const RULES: readonly Rule[] = [clientIpAffinity, stickyCookieInsecure, stickyCookieLifetime, stickySession] as Rule[];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}

export type { Rule, RuleContext, RuleOptions } from './types.js';
