/**
 * What the two fast HS256 key testers (sha256-hmac.ts in plain JavaScript, sha256-simd.ts in
 * WebAssembly) share: the SHA-256 constants, the message schedule of the inner hash's message blocks
 * (the same for every key, so worked out once per token), and the node:crypto check a candidate
 * must pass before it is believed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

export const IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

export const BLOCK = 64;

/** Blocks of the inner hash after the key block: the message, 0x80, zeros and the length in bits. */
export const innerBlocks = (message: Uint8Array) => Math.ceil((message.length + 9) / BLOCK);

/**
 * K[i] + W[i] for every round of every block of the inner hash after the key block (64 words a block).
 * The hash runs over the 64-byte key block and then the message, so the length counts the key block.
 */
export function prepareInnerMessage(message: Uint8Array): Int32Array {
  const blocks = innerBlocks(message);
  const padded = new Uint8Array(blocks * BLOCK);
  padded.set(message);
  padded[message.length] = 0x80;
  const bits = (BLOCK + message.length) * 8;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(padded.length - 4, bits >>> 0);
  const prepared = new Int32Array(blocks * 64);
  const w = new Int32Array(64);
  for (let block = 0; block < blocks; block++) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(block * BLOCK + i * 4);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (s1 + w[i - 7] + s0 + w[i - 16]) | 0;
    }
    for (let i = 0; i < 64; i++) prepared[block * 64 + i] = (K[i] + w[i]) | 0;
  }
  return prepared;
}

/** The real HMAC-SHA-256 of `message` under `key` equals `signature` (node:crypto, constant time). */
export function hs256Confirms(key: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const mac = createHmac('sha256', key).update(message).digest();
  return mac.length === signature.length && timingSafeEqual(mac, signature);
}
