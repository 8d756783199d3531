import { createHash } from 'node:crypto';
import type { LogRecord } from './record.js';

/**
 * What one request says about authentication, in the few words the analysis needs. Kept apart so the
 * rules' docs, the tests and the analysis agree on what counts as a failure or a logout.
 */

/** An auth failure, for auth-failures-on-one-node: 401 / 403, or an invalid-token / session-not-found event. */
export function isAuthFailure(record: LogRecord): boolean {
  const status = record.status;
  if (status === 401 || status === 403) return true;
  const event = record.event;
  return event === 'invalid-token' || event === 'session-not-found';
}

/**
 * A lost session, for logout-storm and the verdict of session-hops-nodes: 401, 419 (Laravel's session
 * expired), 440 (IIS login time-out), or a session-not-found / invalid-token event. 403 is not one: it
 * says who you are is known and not allowed.
 */
export function isLostSession(record: LogRecord): boolean {
  const status = record.status;
  if (status === 401 || status === 419 || status === 440) return true;
  const event = record.event;
  return event === 'session-not-found' || event === 'invalid-token';
}

/** The request was served: a 1xx-3xx status, or no status and no failure event. */
export function isAccepted(record: LogRecord): boolean {
  const event = record.event;
  if (event === 'invalid-token' || event === 'session-not-found') return false;
  return record.status === undefined || record.status < 400;
}

/** Paths that end a session: /logout, /log-out, /signout, /sign_out, /logoff, /revoke, /oauth2/revoke, /session/destroy... */
const LOGOUT_PATH = /(?:^|\/)(?:log[-_]?out|sign[-_]?out|log[-_]?off|revoke|end[-_]?session|session\/destroy)(?:\/|\.[a-z]+)?$/i;

/** How the request ended its session or token, or null: a logout / revoke event, or a served request to a logout path. */
export function logoutOf(record: LogRecord): string | null {
  const event = record.event;
  if (event === 'logout' || event === 'revoke') return `${event} event`;
  const path = record.path;
  if (path !== undefined && path.length > 4 && LOGOUT_PATH.test(path) && (record.status === undefined || (record.status >= 200 && record.status < 400))) {
    return `${record.method ? `${record.method} ` : ''}${path}${record.status ? ` ${record.status}` : ''}`;
  }
  return null;
}

/** Static files: a 200 for them says nothing about whether a session or token was accepted. */
const STATIC_PATH = /\.(?:css|js|mjs|map|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|eot|otf|txt|mp4|webm)$/i;
export const isStaticPath = (path: string | undefined): boolean => path !== undefined && STATIC_PATH.test(path);

/** Session ids and jtis are never shown: a short digest tells them apart. */
export function digestOf(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}
