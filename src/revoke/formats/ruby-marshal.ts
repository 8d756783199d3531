/**
 * A strict reader of Ruby Marshal 4.8 for session hashes: nil, true, false, Integer (fixnum and
 * bignum), Float, String (with its encoding ivars), Symbol, Array, Hash (with or without default),
 * back references (@ and ;), and, read as data only, plain objects (o), user subclasses of
 * String/Array/Hash (C, e.g. HashWithIndifferentAccess), structs (S) and extended objects (e).
 * Types whose loading runs class code (_load `u`, marshal_load `U`, `d`), Class/Module and Regexp
 * are refused. No class is ever looked up or instantiated.
 */
import { FormatError, ForeignObject, MAX_DEPTH, keyText, textOrBytes } from './decoded.js';

const REFUSED: Record<string, string> = {
  u: "an object with a custom _dump (its class's _load would run)",
  U: "an object with marshal_dump (its class's marshal_load would run)",
  d: 'a data object (its _load_data would run)',
  c: 'a Class',
  m: 'a Module',
  M: 'an old-style Module',
  '/': 'a Regexp',
};

class MarshalReader {
  pos = 2;
  readonly symbols: string[] = [];
  readonly objects: unknown[] = [];

  constructor(readonly bytes: Uint8Array) {}

  private byte(): number {
    if (this.pos >= this.bytes.length) throw new FormatError('truncated Ruby Marshal data');
    return this.bytes[this.pos++];
  }

  private take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.bytes.length) throw new FormatError('truncated Ruby Marshal data');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Marshal's packed integer (w_long). */
  fixnum(): number {
    const c = (this.byte() << 24) >> 24; // as a signed byte
    if (c === 0) return 0;
    if (c >= 5) return c - 5;
    if (c <= -5) return c + 5;
    const n = Math.abs(c);
    let value = 0;
    for (let i = 0; i < n; i++) value += this.byte() * 2 ** (8 * i);
    return c > 0 ? value : value - 2 ** (8 * n);
  }

  private count(): number {
    const n = this.fixnum();
    if (n < 0 || n > this.bytes.length - this.pos) throw new FormatError('truncated Ruby Marshal data');
    return n;
  }

  private register<T>(value: T): T {
    this.objects.push(value);
    return value;
  }

  /** A symbol (:, ;, or I: with encoding ivars), as text. */
  symbol(): string {
    const tag = String.fromCharCode(this.byte());
    if (tag === ';') {
      const index = this.fixnum();
      if (index < 0 || index >= this.symbols.length) throw new FormatError(`Ruby Marshal symbol link ${index} out of range`);
      return this.symbols[index];
    }
    if (tag === ':') return this.symbolBody(false);
    if (tag === 'I' && this.bytes[this.pos] === 0x3a) {
      this.pos++;
      return this.symbolBody(true);
    }
    throw new FormatError(`malformed Ruby Marshal data: expected a symbol at byte ${this.pos - 1}`);
  }

  private symbolBody(ivars: boolean): string {
    const name = keyText(this.take(this.count()));
    this.symbols.push(name);
    if (ivars) this.ivars(0);
    return name;
  }

  /** Instance variables: a count, then symbol/value pairs. Encoding ivars are skipped. */
  private ivars(depth: number, into?: Map<string, unknown>): void {
    const n = this.count();
    for (let i = 0; i < n; i++) {
      const name = this.symbol();
      const value = this.value(depth + 1);
      const key = name.replace(/^@/, '');
      if (into && !into.has(key)) into.set(key, value);
    }
  }

  value(depth = 0): unknown {
    if (depth > MAX_DEPTH) throw new FormatError(`Ruby Marshal data nested deeper than ${MAX_DEPTH} levels`);
    const at = this.pos;
    const tag = String.fromCharCode(this.byte());
    switch (tag) {
      case '0':
        return null;
      case 'T':
        return true;
      case 'F':
        return false;
      case 'i':
        return BigInt(this.fixnum());
      case 'l': {
        const sign = String.fromCharCode(this.byte());
        if (sign !== '+' && sign !== '-') throw new FormatError('malformed Ruby Marshal bignum');
        const words = this.count();
        const raw = this.take(words * 2);
        let value = 0n;
        for (let i = raw.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(raw[i]);
        return this.register(sign === '-' ? -value : value);
      }
      case 'f': {
        const text = keyText(this.take(this.count()));
        const value = text === 'inf' ? Infinity : text === '-inf' ? -Infinity : text === 'nan' ? NaN : Number(text);
        if (Number.isNaN(value) && text !== 'nan') throw new FormatError('malformed Ruby Marshal float');
        return this.register(value);
      }
      case '"':
        return this.register(textOrBytes(this.take(this.count())));
      case ':':
        return this.symbolBody(false);
      case ';': {
        this.pos = at;
        return this.symbol();
      }
      case 'I': {
        if (this.bytes[this.pos] === 0x3a) {
          this.pos++;
          return this.symbolBody(true);
        }
        const inner = this.value(depth + 1);
        this.ivars(depth);
        return inner;
      }
      case '@': {
        const index = this.fixnum();
        if (index < 0 || index >= this.objects.length) throw new FormatError(`Ruby Marshal object link ${index} out of range`);
        return this.objects[index];
      }
      case '[': {
        const n = this.count();
        const list = this.register([] as unknown[]);
        for (let i = 0; i < n; i++) list.push(this.value(depth + 1));
        return list;
      }
      case '{':
      case '}': {
        const n = this.count();
        const map = this.register(new Map<string, unknown>());
        for (let i = 0; i < n; i++) {
          const key = this.value(depth + 1);
          const value = this.value(depth + 1);
          if (typeof key === 'string') map.set(key, value);
          else if (typeof key === 'bigint') map.set(key.toString(), value);
        }
        if (tag === '}') this.value(depth + 1); // the default value
        return map;
      }
      case 'C': {
        this.symbol(); // the user class (a subclass of String, Array or Hash): read as its base type
        return this.value(depth + 1);
      }
      case 'e': {
        this.symbol(); // a module the object was extended with
        return this.value(depth + 1);
      }
      case 'o': {
        const className = this.symbol();
        const properties = new Map<string, unknown>();
        const object = this.register(new ForeignObject(className, properties));
        this.ivars(depth, properties);
        return object;
      }
      case 'S': {
        const className = this.symbol();
        const properties = new Map<string, unknown>();
        const object = this.register(new ForeignObject(className, properties));
        const n = this.count();
        for (let i = 0; i < n; i++) {
          const name = this.symbol();
          const value = this.value(depth + 1);
          if (!properties.has(name)) properties.set(name, value);
        }
        return object;
      }
      default: {
        const refused = REFUSED[tag];
        throw new FormatError(refused ? `Ruby Marshal data holds ${refused}: not read` : `malformed Ruby Marshal data (type byte 0x${tag.charCodeAt(0).toString(16)} at ${at})`);
      }
    }
  }
}

export const isRubyMarshal = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 4 && bytes[1] === 8;

/** The one value a Marshal 4.8 dump holds; the whole input must be that value. */
export function rubyMarshalLoad(bytes: Uint8Array): unknown {
  if (!isRubyMarshal(bytes)) throw new FormatError('not Ruby Marshal 4.8');
  const reader = new MarshalReader(bytes);
  const value = reader.value();
  if (reader.pos !== bytes.length) throw new FormatError(`trailing bytes after the Ruby Marshal value (byte ${reader.pos})`);
  return value;
}
