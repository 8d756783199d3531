import type { Location } from './location.js';

/**
 * What the log analysis (src/logs/analyse*.ts) found, as model nodes the log rules judge. Each node
 * carries the file and line of a representative log line (`location`): findings about logs point there.
 * Session ids, jtis and token subjects are never kept in a node in clear: `digest` is a short SHA-256
 * of the value, enough to tell two apart and to grep for with `session-audit` again, never to replay.
 */

/** A session id or token jti used from more client IPs or user agents within the window than expected. */
export interface LogSession {
  kind: 'log-session';
  location: Location;
  idKind: 'session' | 'jti';
  /** `sha256:` + 12 hex digits of the id. */
  digest: string;
  /** Most distinct client IPs / user agents seen within one window (a lower bound when `capped`). */
  ipsInWindow: number;
  userAgentsInWindow: number;
  /** The IPs and user agents of that window (capped lists). */
  ips: string[];
  userAgents: string[];
  capped: boolean;
  windowSeconds: number;
  requests: number;
  /** ms since the epoch; NaN when the log has no times. */
  firstTime: number;
  lastTime: number;
}

/** A session id or jti accepted after a logout or revocation of it. */
export interface LogRevokedUse {
  kind: 'log-revoked-use';
  /** The first accepted use after the logout. */
  location: Location;
  idKind: 'session' | 'jti';
  digest: string;
  /** Where it was logged out or revoked, and how (a logged event, or a request to a logout path). */
  logout: Location;
  logoutHow: string;
  logoutTime: number;
  useTime: number;
  /** Accepted uses after the logout. */
  uses: number;
  /**
   * The use was read before its logout (several files overlapping in time, or a log out of order): then
   * `location` is the latest such use, not the first, and `uses` a lower bound.
   */
  readBeforeLogout?: boolean;
  status: number | null;
  node: string | null;
}

/** Sessions served by more than one upstream node, all inputs together. */
export interface LogHops {
  kind: 'log-hops';
  /** The first hop seen. */
  location: Location;
  sessionsTracked: number;
  sessionsHopped: number;
  hops: number;
  /** Hops whose request on the new node failed: 401 / 419 / 440, or a session-not-found / invalid-token event. */
  hopsLost: number;
  /** The same failures on requests that stayed on their node, for comparison. */
  staysLost: number;
  stays: number;
  /** shared: hopping is harmless; local: sessions live in one node and are lost; unknown: the logs do not tell. */
  verdict: 'shared' | 'local' | 'unknown';
  /** Where the verdict comes from: the --sessions flag, or what the logs show. */
  verdictFrom: 'flag' | 'logs';
  nodes: string[];
  examples: { digest: string; from: string; to: string; file: string; line: number; lost: boolean }[];
}

/** One upstream node, with its auth failures against the rest. */
export interface LogUpstream {
  kind: 'log-node';
  /** The node's first auth failure, or its first request. */
  location: Location;
  name: string;
  requests: number;
  /** 401 / 403 responses and invalid-token events. */
  authFailures: number;
  /** The other nodes together. */
  othersRequests: number;
  othersAuthFailures: number;
  nodes: number;
  firstTime: number;
  lastTime: number;
}

/** A spike of auth failures (401, session-not-found) across clients, against the rate before it. */
export interface LogBurst {
  kind: 'log-burst';
  /** The first failure of the burst. */
  location: Location;
  start: number;
  end: number;
  bucketSeconds: number;
  failures: number;
  requests: number;
  /** Distinct users / sessions / IPs failing (a lower bound when `clientsCapped`). */
  clients: number;
  clientsCapped: boolean;
  /** Failure rate of the buckets before the burst (failures / requests). */
  baselineRate: number;
  /** Nodes that started serving shortly before the burst: a deploy or restart. */
  joined: { node: string; time: number }[];
}

/** One input file, for missing-correlation-id. */
export interface LogSource {
  kind: 'log-source';
  /** The first request without a request id (or line 1). */
  location: Location;
  file: string;
  format: string;
  requests: number;
  withoutRequestId: number;
  /** The input's format has a request-id field (LogReadSummary.hasRequestIdField, per input). */
  hasRequestIdField: boolean;
}

export type LogModelNode = LogSession | LogRevokedUse | LogHops | LogUpstream | LogBurst | LogSource;
export const LOG_NODE_KINDS = ['log-session', 'log-revoked-use', 'log-hops', 'log-node', 'log-burst', 'log-source'] as const;
