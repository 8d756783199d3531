import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { EnvSetting, Workload } from '../model/index.js';
import { readEnvFile, type EnvFileEntry } from './env-file.js';
import { displayPath } from './source.js';
import type { ParseInput } from './types.js';
import type { YamlSource } from './yaml-source.js';
import { mergedEntries, mergedGet, resolveAlias, resolvedItems, type MergedEntry } from './yaml-merge.js';

/**
 * A compose service as a Workload (Compose Specification, services): the names other containers reach it by,
 * how many run, its image, the folder its code is built from, and the environment it is given with literal values.
 *
 * Compose interpolates `${VAR}` and `$VAR` everywhere in the file (`$$` is a literal `$`): a value that
 * interpolates is not known from the file and is left out (and hides what an env_file gave that name).
 */

/** env_file contents read during one parse, by absolute path (undefined: missing or unreadable). */
export type EnvFiles = Map<string, EnvFileEntry[] | undefined>;

/** An env file larger than this is not one; it is skipped like a missing one. */
const MAX_ENV_FILE_BYTES = 1024 * 1024;

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

/** The value compose would use when it interpolates nothing: `$$` read as `$`; undefined when any other `$` is there. */
export function composeLiteral(text: string): string | undefined {
  if (!text.includes('$')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') {
      out += text[i];
    } else if (text[i + 1] === '$') {
      out += '$';
      i++;
    } else {
      return undefined;
    }
  }
  return out;
}

export function composeWorkload(input: ParseInput, source: YamlSource, doc: Document.Parsed, service: MergedEntry, envFiles: EnvFiles): Workload {
  const get = (node: unknown, key: string) => mergedGet(node, key, doc)?.value ?? undefined;
  // The service's keys, merged once (`<<: *base` included): every field below is read from this.
  const fields = new Map(mergedEntries(service.value, doc).map((entry) => [entry.key, entry.value ?? undefined]));
  const field = (key: string) => fields.get(key);
  const workload: Workload = {
    kind: 'workload',
    format: 'compose',
    name: service.key,
    location: { file: input.file, ...source.pos(service.keyNode) },
    replicas: replicas(field('deploy'), field('scale'), get),
    hostnames: hostnames(service.key, field, doc, get),
    env: environment(input, source, doc, field, envFiles),
  };
  const image = scalarText(field('image'));
  if (image) workload.image = image;
  const codeRoot = buildContext(input, field('build'), get);
  if (codeRoot) workload.codeRoot = codeRoot;
  return workload;
}

/**
 * `deploy.replicas`, else the older `scale`, else 1 (the spec's default for both); `deploy.mode: global` runs
 * one per node (null), and a count that is not a whole number (interpolated) is not known (null).
 */
function replicas(deploy: Node | undefined, scale: Node | undefined, get: (node: unknown, key: string) => Node | undefined): number | null {
  if (scalarText(get(deploy, 'mode'))?.trim() === 'global') return null;
  const count = get(deploy, 'replicas') ?? scale;
  const text = scalarText(count)?.trim();
  if (count === undefined || text === undefined) return 1;
  return /^\d+$/.test(text) ? Number(text) : null;
}

/** The service name, `container_name`, `hostname` and every `networks.<net>.aliases` entry, once each. */
type Field = (key: string) => Node | undefined;

function hostnames(name: string, field: Field, doc: Document.Parsed, get: (node: unknown, key: string) => Node | undefined): string[] {
  const names = [name, scalarText(field('container_name')), scalarText(field('hostname'))];
  const networks = field('networks');
  if (isMap(networks)) {
    for (const network of mergedEntries(networks, doc)) {
      for (const alias of resolvedItems(get(network.value, 'aliases'), doc)) names.push(scalarText(alias));
    }
  }
  const out: string[] = [];
  for (const text of names) {
    const literal = text === undefined ? undefined : composeLiteral(text.trim());
    if (literal && !out.includes(literal)) out.push(literal);
  }
  return out;
}

/**
 * `build: ./app` or `build: { context: ./app }` (context defaults to the compose file's folder), resolved
 * against the compose file's folder and shown like any path. A remote context (a Git URL) is no folder here.
 */
function buildContext(input: ParseInput, build: Node | undefined, get: (node: unknown, key: string) => Node | undefined): string | undefined {
  if (build === undefined) return undefined;
  const text = isMap(build) ? (scalarText(get(build, 'context')) ?? '.') : scalarText(build);
  const context = text === undefined ? undefined : composeLiteral(text.trim());
  if (!context || /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context)) return undefined;
  return displayPath(path.resolve(path.dirname(input.absPath), context));
}

/**
 * `env_file` files first (a later file wins), then `environment` (which wins over env_file, as compose builds
 * it), map form `KEY: value` or list form `- KEY=value`. A name whose value comes from the shell (`KEY:` with
 * no value, `- KEY`) or from interpolation is left out.
 */
function environment(input: ParseInput, source: YamlSource, doc: Document.Parsed, field: Field, envFiles: EnvFiles): EnvSetting[] {
  const env = new Map<string, EnvSetting | null>();
  // A later source moves the name to the end, so the list reads in the order the values were decided.
  const set = (name: string, setting: EnvSetting | null) => {
    env.delete(name);
    env.set(name, setting);
  };
  const get = (node: unknown, key: string) => mergedGet(node, key, doc)?.value ?? undefined;
  const envFileNode = resolveAlias(field('env_file'), doc);
  const files = isSeq(envFileNode) ? resolvedItems(envFileNode, doc) : envFileNode ? [envFileNode] : [];
  for (const file of files) {
    const written = scalarText(isMap(file) ? get(file, 'path') : file);
    const relative = written === undefined ? undefined : composeLiteral(written.trim());
    if (!relative) continue;
    const absPath = path.resolve(path.dirname(input.absPath), relative);
    const shown = displayPath(absPath);
    for (const entry of envFile(absPath, envFiles) ?? []) {
      const location = { file: shown, line: entry.line, column: entry.column };
      set(entry.name, entry.literal ? { name: entry.name, value: entry.value, location } : null);
    }
  }

  const node = resolveAlias(field('environment'), doc);
  if (isMap(node)) {
    for (const entry of mergedEntries(node, doc)) {
      const text = scalarText(entry.value);
      const value = text === undefined ? undefined : composeLiteral(text);
      set(entry.key, value === undefined ? null : { name: entry.key, value, location: { file: input.file, ...source.pos(entry.value) } });
    }
  } else {
    for (const item of resolvedItems(node, doc)) {
      const text = scalarText(item);
      const eq = text?.indexOf('=') ?? -1;
      if (text === undefined || eq <= 0) {
        if (text?.trim()) set(text.trim(), null);
        continue;
      }
      const name = text.slice(0, eq).trim();
      const value = composeLiteral(text.slice(eq + 1));
      const at = source.pos(item);
      // The value starts after `KEY=`, and after the opening quote of a quoted item.
      const quoted = isScalar(item) && (item.type === 'QUOTE_DOUBLE' || item.type === 'QUOTE_SINGLE') ? 1 : 0;
      set(name, value === undefined ? null : { name, value, location: { file: input.file, line: at.line, column: at.column + quoted + eq + 1 } });
    }
  }
  return [...env.values()].filter((setting): setting is EnvSetting => setting !== null);
}

/** An env file's entries, read once per parse; a missing, unreadable or oversized file is skipped quietly. */
function envFile(absPath: string, cache: EnvFiles): EnvFileEntry[] | undefined {
  if (cache.has(absPath)) return cache.get(absPath);
  let entries: EnvFileEntry[] | undefined;
  try {
    const stats = statSync(absPath);
    entries = stats.isFile() && stats.size <= MAX_ENV_FILE_BYTES ? readEnvFile(readFileSync(absPath, 'utf8')) : undefined;
  } catch {
    entries = undefined;
  }
  cache.set(absPath, entries);
  return entries;
}
