import type { AffinityCookie, AffinityMechanism } from '../model/index.js';

/**
 * What Caddy's load-balancing selection policies mean for affinity, shared by the Caddyfile and the
 * JSON reader. Source: modules/caddyhttp/reverseproxy/selectionpolicies.go in caddyserver/caddy and
 * caddyserver.com/docs/caddyfile/directives/reverse_proxy#load-balancing.
 */

/** Headers that carry the client address: hashing them is client-IP affinity, not header affinity. */
const CLIENT_IP_HEADERS = new Set(['x-forwarded-for', 'x-real-ip', 'true-client-ip', 'cf-connecting-ip', 'x-client-ip']);

export interface PolicyMeaning {
  mechanism: AffinityMechanism;
  cookie?: AffinityCookie;
}

export interface PolicyOptions {
  /** `header` field, `query` key or `cookie` name, when given. */
  argument?: string;
  /** The cookie policy's `max_age`, in seconds, when set. */
  maxAgeSeconds?: number;
  maxAgeText?: string;
  /** Whether requests reach this proxy over TLS: true, false, or undefined when it cannot be told. */
  tls?: boolean;
}

/**
 * The affinity a policy gives, or undefined for policies that do not follow the client
 * (random, random_choose, first, round_robin, weighted_round_robin, least_conn, uri_hash).
 */
export function policyMeaning(policy: string, options: PolicyOptions): PolicyMeaning | undefined {
  switch (policy) {
    case 'ip_hash': // the remote (peer) address
    case 'client_ip_hash': // the client address as found through trusted_proxies
      return { mechanism: 'client-ip' };
    case 'header': {
      const field = options.argument?.toLowerCase();
      if (!field || field === 'host') return undefined; // Host is one value per site, not per client
      return { mechanism: CLIENT_IP_HEADERS.has(field) ? 'client-ip' : 'header' };
    }
    case 'query':
      return options.argument ? { mechanism: 'query' } : undefined;
    case 'cookie':
      return {
        mechanism: 'lb-cookie',
        cookie: {
          // CookieHashSelection.Provision: `if s.Name == "" { s.Name = "lb" }`
          name: options.argument || 'lb',
          // "The cookie's Max-Age before it expires. Default is no expiry." (a session cookie)
          maxAgeSeconds: options.maxAgeSeconds ?? null,
          lifetimeText: options.maxAgeText ?? 'session cookie',
          // Select() sets `HttpOnly: true` always, and `Secure` only when the request came over TLS
          // (req.TLS != nil, or X-Forwarded-Proto: https from a trusted proxy); the config cannot set either.
          httpOnly: true,
          ...(options.tls === undefined ? {} : { secure: options.tls }),
        },
      };
    default:
      return undefined;
  }
}
