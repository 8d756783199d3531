import path from 'node:path';
import { isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Affinity, AffinityCookie, AffinityMechanism } from '../model/index.js';
import { parseDuration } from '../util/duration.js';
import { affinityAt } from './affinity-at.js';
import type { ConfigParser, ModelFragment, ParseInput } from './types.js';
import type { YamlSource } from './yaml-source.js';

/**
 * Envoy static bootstrap config (v3 API, YAML or JSON):
 * - route `hash_policy` entries. They only pin clients when the target cluster uses a hashing load
 *   balancer: "Specifies the route's hashing policy if the upstream cluster uses a hashing load balancer"
 *   (RouteAction.HashPolicy, https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto).
 *   So a cluster found here with ROUND_ROBIN & co. makes them inert; a cluster not in the file (CDS) is
 *   reported with its lb policy unknown.
 * - tcp_proxy `hash_policy` (`source_ip`), same condition.
 * - the stateful session filter (envoy.filters.http.stateful_session), which works with any lb policy:
 *   https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/stateful_session_filter
 * Envoy reads proto field names in snake_case or lowerCamelCase (proto3 JSON), so both are accepted.
 */

const camelNames = new Map<string, string>();
function camel(name: string): string {
  let spelled = camelNames.get(name);
  if (spelled === undefined) camelNames.set(name, (spelled = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())));
  return spelled;
}

function pairOf(node: unknown, name: string) {
  if (!isMap(node)) return undefined;
  const alt = camel(name);
  let found: YAMLMap['items'][number] | undefined;
  for (const pair of (node as YAMLMap).items) {
    if (isScalar(pair.key) && (pair.key.value === name || pair.key.value === alt)) found = pair;
  }
  return found;
}

/** A field by its proto name, in either spelling. */
function field(node: unknown, name: string): Node | undefined {
  return (pairOf(node, name)?.value as Node | null | undefined) ?? undefined;
}

function fieldKey(node: unknown, name: string): Node | undefined {
  return (pairOf(node, name)?.key as Node | undefined) ?? undefined;
}

function text(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

function list(node: unknown): Node[] {
  return isSeq(node) ? ((node as YAMLSeq).items as Node[]) : [];
}

const isTrue = (node: unknown) => text(node)?.toLowerCase() === 'true';

/** `@type` of a typed_config, or of the config wrapped in a route-level FilterConfig. */
function typeOf(node: unknown): string {
  return text(field(node, '@type')) ?? '';
}

/** A google.protobuf.Duration as YAML/JSON writes it ("3600s") or as an object ({seconds: 3600}). */
function durationSeconds(node: unknown): number | undefined {
  if (isMap(node)) {
    const seconds = Number(text(field(node, 'seconds')) ?? 0);
    const nanos = Number(text(field(node, 'nanos')) ?? 0);
    return Number.isFinite(seconds) && Number.isFinite(nanos) ? seconds + nanos / 1e9 : undefined;
  }
  return parseDuration(text(node));
}

function durationText(node: unknown): string {
  if (isMap(node)) return `${text(field(node, 'seconds')) ?? 0}s`;
  return text(node) ?? '';
}

interface ClusterInfo {
  /** ring hash or Maglev: the only policies that use a route's hash. */
  hashing: boolean;
  policy: string;
}

/** lb_policy, or the first policy of load_balancing_policy (which takes precedence when set). */
function clusterInfo(cluster: Node): ClusterInfo {
  const policies = list(field(field(cluster, 'load_balancing_policy'), 'policies'));
  if (policies.length > 0) {
    const extension = field(policies[0], 'typed_extension_config');
    const kind = `${typeOf(field(extension, 'typed_config'))} ${text(field(extension, 'name')) ?? ''}`;
    const short = /\.([A-Za-z]+)\s*$/.exec(typeOf(field(extension, 'typed_config')))?.[1] ?? text(field(extension, 'name')) ?? 'unknown';
    return { hashing: /ring_hash|maglev/i.test(kind), policy: short };
  }
  const policy = (text(field(cluster, 'lb_policy')) ?? 'ROUND_ROBIN').toUpperCase();
  return { hashing: policy === 'RING_HASH' || policy === 'MAGLEV', policy };
}

class Collector {
  readonly affinities: Affinity[] = [];
  constructor(
    private readonly input: ParseInput,
    private readonly source: YamlSource,
  ) {}

  add(mechanism: AffinityMechanism, pool: string, detail: string, at: Node | undefined, cookie?: AffinityCookie): void {
    this.affinities.push(affinityAt(this.input, this.source.pos(at), { format: 'envoy', mechanism, pool, detail, cookie }));
  }
}

/**
 * Cookie attributes Envoy sets. Both the route hash cookie and the stateful session cookie are built with
 * `Http::Utility::makeSetCookieValue(key, value, path, max_age, httponly = true, ...)` (source/common/router/router.h and
 * source/extensions/http/stateful_session/cookie/cookie.h in envoyproxy/envoy), so HttpOnly is always on.
 * Secure only appears through `attributes` (newer Envoy); without that list it is unknown.
 */
function envoyCookie(name: string | undefined, ttlNode: Node | undefined, attributes: Node | undefined): AffinityCookie {
  const cookie: AffinityCookie = { httpOnly: true };
  if (name) cookie.name = name;
  // "If the TTL is present and zero, the generated cookie will be a session cookie" (HashPolicy.Cookie);
  // stateful session: "Set this to 0 to use a session cookie" (type.http.v3.Cookie.ttl), 0 being the default.
  const ttl = ttlNode === undefined ? 0 : durationSeconds(ttlNode);
  if (ttl !== undefined) cookie.maxAgeSeconds = ttl === 0 ? null : ttl;
  cookie.lifetimeText = ttlNode === undefined ? 'session cookie (no ttl)' : ttl === 0 ? `ttl ${durationText(ttlNode)} (session cookie)` : `ttl ${durationText(ttlNode)}`;
  const attrs = list(attributes);
  if (attrs.length > 0) cookie.secure = attrs.some((a) => text(field(a, 'name'))?.toLowerCase() === 'secure');
  return cookie;
}

function matchText(route: Node): string {
  const match = field(route, 'match');
  const prefix = text(field(match, 'prefix')) ?? text(field(match, 'path_separated_prefix'));
  if (prefix !== undefined) return prefix;
  const exact = text(field(match, 'path'));
  if (exact !== undefined) return exact;
  const regex = text(field(field(match, 'safe_regex'), 'regex'));
  if (regex !== undefined) return `~${regex}`;
  return text(field(route, 'name')) ?? '(match)';
}

interface Target {
  /** "cluster web", "clusters a, b", "cluster from header x-cluster". */
  label: string;
  clusters: string[];
}

function targetOf(action: Node): Target {
  const cluster = text(field(action, 'cluster'));
  if (cluster !== undefined) return { label: `cluster ${cluster}`, clusters: [cluster] };
  const weighted = list(field(field(action, 'weighted_clusters'), 'clusters'))
    .map((c) => text(field(c, 'name')))
    .filter((n): n is string => n !== undefined);
  if (weighted.length > 0) return { label: `clusters ${weighted.join(', ')}`, clusters: weighted };
  const header = text(field(action, 'cluster_header'));
  return { label: header ? `cluster from header ${header}` : 'cluster (unnamed)', clusters: [] };
}

class EnvoyWalker {
  constructor(
    private readonly clusters: Map<string, ClusterInfo>,
    private readonly out: Collector,
  ) {}

  /** Why the target's hash is used, or undefined when every target cluster is known and not hashing. */
  private hashNote(target: Target): string | undefined {
    const known = target.clusters.map((name) => ({ name, info: this.clusters.get(name) }));
    const hashing = known.filter((k) => k.info?.hashing);
    if (hashing.length > 0) return hashing.map((k) => `cluster ${k.name}: ${k.info!.policy}`).join(', ');
    const unknown = known.filter((k) => !k.info).map((k) => k.name);
    if (target.clusters.length === 0) return `${target.label}: lb policy unknown`;
    if (unknown.length > 0) return `cluster ${unknown.join(', ')} not in this file: lb policy unknown`;
    return undefined;
  }

  routeHashPolicies(pool: string, action: Node): void {
    const policies = list(field(action, 'hash_policy'));
    if (policies.length === 0) return;
    const note = this.hashNote(targetOf(action));
    if (note === undefined) return; // a hash policy on a round-robin (etc.) cluster does nothing
    for (const policy of policies) {
      const header = field(policy, 'header');
      const cookie = field(policy, 'cookie');
      const connection = field(policy, 'connection_properties');
      const query = field(policy, 'query_parameter');
      if (header !== undefined) {
        const name = text(field(header, 'header_name')) ?? '';
        this.out.add('header', pool, `hash_policy header ${name} (${note})`, fieldKey(policy, 'header'));
      } else if (cookie !== undefined) {
        const name = text(field(cookie, 'name'));
        const ttl = field(cookie, 'ttl');
        if (ttl !== undefined) {
          // Envoy sets the cookie itself when a ttl is given.
          const detail = `hash_policy cookie ${name ?? ''} ttl ${durationText(ttl)} (${note})`;
          this.out.add('lb-cookie', pool, detail, fieldKey(policy, 'cookie'), envoyCookie(name, ttl, field(cookie, 'attributes')));
        } else {
          // "If the cookie is not present and ttl below is not set, no hash will be produced": the app's cookie.
          const detail = `hash_policy cookie ${name ?? ''} (${note})`;
          this.out.add('app-cookie', pool, detail, fieldKey(policy, 'cookie'), name ? { name } : {});
        }
      } else if (connection !== undefined) {
        if (isTrue(field(connection, 'source_ip'))) {
          this.out.add('client-ip', pool, `hash_policy connection_properties source_ip (${note})`, fieldKey(policy, 'connection_properties'));
        }
      } else if (query !== undefined) {
        const name = text(field(query, 'name')) ?? '';
        this.out.add('query', pool, `hash_policy query_parameter ${name} (${note})`, fieldKey(policy, 'query_parameter'));
      }
      // filter_state hashes an object another filter stored: not a client-supplied key, so not reported.
    }
  }

  tcpProxy(config: Node): void {
    const policies = list(field(config, 'hash_policy'));
    if (policies.length === 0) return;
    const target = targetOf(config);
    const note = this.hashNote(target);
    if (note === undefined) return;
    const pool = `tcp_proxy ${text(field(config, 'stat_prefix')) ?? ''} -> ${target.label}`;
    for (const policy of policies) {
      if (field(policy, 'source_ip') !== undefined) {
        this.out.add('client-ip', pool, `hash_policy source_ip (${note})`, fieldKey(policy, 'source_ip'));
      }
    }
  }

  /** A StatefulSession config's session_state: cookie or header. */
  statefulSession(pool: string, config: Node | undefined, at: Node | undefined): void {
    const state = field(config, 'session_state');
    if (state === undefined) return;
    const stateConfig = field(state, 'typed_config');
    const kind = `${typeOf(stateConfig)} ${text(field(state, 'name')) ?? ''}`;
    if (/cookie/i.test(kind)) {
      const cookie = field(stateConfig, 'cookie');
      const name = text(field(cookie, 'name'));
      const detail = `stateful_session cookie ${name ?? ''}`.trim();
      this.out.add('lb-cookie', pool, detail, at, envoyCookie(name, field(cookie, 'ttl'), field(cookie, 'attributes')));
    } else if (/header|envelope/i.test(kind)) {
      const name = text(field(stateConfig, 'name')) ?? text(field(field(stateConfig, 'header'), 'name')) ?? '';
      this.out.add('header', pool, `stateful_session header ${name}`.trim(), at);
    }
  }

  /** typed_per_filter_config on a virtual host or route: a per-route stateful session turns it on there. */
  perRoute(pool: string, owner: Node): void {
    const perFilter = field(owner, 'typed_per_filter_config');
    if (!isMap(perFilter)) return;
    for (const pair of (perFilter as YAMLMap).items) {
      let config = pair.value as Node | null;
      // A FilterConfig wrapper carries the real config in `config`.
      if (/\.FilterConfig$/.test(typeOf(config))) config = field(config, 'config') ?? null;
      if (!/StatefulSessionPerRoute$/.test(typeOf(config)) || isTrue(field(config, 'disabled'))) continue;
      this.statefulSession(pool, field(config, 'stateful_session'), pair.key as Node);
    }
  }

  httpConnectionManager(config: Node, listener: string): void {
    const vhosts = list(field(field(config, 'route_config'), 'virtual_hosts'));
    for (const vhost of vhosts) {
      const vhostName = text(field(vhost, 'name')) ?? '';
      this.perRoute(`virtual_host ${vhostName}`, vhost);
      for (const route of list(field(vhost, 'routes'))) {
        const action = field(route, 'route');
        if (!isMap(action)) continue;
        const pool = `route ${matchText(route)} -> ${targetOf(action).label}`;
        this.routeHashPolicies(pool, action);
        this.perRoute(pool, route);
      }
    }
    const names = vhosts.map((v) => text(field(v, 'name'))).filter((n): n is string => !!n);
    const pool = names.length > 0 ? names.map((n) => `virtual_host ${n}`).join(', ') : `listener ${listener}`;
    for (const filter of list(field(config, 'http_filters'))) {
      const name = text(field(filter, 'name')) ?? '';
      const typed = field(filter, 'typed_config');
      const isStateful = name === 'envoy.filters.http.stateful_session' || /stateful_session\.v3\.StatefulSession$/.test(typeOf(typed));
      // `disabled: true` leaves it off unless a route turns it on (seen by perRoute).
      if (!isStateful || isTrue(field(filter, 'disabled'))) continue;
      this.statefulSession(pool, typed, fieldKey(filter, 'name') ?? filter);
    }
  }
}

function walk(root: Node | null, out: Collector): void {
  const resources = field(root, 'static_resources');
  const clusters = new Map<string, ClusterInfo>();
  for (const cluster of list(field(resources, 'clusters'))) {
    const name = text(field(cluster, 'name'));
    if (name !== undefined) clusters.set(name, clusterInfo(cluster));
  }
  const walker = new EnvoyWalker(clusters, out);
  for (const listener of list(field(resources, 'listeners'))) {
    const listenerName = text(field(listener, 'name')) ?? '';
    const chains = [...list(field(listener, 'filter_chains')), field(listener, 'default_filter_chain')];
    for (const chain of chains) {
      for (const filter of list(field(chain, 'filters'))) {
        const name = text(field(filter, 'name')) ?? '';
        const config = field(filter, 'typed_config') ?? field(filter, 'config');
        if (!isMap(config)) continue;
        const type = typeOf(config);
        if (/http_connection_manager$/.test(name) || /HttpConnectionManager$/.test(type)) {
          walker.httpConnectionManager(config, listenerName);
        } else if (/tcp_proxy$/.test(name) || /TcpProxy$/.test(type)) {
          walker.tcpProxy(config);
        }
      }
    }
  }
}

const YAML_TOP = /^(?:static_resources|staticResources)[ \t]*:/m;
const JSON_KEY = /"(?:static_resources|staticResources)"[ \t\r\n]*:/;
const K8S = /^apiVersion[ \t]*:|"apiVersion"[ \t]*:/m;

export const envoyParser: ConfigParser = {
  format: 'envoy',

  detect(input: ParseInput): boolean {
    const name = path.basename(input.file);
    if (!/\.(?:ya?ml|json)$/i.test(name)) return false;
    const text = input.text;
    if (K8S.test(text)) return false;
    const json = /\.json$/i.test(name) || text.trimStart().startsWith('{');
    return json ? JSON_KEY.test(text) : YAML_TOP.test(text);
  },

  parse(input: ParseInput): ModelFragment {
    const source = input.yaml();
    const out = new Collector(input, source);
    for (const doc of source.docs) walk(doc.contents, out);
    return { affinities: out.affinities };
  },
};
