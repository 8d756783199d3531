import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Hs256Matcher } from '../../src/tokens/sha256-hmac.js';
import { Hs256SimdBatch, SIMD_BATCH, simdAvailable } from '../../src/tokens/sha256-simd.js';

const hmac = (key: Uint8Array, message: Uint8Array) => new Uint8Array(createHmac('sha256', key).update(message).digest());

// Key lengths 0..200 (a block is 64 bytes: longer keys are hashed first); message lengths around the
// padding boundaries, so the inner hash has 1 to 5 blocks after the key block.
const KEY_LENGTHS = Array.from({ length: 201 }, (_, length) => length);
const MESSAGE_LENGTHS = [0, 1, 31, 54, 55, 56, 63, 64, 65, 100, 118, 119, 120, 128, 183, 184, 200, 247, 248, 255];

describe('Hs256Matcher (scalar JavaScript HMAC-SHA-256)', () => {
  it('gives the same HMAC as node:crypto for keys of 0..200 bytes and messages of 1 to 5 blocks', () => {
    for (const messageLength of MESSAGE_LENGTHS) {
      const message = randomBytes(messageLength);
      const matcher = new Hs256Matcher(message, new Uint8Array(32));
      for (const keyLength of KEY_LENGTHS) {
        const key = randomBytes(keyLength);
        expect(Buffer.from(matcher.digest(key)).toString('hex'), `key ${keyLength} B, message ${messageLength} B`).toBe(Buffer.from(hmac(key, message)).toString('hex'));
      }
    }
  });

  it('matches the key in place in a larger buffer, and nothing else', () => {
    for (const messageLength of [1, 111, 239]) {
      const message = randomBytes(messageLength);
      for (const keyLength of [0, 1, 5, 16, 63, 64, 65, 100]) {
        const key = randomBytes(keyLength);
        // HMAC pads short keys with zeros, so a key ending in 0x00 equals the key without it; and the
        // byte before the key must differ from its first byte, or the shifted window is the same key.
        if (keyLength > 0) key[keyLength - 1] |= 1;
        const matcher = new Hs256Matcher(message, hmac(key, message));
        const buffer = Buffer.concat([randomBytes(7), key, randomBytes(9)]);
        if (keyLength > 0) buffer[6] = key[0] ^ 0xff;
        expect(matcher.matches(buffer, 7, keyLength)).toBe(true);
        if (keyLength === 0) continue; // the empty key is the empty key wherever it starts
        expect(matcher.matches(buffer, 6, keyLength)).toBe(false);
        expect(matcher.matches(buffer, 7, keyLength - 1)).toBe(false);
      }
    }
  });

  it('does not believe a match of the compared word alone (it confirms with node:crypto)', () => {
    const message = Buffer.from('eyJhbGciOiJIUzI1NiJ9.e30');
    const key = Buffer.from('password');
    const forged = hmac(key, message);
    forged[0] ^= 0xff; // the last word still matches: only the full check can tell
    expect(new Hs256Matcher(message, forged).matches(key, 0, key.length)).toBe(false);
  });
});

describe.runIf(simdAvailable())('Hs256SimdBatch (WebAssembly SIMD, four keys at a time)', () => {
  it('gives the same HMAC as node:crypto in every lane, for keys of 0..200 bytes and messages of 1 to 5 blocks', () => {
    for (const messageLength of MESSAGE_LENGTHS) {
      const message = randomBytes(messageLength);
      const batch = new Hs256SimdBatch(message, new Uint8Array(32));
      for (let keyLength = 0; keyLength <= 200; keyLength += 4) {
        const keys = [0, 1, 2, 3].map((lane) => randomBytes(Math.min(200, keyLength + lane)));
        const digests = batch.digests(keys);
        keys.forEach((key, lane) => {
          expect(Buffer.from(digests[lane]).toString('hex'), `key ${key.length} B, message ${messageLength} B`).toBe(Buffer.from(hmac(key, message)).toString('hex'));
        });
      }
    }
  });

  it('finds the key among a full batch, in any lane, and reports the first of its position', () => {
    const message = Buffer.from('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ');
    for (const position of [0, 1, 2, 3, 5, 130, SIMD_BATCH - 1]) {
      const keys = Array.from({ length: SIMD_BATCH }, (_, i) => Buffer.from(`candidate-${i}`));
      const batch = new Hs256SimdBatch(message, hmac(keys[position], message));
      for (const key of keys) batch.add(key, 0, key.length);
      expect(batch.flush()).toBe(position);
      expect(Buffer.from(batch.keyAt(position)).toString()).toBe(`candidate-${position}`);
    }
  });

  it('handles a partial batch, keys longer than a block, and reuse after a flush', () => {
    const message = randomBytes(150);
    const long = randomBytes(90);
    const batch = new Hs256SimdBatch(message, hmac(long, message));
    for (const key of [Buffer.from('a'), Buffer.from(''), long, Buffer.from('b')]) batch.add(key, 0, key.length);
    expect(batch.flush()).toBe(2);
    expect(Buffer.from(batch.keyAt(2)).equals(long)).toBe(true);
    batch.add(Buffer.from('zz'), 0, 2);
    expect(batch.flush()).toBe(-1);
    batch.add(Buffer.concat([Buffer.from('xx'), long]), 2, long.length);
    expect(batch.flush()).toBe(0);
  });

  it('does not believe a match of the compared word alone', () => {
    const message = Buffer.from('eyJhbGciOiJIUzI1NiJ9.e30');
    const forged = hmac(Buffer.from('password'), message);
    forged[5] ^= 0x01;
    const batch = new Hs256SimdBatch(message, forged);
    batch.add(Buffer.from('password'), 0, 8);
    expect(batch.flush()).toBe(-1);
  });
});
