import authFailuresOnOneNode from './auth-failures-on-one-node.js';
import clientIpAffinity from './client-ip-affinity.js';
import inMemorySessionStore from './in-memory-session-store.js';
import jweWeakAlgorithm from './jwe-weak-algorithm.js';
import jwtAlgNone from './jwt-alg-none.js';
import jwtAlgUnexpected from './jwt-alg-unexpected.js';
import jwtBadSignatureEncoding from './jwt-bad-signature-encoding.js';
import jwtCritUnknown from './jwt-crit-unknown.js';
import jwtExpired from './jwt-expired.js';
import jwtHeaderKeyInjection from './jwt-header-key-injection.js';
import jwtKidInjection from './jwt-kid-injection.js';
import jwtLongLifetime from './jwt-long-lifetime.js';
import jwtMissingAud from './jwt-missing-aud.js';
import jwtMissingExp from './jwt-missing-exp.js';
import jwtMissingIss from './jwt-missing-iss.js';
import jwtMissingJti from './jwt-missing-jti.js';
import jwtNonCanonical from './jwt-non-canonical.js';
import jwtNotYetValid from './jwt-not-yet-valid.js';
import jwtOversized from './jwt-oversized.js';
import jwtSensitiveClaims from './jwt-sensitive-claims.js';
import jwtWeakSecret from './jwt-weak-secret.js';
import logoutStorm from './logout-storm.js';
import memcachedSessionNoExpiry from './memcached-session-no-expiry.js';
import missingCorrelationId from './missing-correlation-id.js';
import randomLogoutRisk from './random-logout-risk.js';
import sessionCookieInsecure from './session-cookie-insecure.js';
import sessionHopsNodes from './session-hops-nodes.js';
import sessionIdleTooLong from './session-idle-too-long.js';
import sessionKeyNoTtl from './session-key-no-ttl.js';
import sessionNoExpiry from './session-no-expiry.js';
import sessionReuseManyIps from './session-reuse-many-ips.js';
import sessionSecretHardcoded from './session-secret-hardcoded.js';
import sessionTtlTooLong from './session-ttl-too-long.js';
import sharedSecretNotShared from './shared-secret-not-shared.js';
import springSessionIndexStale from './spring-session-index-stale.js';
import springSessionNoKeyspaceEvents from './spring-session-no-keyspace-events.js';
import stickyCookieInsecure from './sticky-cookie-insecure.js';
import stickyCookieLifetime from './sticky-cookie-lifetime.js';
import stickyMasksLocalSessions from './sticky-masks-local-sessions.js';
import stickySessionUnneeded from './sticky-session-unneeded.js';
import stickySession from './sticky-session.js';
import storeEvictionEvictsSessions from './store-eviction-evicts-sessions.js';
import storeNoTls from './store-no-tls.js';
import storeNoevictionFull from './store-noeviction-full.js';
import storeNotPersistent from './store-not-persistent.js';
import storeOpenAccess from './store-open-access.js';
import storePersistenceFailing from './store-persistence-failing.js';
import storeSharedWithCache from './store-shared-with-cache.js';
import storeSingleNode from './store-single-node.js';
import tokenUsedAfterLogout from './token-used-after-logout.js';
import type { Rule } from './types.js';

/** Every rule, sorted by id. */
export const RULES: readonly Rule[] = [
  authFailuresOnOneNode,
  clientIpAffinity,
  inMemorySessionStore,
  jweWeakAlgorithm,
  jwtAlgNone,
  jwtAlgUnexpected,
  jwtBadSignatureEncoding,
  jwtCritUnknown,
  jwtExpired,
  jwtHeaderKeyInjection,
  jwtKidInjection,
  jwtLongLifetime,
  jwtMissingAud,
  jwtMissingExp,
  jwtMissingIss,
  jwtMissingJti,
  jwtNonCanonical,
  jwtNotYetValid,
  jwtOversized,
  jwtSensitiveClaims,
  jwtWeakSecret,
  logoutStorm,
  memcachedSessionNoExpiry,
  missingCorrelationId,
  randomLogoutRisk,
  sessionCookieInsecure,
  sessionHopsNodes,
  sessionIdleTooLong,
  sessionKeyNoTtl,
  sessionNoExpiry,
  sessionReuseManyIps,
  sessionSecretHardcoded,
  sessionTtlTooLong,
  sharedSecretNotShared,
  springSessionIndexStale,
  springSessionNoKeyspaceEvents,
  stickyCookieInsecure,
  stickyCookieLifetime,
  stickyMasksLocalSessions,
  stickySession,
  stickySessionUnneeded,
  storeEvictionEvictsSessions,
  storeNoTls,
  storeNoevictionFull,
  storeNotPersistent,
  storeOpenAccess,
  storePersistenceFailing,
  storeSharedWithCache,
  storeSingleNode,
  tokenUsedAfterLogout,
] as Rule[];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}

export type { Rule, RuleContext, RuleOptions } from './types.js';
