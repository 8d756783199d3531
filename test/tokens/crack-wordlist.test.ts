import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { runJob, testerFor, type CrackJob, type HmacAlg } from '../../src/tokens/crack-worker.js';
import { parseMask } from '../../src/tokens/mask.js';
import { bufferPool, forEachLine, readWordlist } from '../../src/tokens/wordlist.js';

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-wordlist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lines(text: string | Buffer): string[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const out: string[] = [];
  forEachLine(bytes, bytes.length, (start, end) => {
    out.push(bytes.subarray(start, end).toString());
    return false;
  });
  return out;
}

describe('forEachLine', () => {
  it('splits \\n and \\r\\n lines, keeps a last line without newline, skips empty lines', () => {
    expect(lines('one\ntwo\r\nthree')).toEqual(['one', 'two', 'three']);
    expect(lines('\n\r\none\n\n\r\ntwo\r\n')).toEqual(['one', 'two']);
    expect(lines('')).toEqual([]);
    expect(lines('a\rb\n')).toEqual(['a\rb']); // a lone \r inside a line is part of the word
    expect(lines(' spaced \n')).toEqual([' spaced ']);
  });

  it('stops when asked and says how many lines it visited', () => {
    const bytes = Buffer.from('a\nb\nc\n');
    expect(forEachLine(bytes, bytes.length, (start) => bytes[start] === 0x62)).toBe(2);
  });
});

async function readAll(file: string, chunkBytes: number): Promise<{ lines: string[]; chunks: number; buffers: number }> {
  const out: string[] = [];
  let chunks = 0;
  const pool = bufferPool(chunkBytes);
  const seen = new Set<ArrayBufferLike>();
  for await (const chunk of readWordlist(file, pool)) {
    chunks++;
    out.push(...lines(Buffer.from(chunk.bytes.subarray(0, chunk.length))));
    expect(chunk.bytes.byteOffset).toBe(0);
    expect(chunk.bytes.buffer.byteLength).toBe(chunk.bytes.length); // its own buffer: transferable alone
    seen.add(chunk.bytes.buffer);
    pool.give(chunk.bytes); // as a worker's answer does
  }
  return { lines: out, chunks, buffers: seen.size };
}

describe('readWordlist', () => {
  it('streams chunks that end on line boundaries, whatever the chunk size', async () => {
    const words = Array.from({ length: 5000 }, (_, i) => `word-${i}-${'x'.repeat(i % 37)}`);
    const file = path.join(dir, 'words.txt');
    writeFileSync(file, `\ufeff${words.join('\r\n')}`); // BOM, CRLF, no newline at the end
    for (const chunkBytes of [16, 1000, 65536, 1 << 20]) {
      const { lines: read, chunks, buffers } = await readAll(file, chunkBytes);
      expect(read).toEqual(words);
      if (chunkBytes === 1000) {
        expect(chunks).toBeGreaterThan(50);
        expect(buffers).toBe(1); // given back after each chunk, the one buffer is reused
      }
    }
  });

  it('says which file it cannot read', async () => {
    await expect(readAll(path.join(dir, 'missing.txt'), 1024)).rejects.toThrow(InputError);
    await expect(readAll(path.join(dir, 'missing.txt'), 1024)).rejects.toThrow(/cannot read the wordlist \(ENOENT\)/);
  });
});

describe('the worker loop (runJob), in this thread', () => {
  const message = Buffer.from('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0');

  function tester(alg: HmacAlg, secret: string, scalar = false) {
    const signature = createHmac(`sha${alg.slice(2)}`, secret).update(message).digest();
    const progress = new Float64Array(1);
    return { tester: testerFor({ alg, message, signature, masks: [parseMask('?l?l?d').positions], progress, index: 0, scalar }), progress };
  }

  for (const [alg, scalar] of [['HS256', false], ['HS256', true], ['HS384', false], ['HS512', false]] as const) {
    it(`${alg}${scalar ? ' (scalar)' : ''}: finds a key in lines, packed keys and masks, and counts what it tried`, () => {
      const words = Array.from({ length: 1000 }, (_, i) => `w${i}`);
      const bytes = new Uint8Array(Buffer.from(`${words.join('\r\n')}\n\nsecret-x\nafter\n`));
      const { tester: lineTester, progress } = tester(alg, 'secret-x', scalar);
      const lineReply = runJob({ id: 1, kind: 'lines', bytes, length: bytes.length } as CrackJob, lineTester, []);
      expect(Buffer.from(lineReply.found ?? []).toString()).toBe('secret-x');
      expect(lineReply.tried).toBe(1001);
      expect(progress[0]).toBe(1001);

      const missBytes = new Uint8Array(Buffer.from(`${words.join('\n')}\nsecret-x`));
      // Only bytes[0, length) count: the end of a reused buffer holds an older chunk's bytes.
      const missReply = runJob({ id: 2, kind: 'lines', bytes: missBytes, length: missBytes.length - 9 } as CrackJob, lineTester, []);
      expect(missReply).toMatchObject({ id: 2, tried: 1000, found: undefined });
      expect(missReply.bytes).toBe(missBytes);
      expect(progress[0]).toBe(2001);

      const { tester: keyTester } = tester(alg, '', scalar);
      const keys = [Buffer.from('a'), Buffer.from(''), Buffer.from('b')];
      const offsets = Uint32Array.from([0, 1, 1, 2]);
      const keyReply = runJob({ id: 3, kind: 'keys', bytes: new Uint8Array(Buffer.concat(keys)), offsets } as CrackJob, keyTester, []);
      expect(keyReply.found && Buffer.from(keyReply.found).toString()).toBe('');
      expect(keyReply.tried).toBe(2);

      const { tester: maskTester } = tester(alg, 'qz7', scalar);
      const masks = [parseMask('?l?l?d').positions];
      const index = (16 * 26 + 25) * 10 + 7; // q z 7
      const maskReply = runJob({ id: 4, kind: 'mask', mask: 0, start: index - 300, count: 1000 } as CrackJob, maskTester, masks);
      expect(Buffer.from(maskReply.found ?? []).toString()).toBe('qz7');
      expect(maskReply.tried).toBe(301);
    });
  }
});
