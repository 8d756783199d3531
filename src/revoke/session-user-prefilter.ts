/**
 * A cheap test that lets `revoke --user ID` skip decoding most sessions of a value scan: in the
 * formats where a user id is stored as its own bytes (JSON text, PHP serialize(), the strings of
 * pickle, msgpack and Ruby Marshal), a value whose bytes do not contain the id cannot name that user.
 *
 * couldNameUser() returns false only when that is certain: the value is in such a format and the
 * id's bytes are absent (for numeric ids in pickles: no number opcode holds that number either). It
 * returns true whenever it is unsure: numeric ids in msgpack and Ruby Marshal (ints are packed in
 * many ways), compressed, encrypted or gob values, ids that JSON encoders may escape, hash values. `false` means "cannot be this user's session even if it were readable": such values are
 * not decoded, so they are not counted as unreadable either. Call userOf() on everything it passes.
 */
import type { SessionValue, UserOfOptions } from './session-user.js';

/** What userOf() can return for a number: its decimal text (1000, -5, 1.5, 1.5e-7). */
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Characters no common JSON encoder escapes (JSON.stringify, Python json, Go encoding/json, PHP json_encode, Ruby JSON). */
const JSON_SAFE = /^[\x20-\x7e]+$/;
const JSON_ESCAPED = /["\\/<>&'\x7f]/;

/**
 * Whether JSON text has a number with a fraction or an exponent outside strings: those are read as
 * numbers whose decimal text may not be in the bytes (1e3 is 1000, 41.99999999999999999 is 42).
 * Integer literals read back as themselves.
 */
function jsonHasNonInteger(bytes: Uint8Array): boolean {
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x2e) return true;
    else if ((c === 0x65 || c === 0x45) && i > 0 && bytes[i - 1] >= 0x30 && bytes[i - 1] <= 0x39) return true;
  }
  return false;
}

const firstNonSpace = (bytes: Uint8Array) => bytes.find((byte) => byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d);

function jsonCouldName(bytes: Buffer, user: string): boolean {
  if (firstNonSpace(bytes) !== 0x7b) return true; // not JSON: gob, or garbage userOf will report
  if (!JSON_SAFE.test(user) || JSON_ESCAPED.test(user)) return true;
  if (NUMERIC.test(user) && jsonHasNonInteger(bytes)) return true;
  return false;
}

function phpCouldName(bytes: Buffer, user: string): boolean {
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0 && (bytes[3] === 1 || bytes[3] === 2)) return true; // igbinary
  if (bytes.includes('S:')) return true; // escaped strings
  // Floats (d:) are read as numbers whose text may differ from the serialized form (d:.5 is 0.5).
  if (NUMERIC.test(user) && bytes.includes('d:')) return true;
  return false;
}

/** Pickle (protocol >= 2), msgpack, Ruby Marshal: strings are raw UTF-8, numbers are packed. */
function binaryCouldName(user: string): boolean {
  return NUMERIC.test(user);
}

const CANONICAL_INT = /^-?(?:0|[1-9]\d*)$/;

const float64 = (value: number) => {
  const bytes = Buffer.alloc(9);
  bytes[0] = 0x47; // BINFLOAT, big-endian
  bytes.writeDoubleBE(value, 1);
  return bytes;
};

function littleEndian(value: bigint, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let rest = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

/** Any LONG1 (0x8a, length, little-endian two's complement) in the bytes whose value is `n`. */
function hasLong1(bytes: Buffer, n: bigint): boolean {
  for (let at = bytes.indexOf(0x8a); at >= 0 && at + 1 < bytes.length; at = bytes.indexOf(0x8a, at + 1)) {
    const length = bytes[at + 1];
    if (at + 2 + length > bytes.length) continue;
    let value = 0n;
    for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[at + 2 + i]);
    if (length > 0 && bytes[at + 1 + length] & 0x80) value -= 1n << BigInt(8 * length);
    if (value === n) return true;
  }
  return false;
}

/**
 * A pickle (protocol >= 2) can name a numeric user only through a number opcode holding it: BININT1,
 * BININT2, BININT, LONG1 or BINFLOAT. userOf() writes numbers in canonical decimal, so a user like
 * "007" or "1.50" can only be a string, whose bytes were already looked for.
 */
function pickleCouldName(bytes: Buffer, user: string): boolean {
  if (CANONICAL_INT.test(user)) {
    const n = BigInt(user);
    if (n >= 0n && n < 256n && bytes.includes(Buffer.from([0x4b, Number(n)]))) return true;
    if (n >= 0n && n < 65_536n && bytes.includes(Buffer.concat([Buffer.from([0x4d]), littleEndian(n, 2)]))) return true;
    if (n >= -(2n ** 31n) && n < 2n ** 31n && bytes.includes(Buffer.concat([Buffer.from([0x4a]), littleEndian(n, 4)]))) return true;
    if (hasLong1(bytes, n)) return true;
    const number = Number(n);
    if (Number.isSafeInteger(number) && (bytes.includes(float64(number)) || (number === 0 && bytes.includes(float64(-0))))) return true;
    return false;
  }
  const number = Number(user);
  if (Number.isFinite(number) && String(number) === user) return bytes.includes(float64(number));
  return false;
}

function pythonCouldName(bytes: Buffer, user: string): boolean {
  const [a, b] = bytes;
  if (a === 0x80 && bytes.length > 1 && b >= 2 && b <= 5) return pickleCouldName(bytes, user);
  if ((a >= 0x81 && a <= 0x8f) || a === 0xde || a === 0xdf) return binaryCouldName(user);
  if (firstNonSpace(bytes) === 0x7b) return jsonCouldName(bytes, user);
  return true; // compressed, older pickle protocols, unknown
}

/** Whether `value` could be a session of `user` (see the module comment: false only when certain). */
export function couldNameUser(framework: string, value: SessionValue, user: string, _options: UserOfOptions = {}): boolean {
  if (value.type !== 'string' || user === '') return true;
  const bytes = value.bytes;
  if (bytes.includes(user, 0, 'utf8')) return true;
  switch (framework) {
    case 'connect-redis':
    case 'redistore':
      return jsonCouldName(bytes, user);
    case 'phpredis':
    case 'php-memcached':
    case 'symfony':
      return phpCouldName(bytes, user);
    case 'laravel': {
      // serialize(serialize($attributes)): the inner string is raw unless encrypted (base64 "eyJ...").
      const quote = bytes.indexOf(0x22);
      if (bytes[0] !== 0x73 || quote < 0 || bytes[quote + 1] !== 0x61 || bytes[quote + 2] !== 0x3a) return true;
      return phpCouldName(bytes, user);
    }
    case 'django':
    case 'flask-session':
      return pythonCouldName(bytes, user);
    case 'rails':
      if (bytes.length >= 2 && bytes[0] === 4 && bytes[1] === 8) return binaryCouldName(user);
      return jsonCouldName(bytes, user);
    default:
      return true;
  }
}
