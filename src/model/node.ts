import type { Affinity } from './affinity.js';
import type { SessionConfig } from './app-session.js';
import type { Location } from './location.js';
import type { LogModelNode } from './log.js';
import type { Route } from './session-map.js';
import type { Namespace, StoreFacts } from './store.js';
import type { Token } from './token.js';

/**
 * Everything a rule can look at: config facts (affinity, app session settings), linked facts (a pool
 * and the apps behind it) and live-store facts (namespaces, store settings).
 */
export type ModelNode = Affinity | SessionConfig | Route | Namespace | StoreFacts | Token | LogModelNode;
export type ModelNodeKind = ModelNode['kind'];

/** The analysed model: what the parsers found in files, how it links up, and what scan found in stores. */
export interface Model {
  affinities: Affinity[];
  sessionConfigs: SessionConfig[];
  routes: Route[];
  namespaces: Namespace[];
  stores: StoreFacts[];
  tokens: Token[];
  /** What `session-audit logs` found in access and application logs. */
  logs: LogModelNode[];
}

/** An empty model, for callers that fill only some parts. */
export function emptyModel(): Model {
  return { affinities: [], sessionConfigs: [], routes: [], namespaces: [], stores: [], tokens: [], logs: [] };
}

/** The config line a finding about this node points at; null for live-store nodes and pasted tokens (they have a source). */
export function locationOfNode(node: ModelNode): Location | null {
  switch (node.kind) {
    case 'affinity':
    case 'session-config':
      return node.location;
    case 'route':
      return node.affinity?.location ?? node.pool.location;
    case 'token':
      return node.location ?? null;
    case 'log-session':
    case 'log-revoked-use':
    case 'log-hops':
    case 'log-node':
    case 'log-burst':
    case 'log-source':
      return node.location;
    default:
      return null;
  }
}

/** What a finding without a file names instead: the store URL, or where a token was read from. */
export function sourceOfNode(node: ModelNode): string | null {
  switch (node.kind) {
    case 'namespace':
    case 'store':
      return node.store.source;
    case 'token':
      return node.location ? null : node.source;
    default:
      return null;
  }
}
