/**
 * One `token crack` worker thread: tries the candidates of each job it is sent against the token and
 * answers with how many it tried and, on a hit, the key. Jobs:
 *
 * - keys: candidates packed into one buffer with offsets (the built-in list; it holds the empty key);
 * - lines: a wordlist chunk of whole lines, split here (see wordlist.ts);
 * - mask: candidates start .. start+count-1 of one of the masks given at start-up.
 *
 * HS256 goes through the WebAssembly SIMD HMAC of sha256-simd.ts, four keys per instruction, in batches
 * of 256 keys (or, where WebAssembly SIMD is missing, the scalar JavaScript one of sha256-hmac.ts);
 * HS384 and HS512 through node:crypto's createHmac: SHA-512 works on 64-bit words, which neither
 * JavaScript nor 128-bit WebAssembly SIMD (two lanes) does fast enough to beat it by much.
 *
 * Progress: the worker adds the candidates it has tried to its slot of a shared Float64Array every
 * batch, so the main thread can show a live count and, when a hit stops everyone, count what the
 * stopped workers had done (an aligned 8-byte store is atomic on the platforms Node runs on; a torn
 * read could only misprint one progress line).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { candidateAt, nextCandidate } from './mask.js';
import { Hs256Matcher } from './sha256-hmac.js';
import { Hs256SimdBatch, SIMD_BATCH, simdAvailable } from './sha256-simd.js';
import { forEachLine } from './wordlist.js';

export type HmacAlg = 'HS256' | 'HS384' | 'HS512';

export interface CrackWorkerData {
  alg: HmacAlg;
  /** header.payload, as ASCII bytes. */
  message: Uint8Array;
  signature: Uint8Array;
  /** The positions of each mask (see mask.ts), referred to by index in mask jobs. */
  masks: Uint8Array[][];
  /** One slot per worker (over a SharedArrayBuffer): candidates tried so far. */
  progress: Float64Array;
  /** This worker's slot. */
  index: number;
  /** Use the scalar JavaScript HS256 even where WebAssembly SIMD works (tests, benchmarks). */
  scalar?: boolean;
}

export type CrackJob =
  | { id: number; kind: 'keys'; bytes: Uint8Array; offsets: Uint32Array }
  /** Whole lines in bytes[0, length); the buffer goes back to the main thread with the answer. */
  | { id: number; kind: 'lines'; bytes: Uint8Array; length: number }
  | { id: number; kind: 'mask'; mask: number; start: number; count: number };

export interface CrackReply {
  id: number;
  tried: number;
  /** The key that made the signature, when this job held it (tried then counts up to it). */
  found?: Uint8Array;
  /** A lines job's buffer, handed back (transferred) for the next chunk. */
  bytes?: Uint8Array;
}

/**
 * Tries keys handed to it one by one. `add` returns true when the signature is matched by one of the
 * keys added since the last hit check; `found` and `tried` then say which and how many up to it.
 * `finish` checks what is still queued.
 */
export interface Tester {
  add(bytes: Uint8Array, offset: number, length: number): boolean;
  finish(): boolean;
  found?: Uint8Array;
  /** Keys tried, up to the hit when there is one. */
  tried: number;
  reset(): void;
}

/** Candidates between two progress stores of the one-at-a-time testers. */
const PROGRESS_EVERY = 256;

class SimdTester implements Tester {
  found?: Uint8Array;
  tried = 0;
  private readonly batch: Hs256SimdBatch;

  constructor(
    message: Uint8Array,
    signature: Uint8Array,
    private readonly progress: (tried: number) => void,
  ) {
    this.batch = new Hs256SimdBatch(message, signature);
  }

  add(bytes: Uint8Array, offset: number, length: number): boolean {
    this.batch.add(bytes, offset, length);
    return this.batch.count === SIMD_BATCH && this.finish();
  }

  finish(): boolean {
    const count = this.batch.count;
    const hit = this.batch.flush();
    if (hit < 0) {
      this.tried += count;
      this.progress(count);
      return false;
    }
    this.found = this.batch.keyAt(hit).slice();
    this.tried += hit + 1;
    this.progress(hit + 1);
    return true;
  }

  reset(): void {
    this.found = undefined;
    this.tried = 0;
  }
}

class OneByOneTester implements Tester {
  found?: Uint8Array;
  tried = 0;
  private unreported = 0;

  constructor(
    private readonly matches: (bytes: Uint8Array, offset: number, length: number) => boolean,
    private readonly progress: (tried: number) => void,
  ) {}

  add(bytes: Uint8Array, offset: number, length: number): boolean {
    this.tried++;
    if (++this.unreported === PROGRESS_EVERY) this.finish();
    if (!this.matches(bytes, offset, length)) return false;
    this.found = bytes.slice(offset, offset + length);
    this.finish();
    return true;
  }

  finish(): boolean {
    this.progress(this.unreported);
    this.unreported = 0;
    return false;
  }

  reset(): void {
    this.found = undefined;
    this.tried = 0;
  }
}

export function testerFor(data: CrackWorkerData): Tester {
  const { alg, message, signature, progress, index } = data;
  const report = (tried: number) => {
    progress[index] += tried;
  };
  if (alg === 'HS256' && !data.scalar && simdAvailable()) return new SimdTester(message, signature, report);
  if (alg === 'HS256') {
    const matcher = new Hs256Matcher(message, signature);
    return new OneByOneTester((bytes, offset, length) => matcher.matches(bytes, offset, length), report);
  }
  const hash = alg === 'HS384' ? 'sha384' : 'sha512';
  const expected = Buffer.from(signature);
  return new OneByOneTester((bytes, offset, length) => {
    const mac = createHmac(hash, bytes.subarray(offset, offset + length)).update(message).digest();
    return mac.length === expected.length && timingSafeEqual(mac, expected);
  }, report);
}

export function runJob(job: CrackJob, tester: Tester, masks: Uint8Array[][]): CrackReply {
  tester.reset();
  let hit = false;
  if (job.kind === 'keys') {
    const { bytes, offsets } = job;
    for (let i = 0; i + 1 < offsets.length && !hit; i++) hit = tester.add(bytes, offsets[i], offsets[i + 1] - offsets[i]);
  } else if (job.kind === 'lines') {
    const { bytes } = job;
    forEachLine(bytes, job.length, (start, end) => tester.add(bytes, start, end - start));
  } else {
    const positions = masks[job.mask];
    const length = positions.length;
    const key = new Uint8Array(length);
    const digits = new Int32Array(length);
    candidateAt(positions, job.start, key, digits);
    for (let n = 0; n < job.count && !hit; n++) {
      hit = tester.add(key, 0, length);
      nextCandidate(positions, key, digits);
    }
  }
  if (!tester.found) tester.finish();
  return { id: job.id, tried: tester.tried, found: tester.found, ...(job.kind === 'lines' ? { bytes: job.bytes } : {}) };
}

if (parentPort) {
  const port = parentPort;
  const data = workerData as CrackWorkerData;
  const tester = testerFor(data);
  port.on('message', (job: CrackJob) => {
    const reply = runJob(job, tester, data.masks);
    port.postMessage(reply, reply.bytes ? [reply.bytes.buffer as ArrayBuffer] : []);
  });
}
