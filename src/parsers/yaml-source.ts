import {
  LineCounter,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { ParseError } from '../errors.js';
import { parseJsonDocuments } from './json-source.js';

/** A YAML (or JSON) file parsed into documents that keep the position of every node. */
export interface YamlSource {
  file: string;
  docs: Document.Parsed[];
  /** 1-based line and column of a node (or of the document start when the node is missing). */
  pos(node: Node | null | undefined): { line: number; column: number };
  /** The trimmed source line a node starts on, for evidence. */
  lineText(node: Node | null | undefined): string;
}

function parseYamlDocuments(text: string, lineCounter: LineCounter): Document.Parsed[] {
  // uniqueKeys off: real configs repeat keys, and the last one wins in every consumer we read for.
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  return (Array.isArray(docs) ? docs : [docs]) as Document.Parsed[];
}

export function parseYaml(file: string, text: string, lines: () => string[]): YamlSource {
  const lineCounter = new LineCounter();
  const list = /\.json$/i.test(file) ? parseJsonDocuments(file, text, lineCounter) : parseYamlDocuments(text, lineCounter);
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const at = lineCounter.linePos(error.pos[0]);
      const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new ParseError(`invalid YAML: ${reason}`, file, at.line, at.col);
    }
  }
  const pos = (node: Node | null | undefined) => {
    const offset = node?.range?.[0] ?? 0;
    const at = lineCounter.linePos(offset);
    return { line: at.line, column: at.col };
  };
  return {
    file,
    docs: list as Document.Parsed[],
    pos,
    lineText: (node) => (lines()[pos(node).line - 1] ?? '').trim(),
  };
}

/** The entries of a YAML map with string keys; [] for anything else. */
export function entries(node: unknown): Array<{ key: string; keyNode: Node; value: Node | null }> {
  if (!isMap(node)) return [];
  const out: Array<{ key: string; keyNode: Node; value: Node | null }> = [];
  for (const pair of (node as YAMLMap).items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : null;
    if (key === null) continue;
    out.push({ key, keyNode, value: (pair.value as Node | null) ?? null });
  }
  return out;
}

/** The value node at a key path (map keys; numbers index sequences), or undefined. */
export function getNode(node: unknown, path: Array<string | number>): Node | undefined {
  let current: unknown = node;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!isSeq(current)) return undefined;
      current = (current as YAMLSeq).items[step];
    } else {
      if (!isMap(current)) return undefined;
      const pair = (current as YAMLMap).items.find((p) => isScalar(p.key) && String(p.key.value) === step);
      if (!pair) return undefined;
      current = pair.value;
    }
    if (current === null || current === undefined) return undefined;
  }
  return current as Node;
}

/** The key node of the last step of a path: findings point at the key that switches a setting on. */
export function getKeyNode(node: unknown, path: Array<string | number>): Node | undefined {
  const parent = path.length > 1 ? getNode(node, path.slice(0, -1)) : node;
  const last = path[path.length - 1];
  if (typeof last !== 'string' || !isMap(parent)) return undefined;
  const pair = (parent as YAMLMap).items.find((p) => isScalar(p.key) && String(p.key.value) === last);
  return pair?.key as Node | undefined;
}

/** A scalar's value as a string (numbers and booleans too); undefined for maps, sequences, null. */
export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (value === null || value === undefined) return undefined;
  return String(value);
}

/** The items of a YAML sequence; [] for anything else. */
export function items(node: unknown): Node[] {
  return isSeq(node) ? ((node as YAMLSeq).items as Node[]) : [];
}

/** true/false for YAML booleans and the strings "true"/"false" (any case); undefined otherwise. */
export function booleanValue(node: unknown): boolean | undefined {
  const text = scalarString(node)?.toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}
