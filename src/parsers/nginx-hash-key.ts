import type { AffinityMechanism } from '../model/index.js';

/**
 * nginx hash keys (`hash $key`, `sticky learn lookup=$key`, and the ingress controllers built on nginx:
 * ingress-nginx `upstream-hash-by`, NGINX Inc `nginx.org/lb-method: hash ...`): what each variable in a key
 * is, for the client that sends the request.
 */

/**
 * Variables whose value is the client's address (nginx core / realip / proxy module variables, and
 * the headers proxies put the client address in).
 */
const CLIENT_IP_VARS = new Set([
  'remote_addr',
  'binary_remote_addr',
  'realip_remote_addr',
  'proxy_add_x_forwarded_for',
  'http_x_forwarded_for',
  'http_x_real_ip',
  'http_forwarded',
  'http_true_client_ip',
  'http_cf_connecting_ip',
]);

/** Constant for a virtual host: neither pins nor spreads a client. */
const NEUTRAL_VARS = new Set(['host', 'http_host', 'server_name', 'server_addr', 'server_port', 'scheme', 'https']);

/**
 * One variable of a key. `client`: stable for one client and identifying it, by the mechanism given (for a
 * cookie, its name as written). `neutral`: constant for the site. `unknown`: anything else — per request
 * ($request_uri, $args, $request_id ...), or a variable defined by the config or a module.
 */
export type KeyVariable =
  | { kind: 'client'; name: string; mechanism: AffinityMechanism; cookieName?: string }
  | { kind: 'neutral' | 'unknown'; name: string };

export type ClientVariable = Extract<KeyVariable, { kind: 'client' }>;

/** The variables of a key in order (`$name` or `${name}`), names lower-cased as nginx matches them. */
export function keyVariables(key: string): KeyVariable[] {
  return [...key.matchAll(/\$(?:\{(\w+)\}|(\w+))/g)].map((match) => classifyVariable(match[1] ?? match[2]));
}

function classifyVariable(written: string): KeyVariable {
  const name = written.toLowerCase();
  const client = (mechanism: AffinityMechanism, cookieName?: string): KeyVariable => ({ kind: 'client', name, mechanism, cookieName });
  if (NEUTRAL_VARS.has(name)) return { kind: 'neutral', name };
  if (CLIENT_IP_VARS.has(name)) return client('client-ip');
  // The whole Cookie header carries the application's cookies.
  if (name === 'http_cookie') return client('app-cookie');
  if (name.startsWith('cookie_') && name.length > 7) return client('app-cookie', written.slice(7));
  if (name.startsWith('http_') && name.length > 5) return client('header');
  if (name.startsWith('arg_') && name.length > 4) return client('query');
  return { kind: 'unknown', name };
}

/**
 * The ingress controllers' policy: a key pins a client only when every variable in it is stable for that
 * client (its address, one of its cookies, headers or query parameters, or something constant for the
 * site). A key with any per-request or unknown variable spreads one client over several backends, which is
 * load spreading or cache locality, not session affinity: undefined. The first client variable names the mechanism.
 */
export function hashKeyMechanism(key: string): AffinityMechanism | undefined {
  let first: AffinityMechanism | undefined;
  for (const variable of keyVariables(key)) {
    if (variable.kind === 'unknown') return undefined;
    if (variable.kind === 'client') first ??= variable.mechanism;
  }
  return first;
}
