import type { Location } from './location.js';

/** The config formats whose load-balancing settings are read. */
export type ConfigFormat =
  | 'nginx'
  | 'haproxy'
  | 'kubernetes'
  | 'traefik'
  | 'compose'
  | 'envoy'
  | 'caddy'
  | 'apache'
  | 'terraform'
  | 'cloudformation';

/**
 * How a balancer picks the same backend again for a client:
 * - client-ip:   the client address (ip_hash, balance source, sessionAffinity: ClientIP)
 * - lb-cookie:   a cookie the balancer itself sets (sticky cookie, cookie SRV insert)
 * - app-cookie:  a cookie the application sets, read by the balancer (hash $cookie_sid, appsession)
 * - header:      a request header (hash $http_x_session, balance hdr(...))
 * - query:       a query parameter (hash $arg_sid, url_param)
 * - route:       a route id carried by the client (nginx sticky route, Apache route=)
 * - stick-table: a learned table of client key -> server (HAProxy stick on / sticky learn)
 */
export type AffinityMechanism =
  | 'client-ip'
  | 'lb-cookie'
  | 'app-cookie'
  | 'header'
  | 'query'
  | 'route'
  | 'stick-table';

export const MECHANISM_LABELS: Record<AffinityMechanism, string> = {
  'client-ip': 'client IP',
  'lb-cookie': 'load-balancer cookie',
  'app-cookie': 'application cookie',
  header: 'request header',
  query: 'query parameter',
  route: 'route id',
  'stick-table': 'stick table',
};

/** What the config says about the affinity cookie, when there is one. */
export interface AffinityCookie {
  name?: string;
  /**
   * Lifetime in seconds. `null`: no lifetime is set and the tool documents the cookie as a
   * session cookie or never expiring (unbounded). `undefined`: the config does not say and the
   * default is not known to be unbounded.
   */
  maxAgeSeconds?: number | null;
  /** Words for the lifetime as the config wrote it ("expires=1h", "session cookie"). */
  lifetimeText?: string;
  /** `undefined` when the format cannot set the flag at all. */
  secure?: boolean;
  httpOnly?: boolean;
  /** Where the cookie's attributes are set, if not at the affinity itself. */
  location?: Location;
}

/** One place where session affinity is switched on. */
export interface Affinity {
  kind: 'affinity';
  format: ConfigFormat;
  mechanism: AffinityMechanism;
  /** The pool it applies to, as the config names it: "upstream shop_backend", "Service shop/web". */
  pool: string;
  /** The mechanism as the config spells it: "ip_hash", "cookie SERVERID insert". */
  detail: string;
  location: Location;
  /** The directive's source text, trimmed to one line. */
  evidence: string;
  cookie?: AffinityCookie;
  /** Rule ids the config itself asks to ignore here (e.g. a Kubernetes annotation). */
  ignoredRules?: string[];
}
