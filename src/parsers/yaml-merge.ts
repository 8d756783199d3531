import { isAlias, isMap, isNode, isPair, isScalar, isSeq, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Anchors, aliases and `<<:` merge keys as compose files use them (`x-traefik: &labels ...`,
 * `<<: *default`). The shared YAML source keeps the raw nodes, which is right for positions,
 * so aliases are followed here: a finding from an aliased node points at the anchored text.
 */

const MAX_DEPTH = 32;

// yaml's Alias.resolve() searches the whole document on every call; compose files lean on aliases,
// so each document's anchors are indexed once (iteratively: nesting depth is the input's choice).
const anchorIndex = new WeakMap<Document.Parsed, Map<string, Node[]>>();

function anchorsOf(doc: Document.Parsed): Map<string, Node[]> {
  let index = anchorIndex.get(doc);
  if (index) return index;
  index = new Map();
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (!isNode(node)) continue;
    if (node.anchor && !isAlias(node)) {
      const list = index.get(node.anchor) ?? [];
      list.push(node);
      index.set(node.anchor, list);
    }
    if (isMap(node) || isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
  anchorIndex.set(doc, index);
  return index;
}

/** The node an alias points to (the closest anchor of that name before it, following alias chains); the node itself otherwise. */
export function resolveAlias(node: unknown, doc: Document.Parsed): Node | null {
  let current = node;
  for (let hops = 0; hops < MAX_DEPTH && isAlias(current); hops++) {
    const at = current.range?.[0] ?? Infinity;
    const candidates = anchorsOf(doc).get(current.source) ?? [];
    let target: Node | null = null;
    for (const candidate of candidates) if ((candidate.range?.[0] ?? Infinity) < at) target = candidate;
    current = target;
  }
  if (isAlias(current)) return null;
  return (current as Node | null | undefined) ?? null;
}

export interface MergedEntry {
  key: string;
  keyNode: Node;
  /** The value with aliases followed. */
  value: Node | null;
}

/**
 * The entries of a map with `<<` merge keys expanded (explicit keys win over merged ones, the
 * first merged map wins over later ones, as in YAML 1.1) and aliased values followed.
 */
export function mergedEntries(node: unknown, doc: Document.Parsed): MergedEntry[] {
  return expand(node, doc, 0, { left: MAX_MERGED_MAPS });
}

// Merges can nest and fan out (`<<: [*a, *a, *a]` at every level): a budget of maps keeps that linear.
const MAX_MERGED_MAPS = 1000;

function expand(node: unknown, doc: Document.Parsed, depth: number, budget: { left: number }): MergedEntry[] {
  const map = resolveAlias(node, doc);
  if (!isMap(map) || depth > MAX_DEPTH || budget.left-- <= 0) return [];
  const explicit: MergedEntry[] = [];
  const merged: MergedEntry[] = [];
  const mergedKeys = new Set<string>();
  for (const pair of (map as YAMLMap).items) {
    const keyNode = pair.key as Node;
    if (!isScalar(keyNode) || keyNode.value === null || keyNode.value === undefined) continue;
    const key = String(keyNode.value);
    if (key === '<<') {
      const source = resolveAlias(pair.value, doc);
      const sources = isSeq(source) ? (source as YAMLSeq).items : [source];
      for (const item of sources) {
        for (const entry of expand(item, doc, depth + 1, budget)) {
          if (mergedKeys.has(entry.key)) continue;
          mergedKeys.add(entry.key);
          merged.push(entry);
        }
      }
      continue;
    }
    explicit.push({ key, keyNode, value: resolveAlias(pair.value, doc) });
  }
  const keys = new Set(explicit.map((e) => e.key));
  return [...merged.filter((m) => !keys.has(m.key)), ...explicit];
}

/** The value of a key in a (merged) map. */
export function mergedGet(node: unknown, key: string, doc: Document.Parsed): MergedEntry | undefined {
  const all = mergedEntries(node, doc);
  for (let i = all.length - 1; i >= 0; i--) if (all[i].key === key) return all[i];
  return undefined;
}

/** The items of a sequence (through an alias), each with aliases followed. */
export function resolvedItems(node: unknown, doc: Document.Parsed): Node[] {
  const seq = resolveAlias(node, doc);
  if (!isSeq(seq)) return [];
  const out: Node[] = [];
  for (const item of (seq as YAMLSeq).items) {
    const resolved = resolveAlias(item, doc);
    if (resolved) out.push(resolved);
  }
  return out;
}
