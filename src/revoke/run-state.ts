/**
 * Where a revocation run keeps its state, so that an interrupted run (Ctrl-C, a lost connection,
 * SIGKILL) can be resumed without deleting a batch twice or missing a key:
 *
 *   $XDG_STATE_HOME/session-audit/            (default ~/.local/state/session-audit/)
 *     audit.log                                one JSON line per batch (audit-log.ts)
 *     runs/<run-id>/run.json                   what the run is: store (no password), filter, options
 *     runs/<run-id>/plan.jsonl                 the selected keys, one operation per line, in order
 *     runs/<run-id>/checkpoint.json            how many plan lines are done; rewritten atomically per batch
 *     runs/<run-id>/lock                       the pid of the process working on the run
 *
 * The folder is 0700 and its files 0600: session ids in key names are credentials for some frameworks.
 *
 * Durability: after every batch the plan lines are written and the checkpoint replaced atomically,
 * which survives a killed process (SIGKILL) at any point. They are also fsynced at most once a
 * second and at the end of a run, so a machine crash loses at most about a second of checkpoints:
 * the batches after it are redone on resume, which only re-sends UNLINKs of keys already gone.
 * (The backup, which must be on disk before its keys are deleted, is fsynced every batch: backup.ts.)
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, readdirSync, readFileSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../output.js';

export const RUN_VERSION = 1;

/** `$XDG_STATE_HOME/session-audit`, else `~/.local/state/session-audit` (XDG Base Directory spec). */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(homedir(), '.local', 'state');
  return path.join(base, 'session-audit');
}

export const defaultAuditLog = (env: NodeJS.ProcessEnv = process.env) => path.join(stateDir(env), 'audit.log');
export const runsDir = (env: NodeJS.ProcessEnv = process.env) => path.join(stateDir(env), 'runs');

/** `20251103-101500-3fa9`: sorts by time, unique enough for one machine. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export type RunStatus = 'running' | 'interrupted' | 'failed' | 'aborted' | 'done';

/** The connection as given, without any password (the password comes from the URL again or REDISCLI_AUTH). */
export interface SavedConnection {
  url?: string;
  cluster?: boolean;
  sentinels: string[];
  sentinelName?: string;
  redisUser?: string;
  tls?: { ca?: string; cert?: string; key?: string; insecure?: boolean };
}

export interface RunMeta {
  version: number;
  runId: string;
  createdAt: string;
  /** Password-free store source. */
  source: string;
  mode: string;
  connection: SavedConnection;
  /** The filter as given (see select.ts RevokeFilter). */
  filter: Record<string, unknown>;
  /** Plan lines per batch. */
  batchSize: number;
  rate?: number;
  backup?: string;
  auditLog?: string;
  status: RunStatus;
  /** The command line that started it, password removed. */
  command: string;
}

export interface Checkpoint {
  version: number;
  /** Plan operations done (every operation before this one has been executed). */
  opsDone: number;
  batchesDone: number;
  /** The walk finished and every line of the plan is written. */
  planComplete: boolean;
  /** Sums over the done batches. */
  notFound: number;
  expiryKeys: number;
  indexEntries: number;
  backedUp: number;
  updatedAt: string;
}

export const emptyCheckpoint = (): Checkpoint => ({
  version: RUN_VERSION,
  opsDone: 0,
  batchesDone: 0,
  planComplete: false,
  notFound: 0,
  expiryKeys: 0,
  indexEntries: 0,
  backedUp: 0,
  updatedAt: new Date().toISOString(),
});

function cannot(what: string, file: string, error: unknown): InputError {
  return new InputError(`cannot ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, file);
}

/** A small JSON file, atomically (output.ts): `durable` also survives a machine crash. */
export function writeJsonAtomic(file: string, value: unknown, durable = true): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, { durable, mode: 0o600 });
}

function readJson<T>(file: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw cannot('read', file, error);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new InputError('not valid JSON (damaged run state?)', file);
  }
}

export class RunFolder {
  readonly dir: string;
  private lockHeld = false;

  constructor(
    readonly runId: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    if (!/^[A-Za-z0-9._-]+$/.test(runId)) throw new UsageError(`--resume ${runId}: not a run id`);
    this.dir = path.join(runsDir(env), runId);
  }

  get metaFile() {
    return path.join(this.dir, 'run.json');
  }
  get planFile() {
    return path.join(this.dir, 'plan.jsonl');
  }
  get checkpointFile() {
    return path.join(this.dir, 'checkpoint.json');
  }
  get lockFile() {
    return path.join(this.dir, 'lock');
  }

  create(meta: RunMeta): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw cannot('create the run folder', this.dir, error);
    }
    this.lock();
    writeJsonAtomic(this.metaFile, meta);
    writeJsonAtomic(this.checkpointFile, emptyCheckpoint());
  }

  exists(): boolean {
    return existsSync(this.metaFile);
  }

  readMeta(): RunMeta {
    const meta = readJson<RunMeta>(this.metaFile);
    if (meta.version !== RUN_VERSION) throw new InputError(`run state version ${meta.version} is not supported`, this.metaFile);
    return meta;
  }

  writeMeta(meta: RunMeta): void {
    writeJsonAtomic(this.metaFile, meta);
  }

  setStatus(status: RunStatus): void {
    try {
      this.writeMeta({ ...this.readMeta(), status });
    } catch {
      // best effort: the checkpoint, not the status, is what resuming relies on
    }
  }

  readCheckpoint(): Checkpoint {
    return existsSync(this.checkpointFile) ? { ...emptyCheckpoint(), ...readJson<Checkpoint>(this.checkpointFile) } : emptyCheckpoint();
  }

  writeCheckpoint(checkpoint: Checkpoint, durable = true): void {
    writeJsonAtomic(this.checkpointFile, { ...checkpoint, updatedAt: new Date().toISOString() }, durable);
  }

  /**
   * One process per run: the lock holds our pid. A lock left by a process that is gone (SIGKILL,
   * a crash) is taken over; one held by a live process is an error.
   */
  lock(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockFile, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.lockHeld = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannot('lock the run', this.lockFile, error);
        const pid = Number(readFileSync(this.lockFile, 'utf8').trim());
        if (pid && pid !== process.pid && isAlive(pid)) throw new InputError(`run ${this.runId} is in progress in process ${pid}`, this.dir);
        try {
          unlinkSync(this.lockFile);
        } catch {
          // another process took it over first: the next attempt says so
        }
      }
    }
    throw new InputError(`run ${this.runId}: could not take the lock`, this.dir);
  }

  unlock(): void {
    if (!this.lockHeld) return;
    this.lockHeld = false;
    try {
      unlinkSync(this.lockFile);
    } catch {
      // already gone
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The most recent run that did not finish (interrupted, failed, or killed while running). */
export function lastUnfinishedRun(env: NodeJS.ProcessEnv = process.env): string | undefined {
  let names: string[];
  try {
    names = readdirSync(runsDir(env));
  } catch {
    return undefined;
  }
  for (const name of names.sort().reverse()) {
    try {
      const folder = new RunFolder(name, env);
      const meta = folder.readMeta();
      if (meta.status === 'running' || meta.status === 'interrupted' || meta.status === 'failed') return name;
    } catch {
      // not a run folder, or damaged: skip
    }
  }
  return undefined;
}

/**
 * The plan file, appended to as the walk selects keys. Lines are written before the batch they
 * belong to runs, and made durable (`sync`) before that batch's checkpoint is written.
 */
export class PlanWriter {
  private fd: number;
  private pending: string[] = [];

  constructor(readonly file: string) {
    try {
      this.fd = openSync(file, 'a', 0o600);
    } catch (error) {
      throw cannot('open the plan', file, error);
    }
  }

  /** Lines, each ending in "\n". */
  add(lines: string): void {
    this.pending.push(lines);
    if (this.pending.length >= 64) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    try {
      writeSync(this.fd, text);
    } catch (error) {
      throw cannot('write the plan', this.file, error);
    }
  }

  sync(): void {
    this.flush();
    try {
      fdatasyncSync(this.fd);
    } catch (error) {
      throw cannot('sync the plan', this.file, error);
    }
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

/**
 * Every complete line of a plan file. A line cut short by SIGKILL is dropped, and cut off the file
 * too, so that the lines a resumed run appends start on a line of their own.
 */
export function readPlanLines(file: string, repair = true): string[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw cannot('read the plan', file, error);
  }
  const end = bytes.lastIndexOf(0x0a) + 1;
  if (repair && end < bytes.length) {
    try {
      truncateSync(file, end);
    } catch (error) {
      throw cannot('repair the plan', file, error);
    }
  }
  return bytes.subarray(0, end).toString('utf8').split('\n').filter((line) => line !== '');
}
