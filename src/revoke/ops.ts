/**
 * The plan: what a revocation run does, as a list of operations, written to plan.jsonl before each
 * batch runs. One line holds a run of operations of one kind (same node, same namespace):
 *   ["s", node|null, pattern, framework, [key, ...]]   UNLINK selected session keys (found on `node`,
 *                                                      host:port; null on a standalone server)
 *   ["r", node|null, [key, ...]]                       UNLINK keys that belong to selected sessions
 *                                                      (Spring Session's `sessions:expires:<id>`); null: the slot's owner
 *   ["i", node|null, setKey, [member, ...]]            SREM session ids from a Spring Session principal index
 * The checkpoint counts operations (not lines): "the first N operations of the plan are done".
 */
export type Op =
  | { t: 's'; node: string | null; pattern: string; framework: string; key: string }
  | { t: 'r'; node: string | null; key: string }
  | { t: 'i'; node: string | null; key: string; member: string };

/** Anything but printable ASCII without quote and backslash goes through JSON.stringify. */
const NEEDS_ESCAPE = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/;

/** JSON string, with a fast path for the plain ASCII names session keys almost always are. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

const sameGroup = (a: Op, b: Op): boolean => {
  if (a.t !== b.t || a.node !== b.node) return false;
  if (a.t === 's') return b.t === 's' && a.pattern === b.pattern && a.framework === b.framework;
  if (a.t === 'i') return b.t === 'i' && a.key === b.key;
  return true;
};

/** The plan lines of a batch (each ending in "\n"). */
export function encodeOps(ops: readonly Op[]): string {
  let out = '';
  for (let from = 0; from < ops.length; ) {
    const first = ops[from];
    let to = from + 1;
    while (to < ops.length && sameGroup(first, ops[to])) to++;
    const group = ops.slice(from, to);
    switch (first.t) {
      case 's':
        out += `${JSON.stringify(['s', first.node, first.pattern, first.framework, group.map((op) => op.key)])}\n`;
        break;
      case 'r':
        out += `${JSON.stringify(['r', first.node, group.map((op) => op.key)])}\n`;
        break;
      case 'i':
        out += `${JSON.stringify(['i', first.node, first.key, group.map((op) => (op as Extract<Op, { t: 'i' }>).member)])}\n`;
        break;
    }
    from = to;
  }
  return out;
}

/** The operations of one plan line. */
export function decodeLine(line: string): Op[] {
  const value = JSON.parse(line) as unknown[];
  const node = value[1] === null ? null : String(value[1]);
  const list = (at: number) => {
    const items = value[at];
    if (!Array.isArray(items)) throw new Error(`damaged plan line ${line.slice(0, 40)}`);
    return items.map(String);
  };
  switch (value[0]) {
    case 's': {
      const pattern = String(value[2]);
      const framework = String(value[3]);
      return list(4).map((key) => ({ t: 's', node, pattern, framework, key }));
    }
    case 'r':
      return list(2).map((key) => ({ t: 'r', node, key }));
    case 'i': {
      const key = String(value[2]);
      return list(3).map((member) => ({ t: 'i', node, key, member }));
    }
    default:
      throw new Error(`unknown plan line ${line.slice(0, 40)}`);
  }
}
