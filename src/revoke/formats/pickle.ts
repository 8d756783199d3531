/**
 * A strict reader of Python pickles that hold plain data: dicts, lists, tuples, sets, str, bytes,
 * int, float, bool and None (protocols 1 to 5, the binary opcodes). Any opcode that would import a
 * name or build an object (GLOBAL, STACK_GLOBAL, REDUCE, BUILD, INST, OBJ, NEWOBJ, NEWOBJ_EX, EXT*,
 * PERSID, BINPERSID, out-of-band buffers) stops the read with a FormatError: nothing is imported,
 * called or constructed, ever. Protocol 0's text opcodes are refused too.
 *
 * Dicts become Map<string, unknown> (int keys as their decimal text; other key types are dropped),
 * lists and tuples arrays, sets arrays, str strings (or the bytes when not UTF-8), bytes Uint8Array,
 * ints bigint, floats number.
 */
import { FormatError, MAX_DEPTH, readLength, readLength64, textOrBytes } from './decoded.js';

/** Opcodes that load or call Python code, by byte, with pickletools' names for the reason. */
const CODE_OPCODES: Record<number, string> = {
  0x63: 'GLOBAL', // c
  0x93: 'STACK_GLOBAL',
  0x52: 'REDUCE', // R
  0x62: 'BUILD', // b
  0x69: 'INST', // i
  0x6f: 'OBJ', // o
  0x81: 'NEWOBJ',
  0x92: 'NEWOBJ_EX',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x50: 'PERSID', // P
  0x51: 'BINPERSID', // Q
};

const OTHER_UNSUPPORTED: Record<number, string> = {
  0x49: 'INT (protocol 0)', // I
  0x4c: 'LONG (protocol 0)', // L
  0x53: 'STRING (protocol 0)', // S
  0x56: 'UNICODE (protocol 0)', // V
  0x46: 'FLOAT (protocol 0)', // F
  0x70: 'PUT (protocol 0)', // p
  0x67: 'GET (protocol 0)', // g
  0x6c: 'LIST (protocol 0)', // l
  0x64: 'DICT (protocol 0)', // d
  0x8b: 'LONG4',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
};

function dictKey(key: unknown): string | undefined {
  if (typeof key === 'string') return key;
  if (typeof key === 'bigint') return key.toString();
  return undefined;
}

function setItems(target: unknown, items: unknown[]): void {
  if (!(target instanceof Map)) throw new FormatError('malformed pickle: SETITEM(S) on something that is not a dict');
  if (items.length % 2 !== 0) throw new FormatError('malformed pickle: odd number of dict items');
  for (let i = 0; i < items.length; i += 2) {
    const key = dictKey(items[i]);
    if (key !== undefined) target.set(key, items[i + 1]);
  }
}

/** Little-endian two's complement of `n` bytes (LONG1). */
function signedLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  if (bytes.length > 0 && bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(8 * bytes.length);
  return value;
}

/** The one value a pickle holds; the whole input must be that pickle (nothing after STOP). */
export function unpickle(bytes: Uint8Array): unknown {
  let pos = 0;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();
  const take = (n: number): Uint8Array => {
    if (n < 0 || pos + n > bytes.length) throw new FormatError('truncated pickle');
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const length = (size: number): number => {
    const n = readLength(bytes, pos, size, true);
    pos += size;
    return n;
  };
  const pop = (): unknown => {
    if (stack.length === 0) throw new FormatError('malformed pickle: stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw new FormatError('malformed pickle: stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const previous = metastack.pop();
    if (!previous) throw new FormatError('malformed pickle: no MARK');
    stack = previous;
    return items;
  };
  const memoGet = (index: number): unknown => {
    if (!memo.has(index)) throw new FormatError(`malformed pickle: memo ${index} not defined`);
    return memo.get(index);
  };
  const memoPut = (index: number): void => {
    memo.set(index, top());
  };

  while (pos < bytes.length) {
    const at = pos;
    const op = bytes[pos++];
    switch (op) {
      case 0x80: { // PROTO
        const protocol = take(1)[0];
        if (protocol > 5) throw new FormatError(`unsupported pickle protocol ${protocol}`);
        break;
      }
      case 0x95: // FRAME: an 8-byte frame length; the opcodes inside are read as usual
        readLength64(bytes, pos, true, bytes.length - pos - 8);
        pos += 8;
        break;
      case 0x2e: { // STOP
        if (metastack.length > 0) throw new FormatError('malformed pickle: MARK not closed at STOP');
        const value = pop();
        if (stack.length !== 0) throw new FormatError('malformed pickle: values left on the stack at STOP');
        if (pos !== bytes.length) throw new FormatError(`trailing bytes after the pickle STOP (byte ${pos})`);
        return value;
      }
      case 0x28: // MARK
        if (metastack.length >= MAX_DEPTH) throw new FormatError(`pickle nested deeper than ${MAX_DEPTH} levels`);
        metastack.push(stack);
        stack = [];
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map<string, unknown>());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x8f: // EMPTY_SET
        stack.push([]);
        break;
      case 0x73: { // SETITEM
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x61: { // APPEND
        const value = pop();
        const list = top();
        if (!Array.isArray(list)) throw new FormatError('malformed pickle: APPEND to something that is not a list');
        list.push(value);
        break;
      }
      case 0x65: // APPENDS
      case 0x90: { // ADDITEMS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list)) throw new FormatError('malformed pickle: APPENDS to something that is not a list');
        for (const item of items) list.push(item);
        break;
      }
      case 0x74: // TUPLE
      case 0x91: { // FROZENSET
        const items = popMark(); // before naming `stack`: popMark() replaces it
        stack.push(items);
        break;
      }
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: { // TUPLE2
        const b = pop();
        const a = pop();
        stack.push([a, b]);
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push([a, b, c]);
        break;
      }
      case 0x30: // POP
        if (stack.length > 0) stack.pop();
        else popMark();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x58: // BINUNICODE
        stack.push(textOrBytes(take(length(4))));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(textOrBytes(take(length(1))));
        break;
      case 0x8d: { // BINUNICODE8
        const n = readLength64(bytes, pos, true, bytes.length - pos - 8);
        pos += 8;
        stack.push(textOrBytes(take(n)));
        break;
      }
      case 0x55: // SHORT_BINSTRING (Python 2 str; Python 3 reads it as text)
        stack.push(textOrBytes(take(length(1))));
        break;
      case 0x54: { // BINSTRING (signed 4-byte length)
        const n = length(4);
        if (n > 0x7fffffff) throw new FormatError('malformed pickle: negative BINSTRING length');
        stack.push(textOrBytes(take(n)));
        break;
      }
      case 0x43: // SHORT_BINBYTES
        stack.push(Uint8Array.from(take(length(1))));
        break;
      case 0x42: // BINBYTES
        stack.push(Uint8Array.from(take(length(4))));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: { // BYTEARRAY8
        const n = readLength64(bytes, pos, true, bytes.length - pos - 8);
        pos += 8;
        stack.push(Uint8Array.from(take(n)));
        break;
      }
      case 0x4a: { // BININT: signed 4 bytes
        const raw = take(4);
        stack.push(BigInt(new DataView(raw.buffer, raw.byteOffset, 4).getInt32(0, true)));
        break;
      }
      case 0x4b: // BININT1
        stack.push(BigInt(take(1)[0]));
        break;
      case 0x4d: // BININT2
        stack.push(BigInt(length(2)));
        break;
      case 0x8a: { // LONG1
        const n = length(1);
        stack.push(signedLittleEndian(take(n)));
        break;
      }
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x47: { // BINFLOAT: big-endian double
        const raw = take(8);
        stack.push(new DataView(raw.buffer, raw.byteOffset, 8).getFloat64(0, false));
        break;
      }
      case 0x94: // MEMOIZE
        memoPut(memo.size);
        break;
      case 0x71: // BINPUT
        memoPut(length(1));
        break;
      case 0x72: // LONG_BINPUT
        memoPut(length(4));
        break;
      case 0x68: // BINGET
        stack.push(memoGet(length(1)));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memoGet(length(4)));
        break;
      default: {
        const code = CODE_OPCODES[op];
        if (code) {
          const name = op === 0x63 ? globalName(bytes, pos) : '';
          throw new FormatError(`the pickle loads Python code (opcode ${code}${name ? ` ${name}` : ''}): refused, never executed`);
        }
        const other = OTHER_UNSUPPORTED[op];
        throw new FormatError(other ? `unsupported pickle opcode ${other}` : `not a pickle (byte 0x${op.toString(16).padStart(2, '0')} at ${at})`);
      }
    }
  }
  throw new FormatError('truncated pickle (no STOP)');
}

/** GLOBAL's "module\nname\n" operand, for the reason only (printable ASCII, bounded). */
function globalName(bytes: Uint8Array, pos: number): string {
  const text = Buffer.from(bytes.subarray(pos, pos + 200)).toString('latin1');
  const match = /^([\w.]{1,80})\n([\w.]{1,80})\n/.exec(text);
  return match ? `${match[1]}.${match[2]}` : '';
}
