/**
 * The three Java-serialized values a Spring Session attribute can be read from without a Java
 * runtime: java.lang.String (TC_STRING / TC_LONGSTRING), java.lang.Long and java.lang.Integer, each
 * as JdkSerializationRedisSerializer writes it (a fresh stream: magic 0xACED, version 5). Anything
 * else (a SecurityContext, any other object graph) is refused: reading it would mean walking class
 * descriptors, and the user's name inside is not at a fixed place.
 */
import { FormatError, readLength, readLength64 } from './decoded.js';

const MAGIC = [0xac, 0xed, 0x00, 0x05];
const HEX = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
/** Class descriptors of java.lang.Long and java.lang.Integer (serialVersionUIDs from the JDK), then TC_NULL. */
const LONG_HEAD = HEX(`aced0005 7372 000e 6a6176612e6c616e672e4c6f6e67 3b8be490cc8f23df 02 0001 4a 0005 76616c7565 78
  72 0010 6a6176612e6c616e672e4e756d626572 86ac951d0b94e08b 02 0000 78 70`);
const INTEGER_HEAD = HEX(`aced0005 7372 0011 6a6176612e6c616e672e496e7465676572 12e2a0a4f7818738 02 0001 49 0005 76616c7565 78
  72 0010 6a6176612e6c616e672e4e756d626572 86ac951d0b94e08b 02 0000 78 70`);

export const isJavaSerialized = (bytes: Uint8Array) => bytes.length >= 4 && MAGIC.every((byte, i) => bytes[i] === byte);

/** Java's "modified UTF-8": UTF-16 code units in 1 to 3 bytes, NUL as C0 80. */
function modifiedUtf8(bytes: Uint8Array): string {
  const units: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const a = bytes[i];
    if (a > 0 && a < 0x80) {
      units.push(a);
      i += 1;
    } else if ((a & 0xe0) === 0xc0 && i + 1 < bytes.length && (bytes[i + 1] & 0xc0) === 0x80) {
      units.push(((a & 0x1f) << 6) | (bytes[i + 1] & 0x3f));
      i += 2;
    } else if ((a & 0xf0) === 0xe0 && i + 2 < bytes.length && (bytes[i + 1] & 0xc0) === 0x80 && (bytes[i + 2] & 0xc0) === 0x80) {
      units.push(((a & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f));
      i += 3;
    } else {
      throw new FormatError('malformed Java string (bad modified UTF-8)');
    }
  }
  let text = '';
  for (let i = 0; i < units.length; i += 4096) text += String.fromCharCode(...units.slice(i, i + 4096));
  return text;
}

const startsWith = (bytes: Uint8Array, head: Uint8Array) => bytes.length >= head.length && head.every((byte, i) => bytes[i] === byte);

/** A Java-serialized String, Long or Integer (Long and Integer as bigint); anything else throws FormatError. */
export function javaScalar(bytes: Uint8Array): string | bigint {
  if (!isJavaSerialized(bytes)) throw new FormatError('not Java-serialized');
  const tag = bytes[4];
  if (tag === 0x74 || tag === 0x7c) {
    const size = tag === 0x74 ? 2 : 8;
    const length = size === 2 ? readLength(bytes, 5, 2, false) : readLength64(bytes, 5, false, bytes.length - 13);
    const start = 5 + size;
    if (start + length !== bytes.length) throw new FormatError(start + length > bytes.length ? 'truncated Java string' : 'trailing bytes after a Java string');
    return modifiedUtf8(bytes.subarray(start, start + length));
  }
  for (const [head, size] of [[LONG_HEAD, 8], [INTEGER_HEAD, 4]] as const) {
    if (startsWith(bytes, head)) {
      if (bytes.length !== head.length + size) throw new FormatError('malformed Java number');
      const view = new DataView(bytes.buffer, bytes.byteOffset + head.length, size);
      return size === 8 ? view.getBigInt64(0, false) : BigInt(view.getInt32(0, false));
    }
  }
  throw new FormatError('a Java-serialized object (not a String, Long or Integer)');
}
