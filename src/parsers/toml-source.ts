import { parseTOML, type AST } from 'toml-eslint-parser';
import { ParseError } from '../errors.js';

/**
 * TOML with positions, in the shape yaml-source.ts gives YAML: a tree of tables, arrays and
 * scalars where every key remembers where it was written. toml-eslint-parser gives an AST with
 * locations, but TOML spreads one table over many headers (`[a.b]`, `[a.b.c]`, dotted keys,
 * `[[arrays]]`), so the AST is folded here into one merged tree that can be walked by key path.
 */

/** 1-based line and column. */
export interface TomlPos {
  line: number;
  column: number;
}

export interface TomlTable {
  kind: 'table';
  pos: TomlPos;
  entries: TomlEntry[];
  /** Lookup by exact key; kept beside `entries` so large tables merge in linear time. */
  index: Map<string, TomlEntry>;
}

export interface TomlArray {
  kind: 'array';
  pos: TomlPos;
  items: TomlNode[];
}

export interface TomlScalar {
  kind: 'scalar';
  pos: TomlPos;
  /** Dates are kept as written. */
  value: string | number | boolean;
}

export type TomlNode = TomlTable | TomlArray | TomlScalar;

export interface TomlEntry {
  key: string;
  /** Where the key was written: the last segment of a `[table.header]` or of a `dotted.key =`. */
  keyPos: TomlPos;
  value: TomlNode;
}

export interface TomlSource {
  file: string;
  root: TomlTable;
  /** The trimmed source line at a position, for evidence. */
  lineText(pos: TomlPos): string;
}

const toPos = (loc: AST.Position): TomlPos => ({ line: loc.line, column: loc.column + 1 });

function newTable(pos: TomlPos): TomlTable {
  return { kind: 'table', pos, entries: [], index: new Map() };
}

function setEntry(table: TomlTable, entry: TomlEntry): void {
  const existing = table.index.get(entry.key);
  if (existing) existing.value = entry.value;
  else {
    table.entries.push(entry);
    table.index.set(entry.key, entry);
  }
}

const keyName = (key: AST.TOMLBare | AST.TOMLQuoted): string => (key.type === 'TOMLBare' ? key.name : key.value);

/** The table a key path leads to, creating implicit tables on the way; into the last element of an array of tables. */
function descend(table: TomlTable, keys: Array<AST.TOMLBare | AST.TOMLQuoted>): TomlTable {
  let current = table;
  for (const segment of keys) {
    const name = keyName(segment);
    const entry = current.index.get(name);
    let next: TomlNode | undefined = entry?.value;
    if (next?.kind === 'array') next = next.items[next.items.length - 1];
    if (next?.kind !== 'table') {
      // The parser rejects real conflicts; anything left is an implicit table.
      next = newTable(toPos(segment.loc.start));
      setEntry(current, { key: name, keyPos: toPos(segment.loc.start), value: next });
    }
    current = next;
  }
  return current;
}

function convertValue(node: AST.TOMLContentNode): TomlNode {
  const pos = toPos(node.loc.start);
  if (node.type === 'TOMLArray') return { kind: 'array', pos, items: node.elements.map(convertValue) };
  if (node.type === 'TOMLInlineTable') {
    const table = newTable(pos);
    for (const pair of node.body) addKeyValue(table, pair);
    return table;
  }
  switch (node.kind) {
    case 'string':
    case 'boolean':
      return { kind: 'scalar', pos, value: node.value };
    case 'integer':
    case 'float':
      return { kind: 'scalar', pos, value: Number(node.value) };
    default:
      return { kind: 'scalar', pos, value: node.datetime };
  }
}

function addKeyValue(table: TomlTable, pair: AST.TOMLKeyValue): void {
  const keys = pair.key.keys;
  if (keys.length === 0) return;
  const parent = descend(table, keys.slice(0, -1));
  const last = keys[keys.length - 1];
  setEntry(parent, { key: keyName(last), keyPos: toPos(last.loc.start), value: convertValue(pair.value) });
}

function addTable(root: TomlTable, header: AST.TOMLTable): void {
  const keys = header.key.keys;
  if (keys.length === 0) return;
  let table: TomlTable;
  if (header.kind === 'array') {
    const parent = descend(root, keys.slice(0, -1));
    const last = keys[keys.length - 1];
    const name = keyName(last);
    const pos = toPos(last.loc.start);
    let array = parent.index.get(name)?.value;
    if (array?.kind !== 'array') {
      array = { kind: 'array', pos, items: [] };
      setEntry(parent, { key: name, keyPos: pos, value: array });
    }
    table = newTable(pos);
    array.items.push(table);
  } else {
    table = descend(root, keys);
  }
  for (const pair of header.body) addKeyValue(table, pair);
}

/** Parses TOML; a syntax error becomes a ParseError at the library's line and column. */
export function parseToml(file: string, text: string, lines: () => string[]): TomlSource {
  let program: AST.TOMLProgram;
  try {
    program = parseTOML(text);
  } catch (error) {
    const e = error as { message?: unknown; lineNumber?: unknown; column?: unknown };
    if (typeof e?.lineNumber === 'number' && typeof e.column === 'number') {
      const reason = String(e.message ?? 'syntax error').replace(/^./, (c) => c.toLowerCase());
      throw new ParseError(`invalid TOML: ${reason}`, file, Math.max(1, e.lineNumber), e.column + 1);
    }
    // Anything else from the library (a stack overflow on absurd nesting) is still unparsable input.
    throw new ParseError('invalid TOML: nesting too deep', file, 1, 1);
  }
  const root = newTable({ line: 1, column: 1 });
  try {
    for (const item of program.body[0]?.body ?? []) {
      if (item.type === 'TOMLTable') addTable(root, item);
      else addKeyValue(root, item);
    }
  } catch (error) {
    if (error instanceof RangeError) throw new ParseError('invalid TOML: nesting too deep', file, 1, 1);
    throw error;
  }
  return { file, root, lineText: (pos) => (lines()[pos.line - 1] ?? '').trim() };
}

/** The entries of a table; [] for anything else. */
export function tomlEntries(node: TomlNode | undefined): TomlEntry[] {
  return node?.kind === 'table' ? node.entries : [];
}

/** The entry for a key in a table, optionally ignoring case (Traefik reads keys case-insensitively). */
export function tomlEntry(node: TomlNode | undefined, key: string, ignoreCase = false): TomlEntry | undefined {
  if (node?.kind !== 'table') return undefined;
  const exact = node.index.get(key);
  if (exact || !ignoreCase) return exact;
  const lower = key.toLowerCase();
  return node.entries.find((entry) => entry.key.toLowerCase() === lower);
}

/** The value at a key path (numbers index arrays), or undefined. */
export function tomlGet(node: TomlNode | undefined, path: Array<string | number>, ignoreCase = false): TomlNode | undefined {
  let current = node;
  for (const step of path) {
    if (typeof step === 'number') current = current?.kind === 'array' ? current.items[step] : undefined;
    else current = tomlEntry(current, step, ignoreCase)?.value;
    if (!current) return undefined;
  }
  return current;
}

/** A scalar as a string; undefined for tables and arrays. */
export function tomlString(node: TomlNode | undefined): string | undefined {
  return node?.kind === 'scalar' ? String(node.value) : undefined;
}
