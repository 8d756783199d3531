/**
 * HMAC-SHA-256 of four keys at once, in WebAssembly SIMD (one key per 32-bit lane of a v128): the
 * fast path of `token crack` on HS256 tokens, where WebAssembly SIMD is available (Node 16.4+ on x64
 * with SSE4.1, arm64); sha256-hmac.ts is the scalar fallback and explains the HMAC shortcuts, which are
 * the same here:
 *
 * - the inner hash's blocks after the key block (header.payload and padding) are the same for every
 *   key: their K[i] + W[i] are computed once and stored splatted (four equal lanes) in memory;
 * - the outer block's last 8 words (padding and length) are constants in the code;
 * - the outer hash stops after round 61, where the digest's last word is known (h64 = e61); a lane whose
 *   word matches the signature's (one chance in 2^32 for a wrong key) is confirmed with node:crypto.
 *
 * Why SIMD: SHA-256 is 32-bit adds, rotates and logic, and a v128 does each for four keys in one
 * instruction (a rotate costs three: two shifts and an or). On the 2-core machine, whose two vCPUs
 * share one physical core's ALUs (two threads of scalar code run no faster than one), this is what
 * gets HS256 past 1 M keys/s.
 *
 * The module is assembled here, at load, by a small encoder for the few instructions it needs (no
 * toolchain, no binary blob in the repository). Only constants go into the code, never input.
 *
 * Memory: OUT (64 quads x 16 bytes: the last digest word of each key, or 8 words for `full4`), KEYS
 * (64 quads x 16 words x 4 lanes: the raw key words, big-endian values, lane-interleaved), PREP (per
 * message block, 64 splatted K[i] + W[i]).
 */
import { createHash } from 'node:crypto';
import { BLOCK, hs256Confirms, innerBlocks, IV, K, prepareInnerMessage } from './sha256-common.js';

/** Keys per call into WebAssembly: 64 quads. */
export const SIMD_BATCH = 256;
const QUADS = SIMD_BATCH / 4;
const OUT = 0;
const KEYS = OUT + QUADS * 8 * 16;
const PREP = KEYS + QUADS * 16 * 16;

// ---- a minimal WebAssembly encoder ---------------------------------------------------------------

const I32 = 0x7f;
const V128 = 0x7b;

/**
 * Bytes appended in place: the generated function is about 40 KB, and building it from small arrays
 * joined with spreads took half a second of garbage collection; this takes a few milliseconds.
 */
class Code {
  readonly bytes: number[] = [];

  raw(...values: number[]): this {
    for (const value of values) this.bytes.push(value);
    return this;
  }

  uleb(value: number): this {
    do {
      let byte = value & 0x7f;
      value >>>= 7;
      if (value !== 0) byte |= 0x80;
      this.bytes.push(byte);
    } while (value !== 0);
    return this;
  }

  sleb(value: number): this {
    for (;;) {
      const byte = value & 0x7f;
      value >>= 7;
      if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
        this.bytes.push(byte);
        return this;
      }
      this.bytes.push(byte | 0x80);
    }
  }

  append(other: Code): this {
    for (const byte of other.bytes) this.bytes.push(byte);
    return this;
  }

  // control and scalar instructions
  block = () => this.raw(0x02, 0x40);
  loop = () => this.raw(0x03, 0x40);
  end = () => this.raw(0x0b);
  br = (depth: number) => this.raw(0x0c).uleb(depth);
  brIf = (depth: number) => this.raw(0x0d).uleb(depth);
  get = (local: number) => this.raw(0x20).uleb(local);
  set = (local: number) => this.raw(0x21).uleb(local);
  i32 = (value: number) => this.raw(0x41).sleb(value | 0);
  i32Add = () => this.raw(0x6a);
  i32Sub = () => this.raw(0x6b);
  i32Eqz = () => this.raw(0x45);
  i32GeU = () => this.raw(0x4f);

  // SIMD (0xfd prefix)
  private simd = (op: number) => this.raw(0xfd).uleb(op);
  load = (offset: number) => this.simd(0x00).raw(4).uleb(offset);
  store = (offset: number) => this.simd(0x0b).raw(4).uleb(offset);
  /** v128.const with the same 32-bit value in the four lanes. */
  splat = (value: number) => {
    this.simd(0x0c);
    for (let lane = 0; lane < 4; lane++) this.raw(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
    return this;
  };
  and = () => this.simd(0x4e);
  or = () => this.simd(0x50);
  xor = () => this.simd(0x51);
  bitselect = () => this.simd(0x52);
  shl = () => this.simd(0xab);
  shrU = () => this.simd(0xad);
  add = () => this.simd(0xae);

  /** Pushes rotr(local, n). */
  rotr = (local: number, n: number) => this.get(local).i32(n).shrU().get(local).i32(32 - n).shl().or();
}

/** Locals of the generated function: the two parameters, i32 scratch, then v128. */
const L = { blocks: 0, quads: 1, q: 2, keys: 3, out: 4, n: 5, ptr: 6 };
const I32_LOCALS = 5;
const STATE = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const V_NAMES = [
  ...STATE,
  ...Array.from({ length: 16 }, (_, i) => `w${i}`),
  ...Array.from({ length: 8 }, (_, i) => `s${i}`),
  ...Array.from({ length: 8 }, (_, i) => `o${i}`),
  't',
];
const V = (name: string): number => 2 + I32_LOCALS + V_NAMES.indexOf(name);
const W = (j: number) => V(`w${j % 16}`);

/** The variable holding role r (0 = a ... 7 = h) at round i: renamed, not moved (see sha256-hmac.ts). */
const role = (r: number, i: number) => V(STATE[(r - (i % 8) + 8) % 8]);

/** One round; `kw` pushes K[i] + W[i]. `eOnly`: just the new e (the last round before the comparison). */
function round(c: Code, i: number, kw: () => void, eOnly = false): void {
  const [a, b, cc, d, e, f, g, h] = [0, 1, 2, 3, 4, 5, 6, 7].map((r) => role(r, i));
  const t = V('t');
  c.get(h);
  c.rotr(e, 6).rotr(e, 11).xor().rotr(e, 25).xor().add();
  c.get(f).get(g).get(e).bitselect().add(); // Ch(e, f, g)
  kw();
  c.add().set(t);
  c.get(d).get(t).add().set(d);
  if (eOnly) return;
  c.get(t);
  c.rotr(a, 2).rotr(a, 13).xor().rotr(a, 22).xor().add();
  c.get(cc).get(a).get(a).get(b).xor().bitselect().add(); // Maj(a, b, c)
  c.set(h);
}

/** W[i] for i >= 16 into the rolling local w(i % 16). */
function schedule(c: Code, i: number): void {
  const x = W(i - 15);
  const y = W(i - 2);
  c.rotr(y, 17).rotr(y, 19).xor().get(y).i32(10).shrU().xor();
  c.get(W(i - 7)).add();
  c.rotr(x, 7).rotr(x, 18).xor().get(x).i32(3).shrU().xor().add();
  c.get(W(i - 16)).add().set(W(i));
}

function copyState(c: Code, to: string): void {
  STATE.forEach((name, r) => c.get(V(name)).set(V(`${to}${r}`)));
}

/** a..h = compress(IV, key words ^ pad), the words loaded from KEYS + `keys`. */
function keyBlock(c: Code, pad: number): void {
  STATE.forEach((name, r) => c.splat(IV[r]).set(V(name)));
  for (let j = 0; j < 16; j++) c.get(L.keys).load(KEYS + j * 16).splat(pad).xor().set(W(j));
  for (let i = 0; i < 64; i++) {
    if (i >= 16) schedule(c, i);
    round(c, i, () => c.splat(K[i]).get(W(i)).add());
  }
  STATE.forEach((name, r) => c.get(V(name)).splat(IV[r]).add().set(V(name)));
}

/** a..h through the message blocks: `blocks` of them at PREP (K + W splatted). */
function messageBlocks(c: Code): void {
  c.get(L.blocks).set(L.n).i32(PREP).set(L.ptr);
  c.block().loop().get(L.n).i32Eqz().brIf(1);
  copyState(c, 's');
  for (let i = 0; i < 64; i++) round(c, i, () => c.get(L.ptr).load(i * 16));
  STATE.forEach((name, r) => c.get(V(name)).get(V(`s${r}`)).add().set(V(name)));
  c.get(L.ptr).i32(64 * 16).i32Add().set(L.ptr);
  c.get(L.n).i32(1).i32Sub().set(L.n).br(0).end().end();
}

/** The inner digest into a..h and the outer state (after the opad block) into o0..o7, for the keys at `keys`. */
function innerAndOuter(c: Code): void {
  keyBlock(c, 0x36363636);
  copyState(c, 's');
  keyBlock(c, 0x5c5c5c5c);
  copyState(c, 'o');
  STATE.forEach((name, r) => c.get(V(`s${r}`)).set(V(name)));
  messageBlocks(c);
}

/**
 * The outer block: w0..7 = the inner digest (a..h), w8..15 = 0x80000000, 0 x 6, 768 (bit length of
 * 64 + 32 bytes); state from o0..o7. `rounds` 61: stop where h64 is known; 64: the whole digest.
 */
function outerBlock(c: Code, rounds: number): void {
  const constant = [0x80000000 | 0, 0, 0, 0, 0, 0, 0, 768];
  STATE.forEach((name, r) => c.get(V(name)).set(W(r)));
  for (let j = 8; j < 16; j++) c.splat(constant[j - 8]).set(W(j));
  STATE.forEach((name, r) => c.get(V(`o${r}`)).set(V(name)));
  for (let i = 0; i < rounds; i++) {
    if (i >= 16) schedule(c, i);
    const kw = i >= 8 && i < 16 ? () => c.splat((K[i] + constant[i - 8]) | 0) : () => c.splat(K[i]).get(W(i)).add();
    round(c, i, kw, rounds === 61 && i === 60);
  }
}

/** last4(blocks, quads): for each quad, the digest's last word of its 4 keys, at OUT + 16 q. */
function last4Body(c: Code): void {
  c.i32(0).set(L.q).i32(0).set(L.keys).i32(OUT).set(L.out);
  c.block().loop().get(L.q).get(L.quads).i32GeU().brIf(1);
  innerAndOuter(c);
  outerBlock(c, 61);
  // h64 = e61: after round index 60 it is in the variable that held d in that round.
  c.get(L.out).get(V('o7')).get(role(3, 60)).add().store(0);
  c.get(L.keys).i32(16 * 16).i32Add().set(L.keys);
  c.get(L.out).i32(16).i32Add().set(L.out);
  c.get(L.q).i32(1).i32Add().set(L.q).br(0).end().end();
}

/** full4(blocks, _): the whole digest of the first quad's 4 keys, word r of lane l at OUT + 16 r + 4 l. For tests. */
function full4Body(c: Code): void {
  c.i32(0).set(L.keys);
  innerAndOuter(c);
  outerBlock(c, 64);
  STATE.forEach((_, r) => c.i32(OUT).get(V(`o${r}`)).get(role(r, 64)).add().store(r * 16));
}

/** A module of one function (i32, i32) -> () exported as `name`, and its memory. */
function assemble(name: 'last4' | 'full4'): Uint8Array<ArrayBuffer> {
  const body = new Code().uleb(2).uleb(I32_LOCALS).raw(I32).uleb(V_NAMES.length).raw(V128);
  (name === 'last4' ? last4Body : full4Body)(body);
  body.end();
  const section = (module: Code, id: number, content: Code) => module.raw(id).uleb(content.bytes.length).append(content);
  const text = (code: Code, value: string) => code.uleb(value.length).raw(...Buffer.from(value, 'utf8'));
  const module = new Code().raw(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  section(module, 1, new Code().uleb(1).raw(0x60).uleb(2).raw(I32, I32).uleb(0)); // type (i32, i32) -> ()
  section(module, 3, new Code().uleb(1).uleb(0)); // one function of that type
  section(module, 5, new Code().uleb(1).raw(0x00).uleb(1)); // one memory, 1 page to start
  const exports = new Code().uleb(2);
  text(exports, name).raw(0x00).uleb(0);
  text(exports, 'memory').raw(0x02).uleb(0);
  section(module, 7, exports);
  section(module, 10, new Code().uleb(1).uleb(body.bytes.length).append(body));
  return Uint8Array.from(module.bytes);
}

const compiled = new Map<string, WebAssembly.Module | null>();

/** The compiled module, or null where WebAssembly SIMD is not available (then use sha256-hmac.ts). */
function simdModule(name: 'last4' | 'full4'): WebAssembly.Module | null {
  if (!compiled.has(name)) {
    let module: WebAssembly.Module | null = null;
    try {
      const bytes = assemble(name);
      if (WebAssembly.validate(bytes)) module = new WebAssembly.Module(bytes);
    } catch {
      module = null;
    }
    compiled.set(name, module);
  }
  return compiled.get(name) ?? null;
}

export function simdAvailable(): boolean {
  return simdModule('last4') !== null;
}

interface Exports {
  last4: (blocks: number, quads: number) => void;
  memory: WebAssembly.Memory;
}

// ---- the matcher ---------------------------------------------------------------------------------

/**
 * Collects up to SIMD_BATCH keys (`add`), then hashes them four at a time (`flush`). Keys are copied
 * in as words, so the caller's buffer may change after `add` (a mask's key buffer does).
 */
export class Hs256SimdBatch {
  private readonly exports: Exports;
  private readonly blocks: number;
  private readonly lastWord: number;
  private readonly words: Int32Array;
  private readonly lengths = new Int32Array(SIMD_BATCH);
  /** Index of a key longer than 64 bytes found by `add` (checked there, with node:crypto). */
  private longHit = -1;
  /** Keys longer than 64 bytes, by index: hashed before they are queued, so keyAt cannot rebuild them. */
  private readonly longKeys = new Map<number, Uint8Array>();
  count = 0;

  constructor(
    private readonly message: Uint8Array,
    private readonly signature: Uint8Array,
  ) {
    const module = simdModule('last4');
    if (!module) throw new Error('WebAssembly SIMD is not available');
    this.blocks = innerBlocks(message);
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
    const needed = PREP + this.blocks * 64 * 16;
    const { memory } = this.exports;
    if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    this.words = new Int32Array(memory.buffer);
    // K[i] + W[i] of the inner hash's message blocks, each splatted to four lanes.
    const prepared = prepareInnerMessage(message);
    for (let i = 0; i < prepared.length; i++) this.words.fill(prepared[i], (PREP >> 2) + i * 4, (PREP >> 2) + i * 4 + 4);
    this.lastWord = signature.length === 32 ? new DataView(signature.buffer, signature.byteOffset).getInt32(28) : 0;
  }

  /** Queues bytes[offset, offset + length); the caller flushes when `count` reaches SIMD_BATCH. */
  add(bytes: Uint8Array, offset: number, length: number): void {
    const index = this.count++;
    if (index === 0 && this.longKeys.size > 0) this.longKeys.clear();
    this.lengths[index] = length;
    if (length > BLOCK) {
      const key = bytes.slice(offset, offset + length);
      this.longKeys.set(index, key);
      if (this.longHit < 0 && this.confirm(key)) this.longHit = index;
      bytes = createHash('sha256').update(key).digest();
      offset = 0;
      length = 32;
    }
    // Word j of key `index` (quad index >> 2, lane index & 3) at KEYS / 4 + (index >> 2) * 64 + j * 4 + (index & 3).
    const words = this.words;
    let at = (KEYS >> 2) + (index >> 2) * 64 + (index & 3);
    const end = offset + length;
    let p = offset;
    for (; p + 4 <= end; p += 4, at += 4) words[at] = (bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3];
    let used = (p - offset) >> 2;
    if (p < end) {
      let word = 0;
      for (let q = 0; p + q < end; q++) word |= bytes[p + q] << (24 - 8 * q);
      words[at] = word;
      at += 4;
      used++;
    }
    for (; used < 16; used++, at += 4) words[at] = 0;
  }

  /**
   * Hashes the queued keys; returns the index of the first one (in `add` order) that made the
   * signature, confirmed with node:crypto, or -1. Empties the queue.
   */
  flush(): number {
    const count = this.count;
    if (count === 0) return -1;
    this.count = 0;
    const hit = this.longHit;
    this.longHit = -1;
    this.exports.last4(this.blocks, (count + 3) >> 2);
    const out = this.words;
    const target = this.lastWord;
    const last = hit < 0 ? count : hit;
    for (let index = 0; index < last; index++) {
      if (out[(OUT >> 2) + index] !== target || this.lengths[index] > BLOCK) continue;
      if (this.confirm(this.keyAt(index))) return index;
    }
    return hit;
  }

  /** The key queued at `index` in the last batch (valid until the next `add`). */
  keyAt(index: number): Uint8Array {
    const long = this.longKeys.get(index);
    if (long) return long;
    const key = new Uint8Array(this.lengths[index]);
    const base = (KEYS >> 2) + (index >> 2) * 64 + (index & 3);
    for (let i = 0; i < key.length; i++) key[i] = this.words[base + (i >> 2) * 4] >>> (24 - 8 * (i & 3));
    return key;
  }

  /** The full HMACs of up to four keys, through the same SIMD code as `flush` (for tests; not fast). */
  digests(keys: Uint8Array[]): Uint8Array[] {
    if (keys.length > 4) throw new Error('four keys at most');
    this.count = 0;
    this.longHit = -1;
    this.longKeys.clear();
    for (const key of keys) this.add(key, 0, key.length);
    this.count = 0;
    this.longHit = -1;
    // The same code with all 64 outer rounds, in a module of its own (so the hot one stays small),
    // run over a copy of this memory.
    const module = simdModule('full4');
    if (!module) throw new Error('WebAssembly SIMD is not available');
    const full = new WebAssembly.Instance(module, {}).exports as unknown as { full4: (blocks: number, unused: number) => void; memory: WebAssembly.Memory };
    const source = this.exports.memory.buffer;
    full.memory.grow(source.byteLength / 65536 - full.memory.buffer.byteLength / 65536);
    new Uint8Array(full.memory.buffer).set(new Uint8Array(source));
    full.full4(this.blocks, 0);
    const words = new Int32Array(full.memory.buffer);
    return keys.map((_, lane) => {
      const digest = new Uint8Array(32);
      const view = new DataView(digest.buffer);
      for (let r = 0; r < 8; r++) view.setInt32(r * 4, words[(OUT >> 2) + r * 4 + lane]);
      return digest;
    });
  }

  private confirm(key: Uint8Array): boolean {
    return hs256Confirms(key, this.message, this.signature);
  }
}
