/**
 * The plan: what a revocation run does, one operation per line of plan.jsonl, in order.
 *   ["s", node|null, pattern, framework, key]   UNLINK a selected session key (found on `node`, host:port)
 *   ["r", node|null, key]                  UNLINK a key that belongs to a selected session (Spring
 *                                          Session's `sessions:expires:<id>`); node null: its slot's owner
 *   ["i", node|null, setKey, member]       SREM the session id from a Spring Session principal index
 * Batches are consecutive runs of lines, so "lines done" in the checkpoint says exactly what is done.
 */
export type Op =
  | { t: 's'; node: string | null; pattern: string; framework: string; key: string }
  | { t: 'r'; node: string | null; key: string }
  | { t: 'i'; node: string | null; key: string; member: string };

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/** JSON string, with a fast path for the plain ASCII names session keys almost always are. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

export function encodeOp(op: Op): string {
  const node = op.node === null ? 'null' : jsonString(op.node);
  switch (op.t) {
    case 's':
      return `["s",${node},${jsonString(op.pattern)},${jsonString(op.framework)},${jsonString(op.key)}]`;
    case 'r':
      return `["r",${node},${jsonString(op.key)}]`;
    case 'i':
      return `["i",${node},${jsonString(op.key)},${jsonString(op.member)}]`;
  }
}

export function decodeOp(line: string): Op {
  const value = JSON.parse(line) as unknown[];
  switch (value[0]) {
    case 's':
      return { t: 's', node: value[1] === null ? null : String(value[1]), pattern: String(value[2]), framework: String(value[3]), key: String(value[4]) };
    case 'r':
      return { t: 'r', node: value[1] === null ? null : String(value[1]), key: String(value[2]) };
    case 'i':
      return { t: 'i', node: value[1] === null ? null : String(value[1]), key: String(value[2]), member: String(value[3]) };
    default:
      throw new Error(`unknown plan line ${line.slice(0, 40)}`);
  }
}
