/**
 * What the session decoders in this folder produce, and the few helpers they share. Every decoder is
 * a strict reader of data: it builds plain values (strings, numbers, arrays, Maps) and never
 * constructs a class, calls a constructor or runs code named by the data. Objects of the session's
 * language are kept as `ForeignObject`: a class name and the properties as written.
 */

/** Thrown by the decoders for input they cannot read; the message says why in one phrase. */
export class FormatError extends Error {
  override name = 'FormatError';
}

/** How deep containers may nest before a value is refused (sessions are a few levels deep). */
export const MAX_DEPTH = 64;

/**
 * An object of the session's language (a PHP object, a Ruby object), read as its properties. Property
 * names are stripped of visibility markers (PHP's "\0*\0name", "\0Class\0name"; Ruby's "@name").
 * `opaque` says why the properties could not be read (custom serialisation), so a lookup inside it is
 * reported as unreadable rather than as missing.
 */
export class ForeignObject {
  constructor(
    readonly className: string,
    readonly properties: Map<string, unknown>,
    readonly opaque?: string,
  ) {}
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as a string when they are valid UTF-8, else the bytes themselves (never a lossy guess). */
export function textOrBytes(bytes: Uint8Array): string | Uint8Array {
  try {
    return utf8.decode(bytes);
  } catch {
    return Uint8Array.from(bytes);
  }
}

/** A map key: UTF-8 text, or latin1 when the bytes are not UTF-8 (keys are only compared, never shown). */
export function keyText(bytes: Uint8Array): string {
  const text = textOrBytes(bytes);
  return typeof text === 'string' ? text : Buffer.from(text).toString('latin1');
}

/** The result of following one step or a path into a decoded value. */
/** `opaque`: the path leads into something that cannot be looked into (custom-serialized, or a scalar). */
export type Found = { kind: 'value'; value: unknown } | { kind: 'missing' } | { kind: 'opaque'; reason: string };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Map) && !(value instanceof ForeignObject) && !(value instanceof Date);

/** Whether a value has children a path can step into. */
export function isContainer(value: unknown): boolean {
  return value instanceof Map || Array.isArray(value) || value instanceof ForeignObject || isPlainObject(value);
}

/** One step: a Map entry, an array index, an object property, a JSON member. */
export function child(container: unknown, key: string): Found {
  if (container instanceof Map) return container.has(key) ? { kind: 'value', value: container.get(key) } : { kind: 'missing' };
  if (container instanceof ForeignObject) {
    if (container.properties.has(key)) return { kind: 'value', value: container.properties.get(key) };
    return container.opaque ? { kind: 'opaque', reason: container.opaque } : { kind: 'missing' };
  }
  if (Array.isArray(container)) {
    if (!/^(?:0|[1-9]\d{0,8})$/.test(key)) return { kind: 'missing' };
    const index = Number(key);
    return index < container.length ? { kind: 'value', value: container[index] } : { kind: 'missing' };
  }
  if (isPlainObject(container)) return Object.hasOwn(container, key) ? { kind: 'value', value: container[key] } : { kind: 'missing' };
  return { kind: 'missing' };
}

/**
 * Follow a path. Keys may themselves contain dots (Rails' "warden.user.user.key", Spring's attribute
 * names), so at each level the longest run of remaining segments that names an existing key wins.
 */
export function follow(root: unknown, path: readonly string[]): Found {
  let current: unknown = root;
  let index = 0;
  while (index < path.length) {
    if (current === null || current === undefined) return { kind: 'missing' };
    if (!isContainer(current)) return { kind: 'opaque', reason: `${path.slice(0, index).join('.')} holds ${describeValue(current)}, which has no field ${path[index]}` };
    let stepped = false;
    for (let end = path.length; end > index; end--) {
      const found = child(current, path.slice(index, end).join('.'));
      if (found.kind === 'opaque') return found;
      if (found.kind === 'value') {
        current = found.value;
        index = end;
        stepped = true;
        break;
      }
    }
    if (!stepped) return { kind: 'missing' };
  }
  return { kind: 'value', value: current };
}

/** A short description of a value's type for reasons ("an array", "a PHP object App\\User"). */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof ForeignObject) return `an object of class ${value.className}`;
  if (value instanceof Map || isPlainObject(value)) return 'a map';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'bytes that are not UTF-8 text';
  if (value instanceof Date) return 'a date';
  return `a ${typeof value}`;
}

/** Read an unsigned little- or big-endian integer of up to 6 bytes (lengths never need more). */
export function readLength(bytes: Uint8Array, at: number, size: number, littleEndian: boolean): number {
  if (at + size > bytes.length) throw new FormatError('truncated');
  let value = 0;
  for (let i = 0; i < size; i++) {
    const byte = bytes[littleEndian ? at + size - 1 - i : at + i];
    value = value * 256 + byte;
  }
  return value;
}

/** An 8-byte unsigned length, refused when it cannot fit in what is left. */
export function readLength64(bytes: Uint8Array, at: number, littleEndian: boolean, remaining: number): number {
  if (at + 8 > bytes.length) throw new FormatError('truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, 8);
  const value = view.getBigUint64(0, littleEndian);
  if (value > BigInt(remaining)) throw new FormatError('truncated');
  return Number(value);
}
