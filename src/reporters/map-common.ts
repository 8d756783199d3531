import { SEVERITIES, type MapNode, type MapNodeKind, type SessionMap, type SessionStorage, type Severity } from '../model/index.js';

/** Left to right, the way a request travels. */
export const MAP_KINDS: readonly MapNodeKind[] = ['proxy', 'pool', 'app', 'store'];

const STORAGE_LABELS: Record<SessionStorage, string> = {
  memory: 'in memory (per node)',
  file: 'files (per node)',
  cookie: 'cookie (client-side)',
  token: 'token (stateless)',
  redis: 'Redis',
  memcached: 'Memcached',
  database: 'database',
  shared: 'shared store',
  unknown: 'unknown',
};

/**
 * The facts to show for a node: its `facts` as the map builder wrote them, or, when it wrote none,
 * what its typed fields say (a pool's affinity, an app's replicas and session storage).
 */
export function factsOf(node: MapNode): string[] {
  if (node.facts.length > 0) return node.facts;
  switch (node.kind) {
    case 'pool':
      return [node.affinity ? node.affinity : 'no affinity'];
    case 'app': {
      const facts: string[] = [];
      if (node.replicas !== undefined && node.replicas !== null) facts.push(`${node.replicas} replica${node.replicas === 1 ? '' : 's'}`);
      if (node.storage) facts.push(`sessions: ${STORAGE_LABELS[node.storage]}`);
      return facts;
    }
    case 'store':
      return node.source && node.source !== node.name ? [node.source] : [];
    default:
      return [];
  }
}

/** "deploy/nginx.conf:10", "deploy/nginx.conf", or null when the node has no file. */
export function nodeWhere(node: MapNode): string | null {
  if (!node.file) return null;
  return node.line ? `${node.file}:${node.line}` : node.file;
}

export interface MapIndex {
  byId: Map<string, MapNode>;
  /** Child ids in edge order, without duplicates or edges to unknown nodes. */
  children: Map<string, string[]>;
  parents: Map<string, string[]>;
}

export function indexMap(map: SessionMap): MapIndex {
  const byId = new Map<string, MapNode>();
  for (const node of map.nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  const children = new Map<string, string[]>();
  const parents = new Map<string, string[]>();
  for (const id of byId.keys()) {
    children.set(id, []);
    parents.set(id, []);
  }
  for (const edge of map.edges) {
    if (!byId.has(edge.from) || !byId.has(edge.to)) continue;
    const out = children.get(edge.from)!;
    if (out.includes(edge.to)) continue;
    out.push(edge.to);
    parents.get(edge.to)!.push(edge.from);
  }
  return { byId, children, parents };
}

export function hasMap(map: SessionMap | undefined): map is SessionMap {
  return map !== undefined && map.nodes.length > 0;
}

/** Worst first. */
export const SEVERITY_ORDER: readonly Severity[] = SEVERITIES;

/**
 * The map's `unlinked` entries for people: "name: reason" (the reason alone when it already starts
 * with the name), with the node's file:line when the entry names a node; repeated entries once.
 */
export function unlinkedEntries(map: SessionMap): Array<{ name: string; text: string; where: string | null }> {
  const { byId } = indexMap(map);
  const seen = new Set<string>();
  const out: Array<{ name: string; text: string; where: string | null }> = [];
  for (const { node: ref, reason } of map.unlinked) {
    const key = `${ref}\u0000${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const node = byId.get(ref);
    const name = node ? node.name : ref;
    out.push({ name, text: reason.startsWith(name) ? reason : `${name}: ${reason}`, where: node ? nodeWhere(node) : null });
  }
  return out;
}
