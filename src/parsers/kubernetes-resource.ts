import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import type { Affinity } from '../model/index.js';
import { affinityAt, type AffinityFields } from './affinity-at.js';
import type { ParseInput } from './types.js';
import type { YamlSource } from './yaml-source.js';

/** One Kubernetes object (a top-level document, or an item of a `kind: List`), with what every handler needs. */
export interface K8sResource {
  input: ParseInput;
  src: YamlSource;
  doc: Document.Parsed;
  apiVersion: string;
  /** The API group: "" for the core group (`apiVersion: v1`). */
  group: string;
  kind: string;
  name: string;
  /** `metadata.namespace`, or `default` when absent (where kubectl would create it). */
  namespace: string;
  node: YAMLMap;
  /** Rule ids from the `session-audit.io/ignore` annotation. */
  ignoredRules: string[];
}

export const IGNORE_ANNOTATION = 'session-audit.io/ignore';

/** What reading a node needs: the document, to resolve aliases. */
export type Doc = Pick<K8sResource, 'doc'>;

/** Manifests may use anchors and aliases; every read goes through here so an alias reads as its target. */
export function deref(res: Doc, node: unknown): Node | undefined {
  if (node === null || node === undefined) return undefined;
  if (isAlias(node)) {
    try {
      return (node.resolve(res.doc) as Node | undefined) ?? undefined;
    } catch {
      return undefined; // an alias whose anchor is missing reads as absent
    }
  }
  return node as Node;
}

/** The value node at a path of map keys (numbers index sequences), following aliases; undefined when absent. */
export function at(res: Doc, node: unknown, ...path: Array<string | number>): Node | undefined {
  let current = deref(res, node);
  for (const step of path) {
    if (current === undefined) return undefined;
    if (typeof step === 'number') {
      current = isSeq(current) ? deref(res, current.items[step]) : undefined;
    } else {
      const pair = isMap(current) ? current.items.find((p) => isScalar(p.key) && String(p.key.value) === step) : undefined;
      current = pair ? deref(res, pair.value) : undefined;
    }
  }
  return current;
}

/** The key node of `path`'s last step (where a finding points), or undefined. */
export function keyAt(res: Doc, node: unknown, ...path: string[]): Node | undefined {
  const parent = path.length > 1 ? at(res, node, ...path.slice(0, -1)) : deref(res, node);
  const last = path[path.length - 1];
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === last);
  return (pair?.key as Node | undefined) ?? undefined;
}

/** String keys of a map with their key and value nodes (aliases followed); [] for anything else. */
export function pairs(res: Doc, node: unknown): Array<{ key: string; keyNode: Node; value: Node | undefined }> {
  const map = deref(res, node);
  if (!isMap(map)) return [];
  const out: Array<{ key: string; keyNode: Node; value: Node | undefined }> = [];
  for (const pair of map.items) {
    if (!isScalar(pair.key) || pair.key.value === null || pair.key.value === undefined) continue;
    out.push({ key: String(pair.key.value), keyNode: pair.key as Node, value: deref(res, pair.value) });
  }
  return out;
}

/** The items of a sequence (aliases followed); [] for anything else. */
export function list(res: Doc, node: unknown): Array<Node | undefined> {
  const seq = deref(res, node);
  return isSeq(seq) ? seq.items.map((item) => deref(res, item)) : [];
}

/** A scalar as a trimmed string (numbers and booleans too); undefined for maps, sequences, null, empty. */
export function str(res: Doc, node: unknown): string | undefined {
  const value = deref(res, node);
  if (!isScalar(value) || value.value === null || value.value === undefined) return undefined;
  const text = String(value.value).trim();
  return text === '' ? undefined : text;
}

/** YAML booleans and the strings "true"/"false" (annotation values are strings); undefined otherwise. */
export function bool(res: Doc, node: unknown): boolean | undefined {
  const text = str(res, node)?.toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/** A whole number of seconds written as a number or a numeric string; undefined otherwise. */
export function seconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** The annotations of the object as a map from key to { key node, string value }. */
export function annotations(res: K8sResource): Map<string, { keyNode: Node; value: string | undefined }> {
  const out = new Map<string, { keyNode: Node; value: string | undefined }>();
  for (const { key, keyNode, value } of pairs(res, at(res, res.node, 'metadata', 'annotations'))) {
    out.set(key, { keyNode, value: str(res, value) });
  }
  return out;
}

/** An Affinity located at `node` (the key that switches it on), carrying the object's suppressions. */
export function resourceAffinity(res: K8sResource, node: Node | undefined, fields: Omit<AffinityFields, 'format' | 'ignoredRules'>): Affinity {
  return affinityAt(res.input, res.src.pos(node ?? res.node), { format: 'kubernetes', ...fields, ignoredRules: res.ignoredRules });
}

/** `Kind namespace/name`, the way the pools of this format are named. */
export function objectName(res: K8sResource, kind = res.kind): string {
  return `${kind} ${res.namespace}/${res.name}`;
}
