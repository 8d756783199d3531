import type { Affinity } from './affinity.js';
import type { SessionConfig, SessionStorage } from './app-session.js';
import type { Pool, Workload } from './deployment.js';
import type { Severity } from './finding.js';

export type MapNodeKind = 'proxy' | 'pool' | 'app' | 'store';

/** One box of the session map: proxy -> pool [affinity] -> app [session store] -> store. */
export interface MapNode {
  /** Stable within a report: "pool:deploy/nginx.conf:upstream shop_backend". */
  id: string;
  kind: MapNodeKind;
  name: string;
  file: string | null;
  line: number | null;
  /** Short facts for people, in display order: "ip_hash (client IP)", "2 replicas", "MemoryStore: per node". */
  facts: string[];
  /** The worst finding about this node (for colour), or null. */
  severity: Severity | null;
  /** pool: its affinity mechanism, or null for none. */
  affinity?: string | null;
  /** app: instances, null when unknown. */
  replicas?: number | null;
  /** app: where its sessions live. */
  storage?: SessionStorage;
  /** store: the URL or address it was scanned at (password removed), when it was scanned. */
  source?: string | null;
}

export interface MapEdge {
  from: string;
  to: string;
}

/** The map of a whole system. What could not be linked is listed with why, never guessed. */
export interface SessionMap {
  nodes: MapNode[];
  edges: MapEdge[];
  unlinked: Array<{ node: string; reason: string }>;
}

/** An app behind a pool, with how it keeps sessions (empty when nothing was found). */
export interface RouteApp {
  name: string;
  replicas: number | null;
  workload?: Workload;
  sessions: SessionConfig[];
}

/** A pool and the apps it balances between, linked: what the correlation rules judge. */
export interface Route {
  kind: 'route';
  pool: Pool;
  affinity: Affinity | null;
  apps: RouteApp[];
}
