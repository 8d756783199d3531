import { MECHANISM_LABELS, PER_NODE_STORAGE, severityRank, type Finding, type Location, type MapNode, type SessionMap } from '../model/index.js';
import type { LinkedApp } from './apps.js';
import { hostOf } from './hosts.js';
import type { PoolLinks } from './routes.js';

/** A store scan as the map shows it: where it was scanned and a few facts about it. */
export interface ScannedStore {
  source: string;
  kind: 'redis' | 'memcached';
  facts: string[];
  /** The host name apps use for it, given as --redis NAME=URL. */
  alias?: string;
}

/** The map, and for each node the places (file:line, store source) whose findings colour it. */
export interface BuiltMap {
  map: SessionMap;
  anchors: Map<string, Set<string>>;
}

/** Proxies that are themselves the routing object (an Ingress forwards to Services). */
const SELF_PROXIES = /^(?:Ingress|HTTPRoute|Gateway)\b/;
/** Images of infrastructure, not apps: shown as proxies or stores only when something links to them. */
const INFRA_IMAGE = /^(?:[\w.-]+\/)*(?:traefik|nginx|haproxy|envoy|envoyproxy|caddy|httpd|redis|valkey|keydb|memcached)(?::|@|$)/i;

const at = (location: Location | null | undefined) => (location ? `${location.file}:${location.line}` : null);

export function buildMap(links: PoolLinks[], apps: LinkedApp[], scanned: ScannedStore[] = []): BuiltMap {
  const nodes = new Map<string, MapNode>();
  const edges: SessionMap['edges'] = [];
  const unlinked: SessionMap['unlinked'] = [];
  const anchors = new Map<string, Set<string>>();
  const anchor = (id: string, where: string | null) => {
    if (!where) return;
    if (!anchors.has(id)) anchors.set(id, new Set());
    anchors.get(id)!.add(where);
  };
  const edgeKeys = new Set<string>();
  const edge = (from: string, to: string) => {
    const key = `${from}\0${to}`;
    if (edgeKeys.has(key)) return;
    edgeKeys.add(key);
    edges.push({ from, to });
  };
  const add = (node: MapNode) => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
    return node.id;
  };

  const poolId = (link: PoolLinks) => `pool:${link.pool.location.file}:${link.pool.name}`;
  const targeted = new Set(links.flatMap((link) => link.pools));
  const routedApps = new Set(links.flatMap((link) => link.apps));
  for (const link of links) {
    const { pool } = link;
    const affinity = pool.affinity ?? null;
    const asProxy = SELF_PROXIES.test(pool.name) || SELF_PROXIES.test(pool.proxy);
    const id = poolId(link);
    add({
      id,
      kind: asProxy ? 'proxy' : 'pool',
      name: pool.name,
      file: pool.location.file,
      line: pool.location.line,
      facts: [
        affinity ? `${MECHANISM_LABELS[affinity.mechanism]}: ${affinity.detail}` : 'no affinity',
        ...(pool.members.length > 0 ? [`${pool.members.length} server${pool.members.length === 1 ? '' : 's'}`] : []),
      ],
      severity: null,
      affinity: affinity ? affinity.mechanism : null,
    });
    anchor(id, at(pool.location));
    anchor(id, at(affinity?.location));
    if (!asProxy && !targeted.has(pool)) {
      // The proxy that owns the pool: one box per proxy and file ("nginx", "HAProxy", "Traefik", kube-proxy for a Service).
      const proxyName = pool.proxy === 'Service' ? 'kube-proxy' : pool.proxy;
      const proxyId = add({ id: `proxy:${pool.location.file}:${proxyName}`, kind: 'proxy', name: proxyName, file: pool.location.file, line: null, facts: [pool.location.file], severity: null });
      edge(proxyId, id);
    }
    for (const next of link.pools) edge(id, poolId(links.find((other) => other.pool === next)!));
    for (const app of link.apps) edge(id, app.id);
    for (const reason of link.unlinked) unlinked.push({ node: id, reason });
  }

  // Store hosts named by app configs; compose services answering to them are stores, not apps.
  const storeHosts = new Set(apps.flatMap((app) => app.sessions.flatMap((config) => config.storeHosts.map((host) => hostOf(host)))));
  const isStoreService = (app: LinkedApp) => !!app.workload?.hostnames.some((name) => storeHosts.has(name.toLowerCase()));
  for (const app of apps) {
    if (isStoreService(app)) continue;
    if (!routedApps.has(app) && app.sessions.length === 0 && INFRA_IMAGE.test(app.workload?.image ?? '')) continue;
    add({
      id: app.id,
      kind: 'app',
      name: app.name,
      file: app.location?.file ?? null,
      line: app.location?.line ?? null,
      facts: [
        app.replicas === null ? 'replicas unknown' : `${app.replicas} replica${app.replicas === 1 ? '' : 's'}`,
        ...(app.sessions.length === 0
          ? ['sessions: unknown']
          : app.sessions.filter((config) => config.storage !== 'unknown').map((config) => `sessions: ${config.frameworkName} ${config.storageDetail}${PER_NODE_STORAGE.has(config.storage) ? ' (per node)' : ''}`)),
      ],
      severity: null,
      replicas: app.replicas,
      storage: app.sessions.find((config) => config.storage !== 'unknown')?.storage ?? 'unknown',
    });
    anchor(app.id, at(app.location));
    for (const config of app.sessions) {
      for (const location of [config.location, config.secret?.location, config.lifetime?.location, config.cookie.secure?.location, config.cookie.httpOnly?.location]) {
        anchor(app.id, at(location));
      }
    }
    if (!routedApps.has(app)) unlinked.push({ node: app.id, reason: `${app.name}: no proxy or load balancer in the files scanned routes to it` });
    if (app.unknownBecause) unlinked.push({ node: app.id, reason: `${app.name}: sessions unknown: ${app.unknownBecause}` });
    for (const config of app.sessions) {
      if ((config.storage === 'redis' || config.storage === 'memcached') && config.storeHosts.length === 0) {
        unlinked.push({ node: app.id, reason: `${app.name}: its ${config.storage} host is not in the config (an environment variable?), so no store is linked` });
      }
      for (const host of config.storeHosts) {
        const name = hostOf(host);
        const match = scanned.find((store) => store.alias === name || hostOf(store.source) === name);
        const storeId = match ? `store:${match.source}` : `store:${name}`;
        const service = apps.find((other) => other.workload?.hostnames.some((hostname) => hostname.toLowerCase() === name));
        add({
          id: storeId,
          kind: 'store',
          name: match ? match.source : name,
          file: service?.location?.file ?? null,
          line: service?.location?.line ?? null,
          facts: match ? [match.kind, ...match.facts] : [config.storage, 'not scanned (give --redis/--memcached to judge it)'],
          severity: null,
          source: match?.source ?? null,
        });
        anchor(storeId, match?.source ?? null);
        edge(app.id, storeId);
      }
    }
  }
  for (const store of scanned) {
    const id = `store:${store.source}`;
    if (nodes.has(id)) continue;
    add({ id, kind: 'store', name: store.source, file: null, line: null, facts: [store.kind, ...store.facts], severity: null, source: store.source });
    anchor(id, store.source);
    const names = store.alias ? `${store.alias} or ${hostOf(store.source)}` : hostOf(store.source);
    unlinked.push({ node: id, reason: `${store.source}: no app config in the files scanned names host ${names} (give --redis NAME=URL for the name the apps use)` });
  }
  // Edges to app nodes that were left out (store services) go to their store node instead, or away.
  const kept = edges.filter((e) => nodes.has(e.from) && nodes.has(e.to));
  return { map: { nodes: [...nodes.values()], edges: kept, unlinked }, anchors };
}

/** Colour each node by the worst finding at one of its anchors. */
export function applySeverity(built: BuiltMap, findings: Finding[]): void {
  // The worst finding per place, once; then each node looks up its few anchors.
  const worstAt = new Map<string, Finding['severity']>();
  for (const finding of findings) {
    const where = finding.source ?? (finding.file !== null && finding.line !== null ? `${finding.file}:${finding.line}` : null);
    if (!where) continue;
    const known = worstAt.get(where);
    if (known === undefined || severityRank(finding.severity) > severityRank(known)) worstAt.set(where, finding.severity);
  }
  for (const node of built.map.nodes) {
    for (const place of built.anchors.get(node.id) ?? []) {
      const severity = worstAt.get(place);
      if (severity && (node.severity === null || severityRank(severity) > severityRank(node.severity))) node.severity = severity;
    }
  }
}

/**
 * Worst first: nodes and edges ordered by the worst finding in the part of the map they lead to, so
 * the tree and the diagram start where the trouble is. Stable: equal parts keep their order.
 */
export function orderByTrouble(map: SessionMap): void {
  const byId = new Map(map.nodes.map((node) => [node.id, node]));
  const children = new Map<string, string[]>();
  for (const { from, to } of map.edges) children.set(from, [...(children.get(from) ?? []), to]);
  const worst = new Map<string, number>();
  const rankOf = (id: string, path: Set<string>): number => {
    const known = worst.get(id);
    if (known !== undefined) return known;
    if (path.has(id)) return 0; // a cycle adds nothing
    path.add(id);
    const own = byId.get(id)?.severity;
    let rank = own ? severityRank(own) : 0;
    for (const child of children.get(id) ?? []) rank = Math.max(rank, rankOf(child, path));
    path.delete(id);
    worst.set(id, rank);
    return rank;
  };
  const rank = (id: string) => rankOf(id, new Set());
  map.nodes.sort((a, b) => rank(b.id) - rank(a.id));
  map.edges.sort((a, b) => rank(b.to) - rank(a.to));
}
