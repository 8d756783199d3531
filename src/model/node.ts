import type { Affinity } from './affinity.js';
import type { Namespace, StoreFacts } from './store.js';

/** Everything a rule can look at: config facts (affinity) and live-store facts (namespaces, store settings). */
export type ModelNode = Affinity | Namespace | StoreFacts;
export type ModelNodeKind = ModelNode['kind'];

/** The analysed model: what the parsers found in files and what scan found in stores. */
export interface Model {
  affinities: Affinity[];
  namespaces: Namespace[];
  stores: StoreFacts[];
}
