/**
 * `token verify --batch FILE|-`: stream the lines, judge them in chunks, write one JSON line per token
 * in input order, then a final `{"summary":{...}}` line. Large inputs are judged on worker threads
 * (one per core, started as soon as the input is known to be large: a file over 256 KiB, or a second
 * chunk on stdin); until a worker is ready the main thread judges chunks itself, so small inputs pay
 * no thread start-up and large ones lose no time to it. Denylist lookups stay in the main thread (one
 * pipelined EXISTS per chunk). Bounded memory: a few chunks in flight at most.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Denylist } from './denylist.js';
import { readLineChunks } from './line-chunks.js';
import { invalidLine, toWire, verifyChunk, type LineChunk, type PendingDenylist, type WireOutput, type WorkerInit } from './verify-lines.js';
import { createVerifier, type KeySource, type VerifyPolicy } from './verify.js';

/** A file this large goes to worker threads from the start. */
const POOL_FILE_BYTES = 256 * 1024;

export interface BatchSummary {
  lines: number;
  tokens: number;
  valid: number;
  invalid: number;
  /** Non-blank lines without a JWT (each also reported as an invalid line). */
  noToken: number;
  /** Of the invalid tokens: those whose jti is on the denylist. */
  revoked?: number;
}

export interface VerifyBatchOptions {
  /** A file, or "-" for stdin. */
  file: string;
  source: KeySource;
  policy: VerifyPolicy;
  denylist?: Denylist;
  /** Where the JSON lines go; must respect back-pressure. */
  write: (text: string) => Promise<void>;
  /** Worker threads; default: one per core (0: all in the main thread). */
  threads?: number;
  /** Input stream for "-" (tests); default process.stdin. */
  stdin?: NodeJS.ReadableStream;
}

const WORKER_FILE = fileURLToPath(new URL('./verify-worker.js', import.meta.url));

class Pool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly isReady: boolean[] = [];
  /** Workers that have built their verifier and can take chunks. */
  ready = 0;
  private readonly waiting = new Map<number, { resolve: (output: WireOutput) => void; reject: (error: unknown) => void; worker: number }>();
  private nextId = 0;
  private failure: unknown;

  constructor(count: number, init: WorkerInit) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(WORKER_FILE, { workerData: init });
      worker.on('message', (message: { id: number; ready?: boolean; output?: WireOutput; error?: string }) => {
        if (message.ready) {
          this.isReady[i] = true;
          this.ready++;
          return;
        }
        const job = this.waiting.get(message.id);
        if (!job) return;
        this.waiting.delete(message.id);
        this.load[job.worker]--;
        if (message.error !== undefined) job.reject(new Error(message.error));
        else job.resolve(message.output!);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`verify worker exited with code ${code}`));
      });
      this.workers.push(worker);
      this.load.push(0);
      this.isReady.push(false);
    }
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const job of this.waiting.values()) job.reject(error);
    this.waiting.clear();
  }

  run(chunk: LineChunk): Promise<WireOutput> {
    if (this.failure) return Promise.reject(this.failure);
    let index = -1;
    for (let i = 0; i < this.workers.length; i++) if (this.isReady[i] && (index < 0 || this.load[i] < this.load[index])) index = i;
    if (index < 0) return Promise.reject(new Error('no verify worker is ready'));
    const id = this.nextId++;
    this.load[index]++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, worker: index });
      this.workers[index].postMessage({ id, chunk });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // readLineChunks reports the error
  }
}

export function defaultThreads(): number {
  return existsSync(WORKER_FILE) ? Math.min(8, availableParallelism()) : 0;
}

export async function verifyBatch(options: VerifyBatchOptions): Promise<BatchSummary> {
  const sourcePrefix = options.file === '-' ? 'stdin' : options.file;
  const threads = existsSync(WORKER_FILE) ? (options.threads ?? defaultThreads()) : 0;
  const verifier = createVerifier(options.source, options.policy);
  const summary: BatchSummary = { lines: 0, tokens: 0, valid: 0, invalid: 0, noToken: 0, ...(options.denylist ? { revoked: 0 } : {}) };
  const init: WorkerInit = { source: options.source, policy: options.policy, sourcePrefix, denylist: options.denylist !== undefined };
  let pool: Pool | undefined;
  const inFlight: Array<Promise<WireOutput>> = [];
  // Every promise gets a handler at once: a chunk that fails while an earlier one is awaited must not
  // surface as an unhandled rejection; its error is rethrown in order by `emit`.
  const track = (promise: Promise<WireOutput>) => {
    promise.catch(() => {});
    inFlight.push(promise);
  };

  const emit = async (output: WireOutput) => {
    summary.tokens += output.tokens;
    summary.noToken += output.noToken;
    let { valid, invalid } = output;
    let text = output.text;
    if (output.lines) {
      const lines = output.lines;
      if (options.denylist && output.denylist && output.denylist.length > 0) {
        const toCheck = output.denylist.filter((entry) => entry.problem === undefined);
        const verdicts = await options.denylist.check(toCheck);
        const invalidate = (entry: PendingDenylist, reason: string) => {
          lines[entry.index] = invalidLine(entry.source, reason);
          valid--;
          invalid++;
        };
        toCheck.forEach((entry, i) => {
          const verdict = verdicts[i];
          if (!verdict) return;
          invalidate(entry, verdict.reason);
          if (verdict.revoked) summary.revoked!++;
        });
        for (const entry of output.denylist) if (entry.problem !== undefined) invalidate(entry, entry.problem);
      }
      text = lines.join('');
    }
    summary.valid += valid;
    summary.invalid += invalid;
    if (text) await options.write(text);
  };

  const maxInFlight = threads * 2 + 1;
  try {
    if (threads > 0 && options.file !== '-' && fileSize(options.file) > POOL_FILE_BYTES) pool = new Pool(threads, init);
    let chunks = 0;
    for await (const chunk of readLineChunks(options.file, options.stdin)) {
      summary.lines += chunk.lineCount;
      if (threads > 0 && chunks++ > 0) pool ??= new Pool(threads, init);
      if (pool && pool.ready > 0) track(pool.run({ firstLine: chunk.firstLine, lines: chunk.lines }));
      else track(verifyChunk(verifier, chunk, sourcePrefix, options.denylist !== undefined).then(toWire));
      // In order, and never more than a few chunks held: the oldest is written first.
      while (inFlight.length >= maxInFlight || (inFlight.length > 0 && !pool)) await emit(await inFlight.shift()!);
    }
    while (inFlight.length > 0) await emit(await inFlight.shift()!);
  } finally {
    await pool?.close();
  }
  return summary;
}
