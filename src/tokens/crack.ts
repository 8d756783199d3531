/**
 * The `token crack` engine: a pool of worker threads (crack-worker.ts), fed with jobs phase by phase
 * (built-in list, each wordlist, each mask) by this thread, which does little else so the cores are
 * left to the hashing. At most two jobs are in flight per worker (one running, one queued so the
 * worker never waits for this thread), a wordlist is read only as fast as jobs are taken, and its
 * chunk buffers go round between this thread and the workers: memory stays flat whatever the list's
 * size (95 MB RSS for 1,000,000 lines and for 10,000,000 alike). The first hit stops every worker; so
 * does the abort signal (Ctrl-C).
 *
 * Jobs are handed out in order but run in parallel: with several threads, a later job (a longer mask,
 * the next chunk) can finish before an earlier one, and `tried` counts what was really tried.
 */
import { Worker } from 'node:worker_threads';
import { InternalError } from '../errors.js';
import type { CrackJob, CrackReply, CrackWorkerData, HmacAlg } from './crack-worker.js';
import type { Mask } from './mask.js';
import { bufferPool, readWordlist } from './wordlist.js';

/** Candidates per mask job: a few tenths of a second of one worker's time. */
const MASK_JOB = 1 << 17;
const JOBS_PER_WORKER = 2;

export type PhaseKind = 'built-in list' | 'wordlist' | 'mask';

export type CrackPhase =
  | { kind: 'built-in list'; label: string; keys: Uint8Array[] }
  | { kind: 'wordlist'; label: string; file: string; size?: number }
  | { kind: 'mask'; label: string; mask: Mask };

export interface CrackPlan {
  alg: HmacAlg;
  message: Uint8Array;
  signature: Uint8Array;
  phases: CrackPhase[];
  threads: number;
  signal?: AbortSignal;
  onProgress?: (progress: CrackProgress) => void;
}

export interface CrackProgress {
  phase: CrackPhase;
  /** Candidates tried, all phases. */
  tried: number;
  /** Of the current phase. */
  phaseTried: number;
  /** 0..1 through the current phase when its size is known (a wordlist from a file: by bytes read). */
  phaseFraction?: number;
  /** Seconds since the start of the current phase, and of the whole run. */
  phaseSeconds: number;
  seconds: number;
}

export interface CrackOutcome {
  found?: { key: Uint8Array; phase: CrackPhase };
  tried: number;
  seconds: number;
  interrupted: boolean;
  threads: number;
}

/** A job before it is given its id. */
type JobBody = CrackJob extends infer Job ? (Job extends CrackJob ? Omit<Job, 'id'> : never) : never;

interface Flight {
  phase: CrackPhase;
}

export async function crack(plan: CrackPlan): Promise<CrackOutcome> {
  const started = performance.now();
  const masks = plan.phases.flatMap((phase) => (phase.kind === 'mask' ? [phase.mask.positions] : []));
  const progress = new Float64Array(new SharedArrayBuffer(8 * plan.threads));
  // SESSION_AUDIT_CRACK_SCALAR=1: the scalar JavaScript HS256 instead of WebAssembly SIMD (tests, bench).
  const scalar = process.env.SESSION_AUDIT_CRACK_SCALAR === '1';
  const workers = Array.from({ length: plan.threads }, (_, index) => {
    const workerData: CrackWorkerData = { alg: plan.alg, message: plan.message, signature: plan.signature, masks, progress, index, scalar };
    return new Worker(new URL('./crack-worker.js', import.meta.url), { workerData });
  });
  const load = workers.map(() => 0);
  const inFlight = new Map<number, Flight>();
  // Wordlist chunk buffers go to a worker and come back with its answer: at most two per worker are out.
  const pool = bufferPool();
  let nextId = 0;
  /** Candidates tried by every worker: live, from the shared counters (each worker adds to its own slot). */
  const triedSoFar = () => progress.reduce((sum, count) => sum + count, 0);
  let found: CrackOutcome['found'];
  let failure: Error | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const worker of workers) void worker.terminate();
    notify();
  };

  const current = { phase: plan.phases[0], triedBefore: 0, fraction: undefined as number | undefined, started };
  const report = () => {
    const tried = triedSoFar();
    plan.onProgress?.({
      phase: current.phase,
      tried,
      phaseTried: tried - current.triedBefore,
      phaseFraction: current.fraction,
      phaseSeconds: (performance.now() - current.started) / 1000,
      seconds: (performance.now() - started) / 1000,
    });
  };

  workers.forEach((worker, index) => {
    worker.on('message', (reply: CrackReply) => {
      const flight = inFlight.get(reply.id);
      inFlight.delete(reply.id);
      load[index]--;
      if (reply.bytes) pool.give(reply.bytes);
      if (reply.found && !found && flight) {
        found = { key: reply.found, phase: flight.phase };
        stop();
      }
      report();
      notify();
    });
    worker.on('error', (error) => {
      failure ??= new InternalError(`token crack: a worker thread failed: ${error.message}`, { cause: error });
      stop();
    });
  });

  const onAbort = () => stop();
  plan.signal?.addEventListener('abort', onAbort);
  if (plan.signal?.aborted) stop();

  /** Waits for a worker with room for another job; -1 when the run has stopped. */
  const freeWorker = async (): Promise<number> => {
    for (;;) {
      if (stopped) return -1;
      let best = -1;
      for (let i = 0; i < workers.length; i++) if (load[i] < JOBS_PER_WORKER && (best < 0 || load[i] < load[best])) best = i;
      if (best >= 0) return best;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };

  const send = async (phase: CrackPhase, job: JobBody, transfer: ArrayBuffer[] = []): Promise<boolean> => {
    const worker = await freeWorker();
    if (worker < 0) return false;
    const id = nextId++;
    inFlight.set(id, { phase });
    load[worker]++;
    workers[worker].postMessage({ ...job, id } as CrackJob, transfer);
    return true;
  };

  try {
    for (const phase of plan.phases) {
      if (stopped) break;
      Object.assign(current, { phase, triedBefore: triedSoFar(), fraction: undefined, started: performance.now() });
      report();
      if (phase.kind === 'built-in list') {
        const { bytes, offsets } = pack(phase.keys);
        await send(phase, { kind: 'keys', bytes, offsets }, [bytes.buffer as ArrayBuffer, offsets.buffer as ArrayBuffer]);
      } else if (phase.kind === 'wordlist') {
        for await (const chunk of readWordlist(phase.file, pool)) {
          if (phase.size) current.fraction = Math.min(1, chunk.read / phase.size);
          if (!(await send(phase, { kind: 'lines', bytes: chunk.bytes, length: chunk.length }, [chunk.bytes.buffer as ArrayBuffer]))) break;
        }
      } else {
        const index = masks.indexOf(phase.mask.positions);
        for (let start = 0; start < phase.mask.size; start += MASK_JOB) {
          current.fraction = start / phase.mask.size;
          if (!(await send(phase, { kind: 'mask', mask: index, start, count: Math.min(MASK_JOB, phase.mask.size - start) }))) break;
        }
      }
    }
    // The last jobs.
    while (!stopped && inFlight.size > 0) await new Promise<void>((resolve) => (wake = resolve));
  } finally {
    plan.signal?.removeEventListener('abort', onAbort);
    stop();
  }
  if (failure) throw failure;
  return {
    found,
    tried: triedSoFar(),
    seconds: (performance.now() - started) / 1000,
    interrupted: !found && plan.signal?.aborted === true,
    threads: workers.length,
  };
}

/** Keys in one buffer, key i at bytes[offsets[i], offsets[i + 1]). */
function pack(keys: Uint8Array[]): { bytes: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(keys.length + 1);
  for (let i = 0; i < keys.length; i++) offsets[i + 1] = offsets[i] + keys[i].length;
  const bytes = new Uint8Array(offsets[keys.length]);
  keys.forEach((key, i) => bytes.set(key, offsets[i]));
  return { bytes, offsets };
}
