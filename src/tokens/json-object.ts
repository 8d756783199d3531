import { visit } from 'jsonc-parser';

export interface ParsedObject {
  value: Record<string, unknown>;
  /** Dotted paths of keys that appear more than once in one object ("sub", "address.city"). */
  duplicateKeys: string[];
}

/**
 * A JSON object, with the keys it repeats. JSON.parse silently keeps the last duplicate while other
 * parsers keep the first: a token with `"alg"` twice can mean one thing to the verifier and another
 * to the app (RFC 7515 §4 and RFC 7519 §4 require unique member names, or rejection). Returns null when the text is not a JSON object.
 */
export function parseJsonObject(text: string): ParsedObject | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  // Fast path: text exactly as JSON.stringify writes it (what most issuers emit) cannot repeat a key,
  // since the parsed value holds each key once; anything else gets the full scan (several times dearer).
  if (JSON.stringify(value) === text) return { value: value as Record<string, unknown>, duplicateKeys: [] };
  const duplicateKeys: string[] = [];
  const seen: Array<Set<string>> = [];
  visit(text, {
    onObjectBegin: () => void seen.push(new Set()),
    onObjectEnd: () => void seen.pop(),
    onObjectProperty: (property, _offset, _length, _line, _character, pathSupplier) => {
      const keys = seen[seen.length - 1];
      if (keys.has(property)) duplicateKeys.push([...pathSupplier(), property].join('.'));
      keys.add(property);
    },
  });
  return { value: value as Record<string, unknown>, duplicateKeys };
}
