import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError as JsonParseError } from 'jsonc-parser';
import { Document, LineCounter, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { ParseError } from '../errors.js';

/**
 * A .json file read strictly as JSON (the YAML reader would accept some invalid JSON) into the same
 * positioned yaml nodes the YAML formats walk, so every JSON-or-YAML parser has one tree to read.
 * jsonc-parser (VS Code's) is several times faster than the YAML reader on JSON and gives offsets.
 */
export function parseJsonDocuments(file: string, text: string, lineCounter: LineCounter): Document.Parsed[] {
  lineCounter.addNewLine(0);
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineCounter.addNewLine(index + 1);
  const errors: JsonParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: true });
  const first = errors[0];
  if (first) {
    const at = lineCounter.linePos(first.offset);
    const reason = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    throw new ParseError(`invalid JSON: ${reason}`, file, at.line, at.col);
  }
  const doc = new Document() as Document.Parsed;
  doc.contents = tree ? (toYamlNode(tree) as Document.Parsed['contents']) : null;
  return [doc];
}

function toYamlNode(json: JsonNode): Node {
  const range: [number, number, number] = [json.offset, json.offset + json.length, json.offset + json.length];
  let node: Node;
  if (json.type === 'object') {
    const map = new YAMLMap();
    for (const property of json.children ?? []) {
      const [key, value] = property.children ?? [];
      if (!key) continue;
      map.items.push(new Pair(toYamlNode(key), value ? toYamlNode(value) : null));
    }
    node = map;
  } else if (json.type === 'array') {
    const seq = new YAMLSeq();
    for (const item of json.children ?? []) seq.items.push(toYamlNode(item));
    node = seq;
  } else {
    node = new Scalar(json.value ?? null);
  }
  node.range = range;
  return node;
}
