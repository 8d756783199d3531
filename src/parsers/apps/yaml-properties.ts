import { isMap, isScalar, isSeq, type Document } from 'yaml';
import type { ParseInput } from '../types.js';
import { mergedEntries, resolveAlias, resolvedItems } from '../yaml-merge.js';
import type { YamlSource } from '../yaml-source.js';
import type { PropertyLine } from './java-properties.js';

const MAX_DEPTH = 32;

/**
 * A YAML config file as Spring Boot reads it: each document flattened to dotted keys
 * (`server: {servlet: {session: {timeout: 30m}}}` -> `server.servlet.session.timeout`), located at
 * the key. A list of scalars becomes one comma-separated value, which is how Spring binds it to a
 * list property. Merge keys (`<<: *defaults`) are expanded, as SnakeYAML does. Broken YAML throws
 * ParseError from input.yaml().
 * https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.yaml.mapping-to-properties
 */
export function readYamlProperties(input: ParseInput): PropertyLine[][] {
  const source = input.yaml();
  return source.docs.map((doc) => {
    const out: PropertyLine[] = [];
    flatten(doc.contents, '', doc, out, 0, source);
    return out;
  });
}

function flatten(
  node: unknown,
  prefix: string,
  doc: Document.Parsed,
  out: PropertyLine[],
  depth: number,
  source: YamlSource,
): void {
  if (depth > MAX_DEPTH || !isMap(resolveAlias(node, doc))) return;
  for (const entry of mergedEntries(node, doc)) {
    const key = prefix === '' ? entry.key : `${prefix}.${entry.key}`;
    const at = source.pos(entry.keyNode);
    const value = entry.value;
    if (isMap(value)) {
      flatten(value, key, doc, out, depth + 1, source);
    } else if (isSeq(value)) {
      const scalars = resolvedItems(value, doc).filter(isScalar).map((item) => String(item.value ?? ''));
      out.push({ key, value: scalars.join(','), ...at });
    } else if (isScalar(value)) {
      out.push({ key, value: value.value === null || value.value === undefined ? '' : String(value.value), ...at });
    } else {
      out.push({ key, value: '', ...at }); // `key:` with nothing after it: an empty value, as Spring binds it
    }
  }
}
