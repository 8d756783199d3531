/**
 * A strict reader of PHP's serialize() format and of the three PHP session encodings
 * (session.serialize_handler = php, php_serialize, php_binary). It reads data only: objects become
 * ForeignObject (class name and properties), never an instance; no __wakeup/__unserialize runs.
 *
 * Values: N; b:0; i:42; d:1.5; s:<byte length>:"<bytes>"; a:<n>:{key value...}
 * O:<len>:"<class>":<n>:{prop value...} C:<len>:"<class>":<len>:{<data>} E:<len>:"<Enum:Case>";
 * r:<n>; R:<n>; (back references, 1-based over every value read so far except R itself).
 * Strings are byte strings: the length counts UTF-8 bytes, not characters.
 */
import { FormatError, ForeignObject, MAX_DEPTH, keyText, textOrBytes } from './decoded.js';

const QUOTE = 0x22;
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const BAR = 0x7c;

class PhpReader {
  pos = 0;
  /** PHP's var_hash: every value (not keys, not R:) in reading order, for r:/R: back references. */
  readonly slots: unknown[] = [];

  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  private expect(byte: number): void {
    if (this.pos >= this.bytes.length) throw new FormatError('truncated PHP serialized data');
    if (this.bytes[this.pos] !== byte) throw new FormatError(`malformed PHP serialized data at byte ${this.pos}`);
    this.pos++;
  }

  /** ASCII text up to (not including) `stop`, consumed with the stop byte; bounded to 400 bytes. */
  private until(stop: number): string {
    const start = this.pos;
    const limit = Math.min(this.bytes.length, start + 400);
    for (let i = start; i < limit; i++) {
      if (this.bytes[i] === stop) {
        this.pos = i + 1;
        return Buffer.from(this.bytes.subarray(start, i)).toString('latin1');
      }
    }
    throw new FormatError(this.bytes.length <= limit ? 'truncated PHP serialized data' : `malformed PHP serialized data at byte ${start}`);
  }

  /** A non-negative decimal count or length, no larger than what is left to read. */
  private count(stop: number): number {
    const text = this.until(stop);
    if (!/^\d{1,15}$/.test(text)) throw new FormatError(`malformed PHP serialized data: bad length "${text.slice(0, 20)}"`);
    const value = Number(text);
    if (value > this.bytes.length - this.pos) throw new FormatError('truncated PHP serialized data');
    return value;
  }

  /** `<len>:"<bytes>"` (the length and the quoted bytes), used by s:, O:, C:, E:. */
  private quoted(): Uint8Array {
    const length = this.count(COLON);
    this.expect(QUOTE);
    if (this.pos + length > this.bytes.length) throw new FormatError('truncated PHP serialized data');
    const bytes = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    this.expect(QUOTE);
    return bytes;
  }

  private typeTag(): string {
    if (this.pos + 1 >= this.bytes.length) throw new FormatError('truncated PHP serialized data');
    const tag = String.fromCharCode(this.bytes[this.pos]);
    if (tag === 'N') {
      this.pos++;
      return tag;
    }
    this.pos++;
    this.expect(COLON);
    return tag;
  }

  /** A key of an array or object: i: or s: only. */
  private key(): string {
    const tag = this.typeTag();
    if (tag === 'i') return integer(this.until(SEMICOLON)).toString();
    if (tag === 's') {
      const bytes = this.quoted();
      this.expect(SEMICOLON);
      return keyText(bytes);
    }
    throw new FormatError(`malformed PHP serialized data: ${tag === 'N' ? 'null' : tag} as an array key`);
  }

  value(depth = 0): unknown {
    if (depth > MAX_DEPTH) throw new FormatError(`PHP serialized data nested deeper than ${MAX_DEPTH} levels`);
    const start = this.pos;
    const tag = this.typeTag();
    if (tag === 'R') return this.reference(this.until(SEMICOLON));
    const slot = this.slots.length;
    this.slots.push(undefined);
    const set = <T>(value: T): T => {
      this.slots[slot] = value;
      return value;
    };
    switch (tag) {
      case 'N':
        this.expect(SEMICOLON);
        return set(null);
      case 'b': {
        const text = this.until(SEMICOLON);
        if (text !== '0' && text !== '1') throw new FormatError(`malformed PHP boolean "${text.slice(0, 20)}"`);
        return set(text === '1');
      }
      case 'i':
        return set(integer(this.until(SEMICOLON)));
      case 'd':
        return set(float(this.until(SEMICOLON)));
      case 's': {
        const bytes = this.quoted();
        this.expect(SEMICOLON);
        return set(textOrBytes(bytes));
      }
      case 'r':
        return set(this.reference(this.until(SEMICOLON)));
      case 'a': {
        const entries = this.count(COLON);
        this.expect(OPEN);
        const map = set(new Map<string, unknown>());
        for (let i = 0; i < entries; i++) {
          const key = this.key();
          map.set(key, this.value(depth + 1));
        }
        this.expect(CLOSE);
        return map;
      }
      case 'O': {
        const className = keyText(this.quoted());
        this.expect(COLON);
        const entries = this.count(COLON);
        this.expect(OPEN);
        const properties = new Map<string, unknown>();
        const object = set(new ForeignObject(className, properties));
        for (let i = 0; i < entries; i++) {
          const name = propertyName(this.key());
          const value = this.value(depth + 1);
          if (!properties.has(name)) properties.set(name, value);
        }
        this.expect(CLOSE);
        return object;
      }
      case 'C': {
        // Serializable::serialize(): the data is the class's own format. Symfony's and most others'
        // are themselves serialize() output; read that when it parses whole, else keep it opaque.
        const className = keyText(this.quoted());
        this.expect(COLON);
        const length = this.count(COLON);
        this.expect(OPEN);
        const data = this.bytes.subarray(this.pos, this.pos + length);
        this.pos += length;
        this.expect(CLOSE);
        let inner: unknown;
        try {
          const reader = new PhpReader(data);
          inner = reader.value(depth + 1);
          if (!reader.done) inner = undefined;
        } catch (error) {
          if (!(error instanceof FormatError)) throw error;
          inner = undefined;
        }
        return set(
          inner instanceof Map
            ? new ForeignObject(className, inner)
            : new ForeignObject(className, new Map(), `${className} is custom-serialized (Serializable)`),
        );
      }
      case 'E': {
        const name = keyText(this.quoted());
        this.expect(SEMICOLON);
        return set(new ForeignObject(name, new Map(), `enum case ${name}`));
      }
      default:
        this.pos = start;
        throw new FormatError(`unsupported PHP serialized type "${tag}" at byte ${start}`);
    }
  }

  private reference(text: string): unknown {
    if (!/^\d{1,9}$/.test(text)) throw new FormatError('malformed PHP back reference');
    const index = Number(text);
    if (index < 1 || index > this.slots.length) throw new FormatError(`PHP back reference ${index} out of range`);
    return this.slots[index - 1];
  }

  /** The `php` session handler: `name|value` repeated; names cannot contain '|'. */
  phpSession(): Map<string, unknown> {
    const vars = new Map<string, unknown>();
    while (!this.done) {
      const bar = this.bytes.indexOf(BAR, this.pos);
      if (bar < 0 || bar === this.pos) throw new FormatError('not a PHP session (no "name|value")');
      const name = keyText(this.bytes.subarray(this.pos, bar));
      this.pos = bar + 1;
      vars.set(name, this.value(1));
    }
    return vars;
  }

  /** The `php_binary` session handler: one length byte (bit 7: undefined variable), the name, the value. */
  phpBinarySession(): Map<string, unknown> {
    const vars = new Map<string, unknown>();
    while (!this.done) {
      const head = this.bytes[this.pos++];
      const length = head & 0x7f;
      if (length === 0 || this.pos + length > this.bytes.length) throw new FormatError('not a php_binary session');
      const name = keyText(this.bytes.subarray(this.pos, this.pos + length));
      this.pos += length;
      if (head & 0x80) continue;
      vars.set(name, this.value(1));
    }
    return vars;
  }
}

function integer(text: string): bigint {
  if (!/^[+-]?\d{1,20}$/.test(text)) throw new FormatError(`malformed PHP integer "${text.slice(0, 20)}"`);
  return BigInt(text);
}

function float(text: string): number {
  if (text === 'INF') return Infinity;
  if (text === '-INF') return -Infinity;
  if (text === 'NAN') return NaN;
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) throw new FormatError(`malformed PHP float "${text.slice(0, 20)}"`);
  return Number(text);
}

/** "\0*\0name" (protected) and "\0Class\0name" (private) are both just "name" here. */
function propertyName(raw: string): string {
  if (raw.startsWith('\0')) {
    const end = raw.indexOf('\0', 1);
    if (end > 0) return raw.slice(end + 1);
  }
  return raw;
}

/** One serialize() value; the whole input must be that value. */
export function phpUnserialize(bytes: Uint8Array): unknown {
  const reader = new PhpReader(bytes);
  const value = reader.value();
  if (!reader.done) throw new FormatError(`trailing bytes after the PHP serialized value (byte ${reader.pos})`);
  return value;
}

export type PhpSessionEncoding = 'php' | 'php_serialize' | 'php_binary';

/**
 * A PHP session's variables, whichever of the three handlers wrote them. An empty value is a fresh
 * session with no variables. igbinary and other binary handlers are refused by name.
 */
export function phpSessionDecode(bytes: Uint8Array): { vars: Map<string, unknown>; encoding: PhpSessionEncoding } {
  if (bytes.length === 0) return { vars: new Map(), encoding: 'php' };
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0 && (bytes[3] === 1 || bytes[3] === 2)) {
    throw new FormatError('igbinary-encoded PHP session (session.serialize_handler=igbinary): not read');
  }
  let phpError: FormatError | undefined;
  if (bytes[0] === 0x61 /* a */ && bytes[1] === COLON) {
    try {
      const value = phpUnserialize(bytes);
      if (value instanceof Map) return { vars: value, encoding: 'php_serialize' };
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
    }
  }
  try {
    return { vars: new PhpReader(bytes).phpSession(), encoding: 'php' };
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    phpError = error;
  }
  if (bytes[0] < 0x20) {
    try {
      return { vars: new PhpReader(bytes).phpBinarySession(), encoding: 'php_binary' };
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
    }
  }
  throw phpError;
}
