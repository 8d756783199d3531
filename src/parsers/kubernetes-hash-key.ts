import type { AffinityMechanism } from '../model/index.js';

/**
 * What an nginx hash key pins a client by, for the ingress controllers built on nginx
 * (ingress-nginx `upstream-hash-by`, NGINX Inc `nginx.org/lb-method: hash ...`).
 *
 * A key pins a client only when every variable in it is stable for that client: its address, one of its
 * cookies, headers or query parameters, or something constant for the site ($host). A key with any
 * per-request or unknown variable ($request_uri, $args, $request_id ...) spreads one client over several
 * backends, which is load spreading or cache locality, not session affinity: undefined.
 */
const CLIENT_IP_VARS = new Set([
  'remote_addr',
  'binary_remote_addr',
  'realip_remote_addr',
  'proxy_add_x_forwarded_for',
  'http_x_forwarded_for',
  'http_x_real_ip',
  'http_true_client_ip',
  'http_cf_connecting_ip',
]);

/** Constant for a virtual host: neither pins nor spreads a client. */
const NEUTRAL_VARS = new Set(['host', 'http_host', 'server_name', 'server_addr', 'server_port', 'scheme', 'https']);

export function hashKeyMechanism(key: string): AffinityMechanism | undefined {
  let first: AffinityMechanism | undefined;
  const variable = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g;
  for (let match = variable.exec(key); match; match = variable.exec(key)) {
    const name = (match[1] ?? match[2]).toLowerCase();
    if (NEUTRAL_VARS.has(name)) continue;
    const mechanism = variableMechanism(name);
    if (!mechanism) return undefined;
    first ??= mechanism;
  }
  return first;
}

function variableMechanism(name: string): AffinityMechanism | undefined {
  if (CLIENT_IP_VARS.has(name)) return 'client-ip';
  if (name.startsWith('cookie_') || name === 'http_cookie') return 'app-cookie';
  if (name.startsWith('http_') && name.length > 5) return 'header';
  if (name.startsWith('arg_') && name.length > 4) return 'query';
  return undefined;
}
