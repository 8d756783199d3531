/**
 * HMAC-SHA-256 (RFC 2104, FIPS 180-4) in plain JavaScript, specialised for trying many keys against
 * one message: the inner loop of `token crack` on HS256 tokens where WebAssembly SIMD is missing
 * (sha256-simd.ts does the same four keys at a time, about 2.5 times as fast; this one is also what
 * SESSION_AUDIT_CRACK_SCALAR=1 selects, for comparison).
 *
 * Why not node:crypto: a JWT secret is short and so is header.payload, so one HMAC is 4 to 6 SHA-256
 * block compressions, well under a microsecond of work; createHmac (object, key setup, update, digest,
 * a Buffer per call) costs about 3 µs per call and even the one-shot crypto.hash about 2 µs. That
 * per-call overhead, not the hashing, is the limit (0.35 M keys/s per core with createHmac here). The
 * JIT-compiled code below runs 2 to 2.5 times as fast because it does only what changes per key:
 *
 * - HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)). The inner hash's blocks after the key block
 *   depend only on m = header.payload, which is the same for every candidate: their message schedule
 *   (W[0..63], with the round constants already added) is computed once, in the constructor.
 * - The outer hash is one block whose last 8 words are constant (padding and length): inlined.
 * - Only the last 32-bit word of the digest is compared, and that word is final after round 61 of 64
 *   (h64 = e61), so the last three rounds are skipped. A match of that word (one chance in 2^32 for a
 *   wrong key) is confirmed with node:crypto's createHmac before it is believed.
 * - No allocation per key: the key bytes are read in place from the batch buffer.
 * - The 64 rounds are unrolled with the working variables renamed instead of shifted, and the message
 *   schedule is kept in 16 rolling locals. Written out by hand that is a thousand lines nobody could
 *   review, so the code is generated once, at load, from the one-round template below (only
 *   constants go into it, never input).
 *
 * Keys longer than the 64-byte block are hashed first, as RFC 2104 says (rare in a wordlist: done
 * with node:crypto). HS384 and HS512 use node:crypto's createHmac directly (see crack-worker.ts):
 * SHA-512 works on 64-bit words, which JavaScript has no fast type for.
 *
 * Measured on the 2-core machine (one thread, jwt.io-sized token): createHmac 0.35-0.37 M keys/s,
 * this 0.75-0.85 M/s, the SIMD one about 2 M/s.
 */
import { createHash } from 'node:crypto';
import { BLOCK, hs256Confirms, innerBlocks, IV, K, prepareInnerMessage } from './sha256-common.js';

// ---- code generation -------------------------------------------------------------------------

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

/**
 * One round, with the working variables renamed rather than moved: after round i the variable that
 * held h holds the new a, and the one that held d the new e. `w` is the expression for K[i] + W[i].
 * `eOnly`: compute just the new e (the last round before the early comparison).
 */
function round(i: number, w: string, eOnly = false): string {
  const [a, b, c, d, e, f, g, h] = NAMES.map((_, k) => NAMES[(k - (i % 8) + 8) % 8]);
  const t1 = `t = (${h} + (((${e} >>> 6) | (${e} << 26)) ^ ((${e} >>> 11) | (${e} << 21)) ^ ((${e} >>> 25) | (${e} << 7))) + (${g} ^ (${e} & (${f} ^ ${g}))) + ${w}) | 0;\n`;
  if (eOnly) return `${t1}${d} = (${d} + t) | 0;\n`;
  return (
    `${t1}${d} = (${d} + t) | 0;\n` +
    `${h} = (t + (((${a} >>> 2) | (${a} << 30)) ^ ((${a} >>> 13) | (${a} << 19)) ^ ((${a} >>> 22) | (${a} << 10))) + ((${a} & ${b}) | (${c} & (${a} | ${b})))) | 0;\n`
  );
}

/** The variable holding a given role (0 = a ... 7 = h) after `rounds` rounds. */
function roleAfter(role: number, rounds: number): string {
  return NAMES[(role - (rounds % 8) + 8) % 8];
}

/** W[i] for i >= 16, computed into the rolling local w(i % 16). */
function schedule(i: number, word: (j: number) => string): string {
  const x = word(i - 15);
  const y = word(i - 2);
  return (
    `x = ${x}; y = ${y};\n` +
    `w${i % 16} = ((((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + ${word(i - 7)} + ` +
    `(((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + ${word(i - 16)}) | 0;\n`
  );
}

const LOAD_STATE = 'let a = from[0], b = from[1], c = from[2], d = from[3], e = from[4], f = from[5], g = from[6], h = from[7], t = 0, x = 0, y = 0;\n';

function storeState(rounds: number): string {
  return NAMES.map((_, role) => `to[${role}] = (from[${role}] + ${roleAfter(role, rounds)}) | 0;\n`).join('');
}

/** to = compress(from, w[0..15]): a full block with its message schedule. `to` may be `from`. */
type CompressBlock = (from: Int32Array, to: Int32Array, w: Int32Array) => void;
/** state = compress(state, block) for a block whose K[i] + W[i] are precomputed at kw[offset + i]. */
type CompressPrepared = (state: Int32Array, kw: Int32Array, offset: number) => void;
/** The last word of compress(from, inner[0..7] || padding of a 96-byte message), after 61 rounds. */
type OuterLastWord = (from: Int32Array, inner: Int32Array) => number;

function generateCompressBlock(): CompressBlock {
  let body = LOAD_STATE;
  for (let j = 0; j < 16; j++) body += `let w${j} = w[${j}];\n`;
  for (let i = 0; i < 64; i++) {
    if (i >= 16) body += schedule(i, (j) => `w${j % 16}`);
    body += round(i, `${K[i]} + w${i % 16}`);
  }
  body += storeState(64);
  return new Function('from', 'to', 'w', body) as CompressBlock;
}

function generateCompressPrepared(): CompressPrepared {
  let body = 'const from = state, to = state;\n' + LOAD_STATE;
  for (let i = 0; i < 64; i++) body += round(i, `kw[offset + ${i}]`);
  body += storeState(64);
  return new Function('state', 'kw', 'offset', body) as CompressPrepared;
}

/**
 * The outer block is the 32-byte inner digest, then 0x80, zeros and the bit length (64 + 32) * 8 = 768:
 * words 8..15 are constants, folded into the code. Stops after round 61, where the last word of the
 * result is already known: h64 = g63 = f62 = e61.
 */
function generateOuterLastWord(): OuterLastWord {
  const constant = [0x80000000 | 0, 0, 0, 0, 0, 0, 0, 768];
  let body = 'const w = inner;\n' + LOAD_STATE;
  for (let j = 0; j < 8; j++) body += `let w${j} = w[${j}];\n`;
  for (let j = 8; j < 16; j++) body += `let w${j} = ${constant[j - 8]};\n`;
  const ROUNDS = 61;
  for (let i = 0; i < ROUNDS; i++) {
    if (i >= 16) body += schedule(i, (j) => `w${j % 16}`);
    body += round(i, i < 8 || i >= 16 ? `${K[i]} + w${i % 16}` : `${(K[i] + constant[i - 8]) | 0}`, i === ROUNDS - 1);
  }
  // After round index 60 (the 61st round) the new e is in the variable that held d for that round.
  body += `return (from[7] + ${roleAfter(4, ROUNDS)}) | 0;\n`;
  return new Function('from', 'inner', body) as OuterLastWord;
}

const compressBlock = generateCompressBlock();
const compressPrepared = generateCompressPrepared();
const outerLastWord = generateOuterLastWord();

// ---- the matcher ---------------------------------------------------------------------------------

function readWordBE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
}

/**
 * Tries HMAC-SHA-256 keys against one signing input and signature. Reuse one instance per thread:
 * `matches` allocates nothing.
 */
export class Hs256Matcher {
  /** K[i] + W[i] of each block of the inner hash after the key block (header.payload, then padding). */
  private readonly prepared: Int32Array;
  private readonly blocks: number;
  private readonly lastWord: number;
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly ipad = new Int32Array(16);
  private readonly opad = new Int32Array(16);

  constructor(
    private readonly message: Uint8Array,
    private readonly signature: Uint8Array,
  ) {
    this.blocks = innerBlocks(message);
    this.prepared = prepareInnerMessage(message);
    this.lastWord = signature.length === 32 ? readWordBE(signature, 28) : 0;
  }

  /** Whether bytes[offset, offset + length) is the key that made the signature (confirmed with node:crypto). */
  matches(bytes: Uint8Array, offset: number, length: number): boolean {
    if (this.signature.length !== 32) return false;
    if (length > BLOCK) return this.confirm(bytes.subarray(offset, offset + length));
    this.innerAndOuterStates(bytes, offset, length);
    if (outerLastWord(this.outer, this.inner) !== this.lastWord) return false;
    return this.confirm(bytes.subarray(offset, offset + length));
  }

  /** The full HMAC, through the same code as `matches` (for tests; not fast). */
  digest(key: Uint8Array): Uint8Array {
    if (key.length > BLOCK) key = createHash('sha256').update(key).digest();
    this.innerAndOuterStates(key, 0, key.length);
    const w = new Int32Array(16);
    w.set(this.inner);
    w[8] = 0x80000000 | 0;
    w[15] = (BLOCK + 32) * 8;
    compressBlock(this.outer, this.outer, w);
    const out = new Uint8Array(32);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) view.setInt32(i * 4, this.outer[i]);
    return out;
  }

  /** inner = state after the ipad block and the message; outer = state after the opad block. Key <= 64 bytes. */
  private innerAndOuterStates(bytes: Uint8Array, offset: number, length: number): void {
    const { ipad, opad } = this;
    const end = offset + length;
    for (let i = 0, p = offset; i < 16; i++, p += 4) {
      let word = 0;
      if (p + 4 <= end) word = (bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3];
      else if (p < end) for (let q = 0; p + q < end; q++) word |= bytes[p + q] << (24 - 8 * q);
      ipad[i] = word ^ 0x36363636;
      opad[i] = word ^ 0x5c5c5c5c;
    }
    compressBlock(IV, this.inner, ipad);
    compressBlock(IV, this.outer, opad);
    for (let block = 0; block < this.blocks; block++) compressPrepared(this.inner, this.prepared, block * 64);
  }

  private confirm(key: Uint8Array): boolean {
    return hs256Confirms(key, this.message, this.signature);
  }
}
