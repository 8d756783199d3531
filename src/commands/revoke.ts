/**
 * `session-audit revoke`: mass revocation of sessions in Redis, hard to get wrong.
 *   - without --yes: a DRY RUN (the connections cannot even send a delete: write-commands.ts);
 *   - with --yes: a run with an id and a folder (run-state.ts): the plan is written as keys are
 *     selected, deletion proceeds in batches (execute.ts), each batch backed up first (--backup),
 *     checkpointed and logged (audit-log.ts); `--resume [ID]` carries an interrupted run on.
 * Returns a result; never exits (cli-revoke.ts prints it and sets the exit code).
 */
import path from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { CLUSTER_SLOTS } from '../stores/redis/cluster.js';
import { connectRedisWriter, type RedisWriteStore } from '../stores/redis/connect.js';
import { DRY_RUN_WRITES, REVOKE_WRITES } from '../stores/redis/write-commands.js';
import { NodeRouter } from '../stores/redis/write-routing.js';
import { AuditLog, whoAmI, type Who } from '../revoke/audit-log.js';
import { BackupWriter } from '../revoke/backup.js';
import { commandLine } from '../revoke/command-line.js';
import { connectOptions, resumeConnection, savedConnection, type ConnectionArgs } from '../revoke/connection.js';
import { drain, Executor } from '../revoke/execute.js';
import { decodeLine, encodeOps, type Op } from '../revoke/ops.js';
import { Planner, type PlanStats, type Unreadable } from '../revoke/plan.js';
import { chunkFor, TokenBucket } from '../revoke/rate.js';
import { emptyCheckpoint, lastUnfinishedRun, newRunId, PlanWriter, readPlanLines, RunFolder, RUN_VERSION, type Checkpoint, type RunMeta } from '../revoke/run-state.js';
import { frameworkName, hasFilter, Selector, validateFilter, type RevokeFilter } from '../revoke/select.js';
import { springSession } from '../revoke/spring.js';

export interface RevokeOptions {
  connection: ConnectionArgs;
  filter: RevokeFilter;
  yes: boolean;
  confirmOver: number;
  backup?: string;
  /** A file, or false for --no-audit-log. */
  auditLog: string | false;
  rate?: number;
  /** --resume: a run id, or true for the last unfinished run. */
  resume?: string | true;
  /** The arguments after `revoke`, as given (for the printed command line; passwords are removed). */
  args: string[];
  /** stdin and stderr are terminals: a big --yes run asks to type the count back. */
  interactive: boolean;
  confirm?: (count: number, what: string) => Promise<boolean>;
  /** Set by Ctrl-C: the walk stops, the batch in flight finishes, the checkpoint stays. */
  stop: { now: boolean };
  onProgress?: (progress: RevokeProgress) => void;
  /** Lines for stderr (recommendations, notes). */
  warn: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Operations per batch (default 20,000; with --rate about 2 s worth). */
  batchSize?: number;
  scanCount?: number;
}

export interface RevokeProgress {
  phase: 'planning' | 'revoking';
  scanned: number;
  matched: number;
  revoked: number;
}

export interface NamespaceSummary {
  framework: string;
  name: string;
  matched: number;
  revoked: number;
  examples: string[];
}

export interface RevokeSummary {
  runId: string | null;
  dryRun: boolean;
  source: string;
  mode: string;
  filter: Record<string, unknown>;
  /** Session keys selected (over every attempt of a resumed run). */
  matched: number;
  /** Session keys deleted (each is gone: UNLINK ran on it). */
  revoked: number;
  /** Of those, how many UNLINK found already gone (expired meanwhile, or removed by an interrupted attempt). */
  notFound: number;
  byNamespace: Record<string, NamespaceSummary>;
  /** Spring Session bookkeeping removed with its sessions (planned, in a dry run). */
  spring: { expiryKeys: number; indexEntries: number; staleIndexEntries: number } | null;
  unreadable: Array<Omit<Unreadable, 'reasons'> & { reasons: Record<string, number> }>;
  /** Namespaces not treated as sessions after a look at their values. */
  rejected: string[];
  notes: string[];
  backup: { file: string; entries: number } | null;
  auditLog: string | null;
  resumed: boolean;
  /** Keys deleted by an earlier attempt that were there again (a restarted server that lost writes). */
  reappeared: number;
  scanned: number;
  /** Dry run: the command that would do it (with --yes); a run: the command that started it. Password removed. */
  command: string;
  /** A password was removed from `command`: give it with REDISCLI_AUTH. */
  passwordRemoved: boolean;
  durationMs: number;
}

export interface RevokeResult {
  revoke: RevokeSummary;
}

const DEFAULT_BATCH = 20_000;
/** Batches the walk may plan ahead of the deletion. */
const QUEUE_AHEAD = 4;

class BatchQueue {
  private readonly items: Op[][] = [];
  private waiter?: () => void;
  private roomWaiters: Array<() => void> = [];
  private closed = false;

  /**
   * Resolves once fewer than `max` batches wait: the walk pauses while deletion catches up, so a
   * fast walk does not hold the whole plan in memory (it is on disk already).
   */
  room(max: number): Promise<void> | undefined {
    if (this.items.length < max || this.closed) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private wakeRoom(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const resolve of waiters) resolve();
  }

  push(batch: Op[]): void {
    this.items.push(batch);
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
    this.wakeRoom();
  }

  get length(): number {
    return this.items.length;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  ready(): Op[] | undefined {
    const item = this.items.shift();
    this.wakeRoom();
    return item;
  }

  async next(): Promise<Op[] | undefined> {
    for (;;) {
      const item = this.items.shift();
      this.wakeRoom();
      if (item) return item;
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }
}

/** Counts for the summary, per namespace and overall, deduplicated over the attempts of a run. */
class Tally {
  readonly byNamespace = new Map<string, NamespaceSummary>();
  matched = 0;
  revoked = 0;
  private readonly plannedKeys?: Set<string>;
  private readonly doneKeys?: Set<string>;

  constructor(resumed: boolean) {
    if (resumed) {
      this.plannedKeys = new Set();
      this.doneKeys = new Set();
    }
  }

  private entry(op: Extract<Op, { t: 's' }>): NamespaceSummary {
    let entry = this.byNamespace.get(op.pattern);
    if (!entry) {
      entry = { framework: op.framework, name: op.framework, matched: 0, revoked: 0, examples: [] };
      this.byNamespace.set(op.pattern, entry);
    }
    return entry;
  }

  planned(op: Extract<Op, { t: 's' }>): void {
    if (!firstTime(this.plannedKeys, op.key)) return;
    this.matched++;
    this.entry(op).matched++;
  }

  done(op: Extract<Op, { t: 's' }>): void {
    if (!firstTime(this.doneKeys, op.key)) return;
    this.revoked++;
    this.entry(op).revoked++;
  }
}

/** True the first time `key` is offered to `seen` (always true without a set: nothing to dedupe). */
function firstTime(seen: Set<string> | undefined, key: string): boolean {
  if (!seen) return true;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

export async function runRevoke(options: RevokeOptions): Promise<RevokeResult> {
  const started = performance.now();
  const env = options.env ?? process.env;
  if (options.rate !== undefined && !(options.rate > 0)) throw new UsageError('--rate must be a number of keys per second above 0');
  if (!(Number.isInteger(options.confirmOver) && options.confirmOver >= 0)) throw new UsageError('--confirm-over must be a whole number');

  // ---- what to do: a new run, or one to resume
  let folder: RunFolder | undefined;
  let meta: RunMeta | undefined;
  let connection = options.connection;
  let filter = options.filter;
  if (options.resume !== undefined) {
    const id = options.resume === true ? lastUnfinishedRun(env) : options.resume;
    if (!id) throw new UsageError('--resume: no unfinished run to resume');
    folder = new RunFolder(id, env);
    if (!folder.exists()) throw new UsageError(`--resume ${id}: no such run (looked in ${folder.dir})`);
    meta = folder.readMeta();
    if (meta.status === 'done') throw new UsageError(`--resume ${id}: that run is finished`);
    if (hasAnyFilter(options.filter) || options.backup) throw new UsageError('--resume takes the filter and --backup of the run it resumes: give no filter or --backup with it');
    connection = resumeConnection(meta.connection, options.connection);
    filter = meta.filter as unknown as RevokeFilter;
  }
  validateFilter(filter);
  const selector = new Selector(filter);
  const batchSize = meta?.batchSize ?? options.batchSize ?? (options.rate ? Math.max(1, Math.min(DEFAULT_BATCH, Math.ceil(options.rate * 2))) : DEFAULT_BATCH);
  // --rate may be given again when resuming (slower or faster than the first attempt).
  const rate = options.rate ?? meta?.rate;

  const store = await connectRedisWriter(connectOptions(connection, env), options.yes ? REVOKE_WRITES : DRY_RUN_WRITES);
  const router = new NodeRouter(store);
  try {
    assertWholeCluster(store);
    const who = whoAmI(await aclUser(store));
    if (!options.yes) return { revoke: await dryRun(options, store, router, selector, folder, meta, started) };
    return { revoke: await realRun({ options, store, router, selector, folder, meta, connection, batchSize, rate, who, started, env }) };
  } finally {
    await router.close();
    await store.close();
  }
}

function hasAnyFilter(filter: RevokeFilter): boolean {
  return hasFilter(filter) || filter.sessionPatterns.length > 0 || !!filter.allSessions;
}

/** A cluster with a master missing would leave its sessions alone without a word: refuse. */
function assertWholeCluster(store: RedisWriteStore): void {
  if (store.mode !== 'cluster') return;
  if (store.unreachable.length > 0 || (store.slotsCovered ?? 0) < CLUSTER_SLOTS) {
    throw new InputError(
      `cluster not whole (${store.slotsCovered ?? 0} of ${CLUSTER_SLOTS} slots on reachable masters${store.unreachable.length ? `; unreachable: ${store.unreachable.join('; ')}` : ''}): the sessions on the missing masters would be left; revoke when every master is up`,
      store.source,
    );
  }
}

async function aclUser(store: RedisWriteStore): Promise<string | null> {
  try {
    return String(await store.nodes[0].call('ACL', 'WHOAMI'));
  } catch {
    return null; // refused, or Redis < 6
  }
}

function baseSummary(store: RedisWriteStore, selector: Selector, runId: string | null, dryRun: boolean): RevokeSummary {
  return {
    runId,
    dryRun,
    source: store.source,
    mode: store.mode,
    filter: selector.describe(),
    matched: 0,
    revoked: 0,
    notFound: 0,
    byNamespace: {},
    spring: null,
    unreadable: [],
    rejected: [],
    notes: [],
    backup: null,
    auditLog: null,
    resumed: false,
    reappeared: 0,
    scanned: 0,
    command: '',
    passwordRemoved: false,
    durationMs: 0,
  };
}

function applyPlanStats(summary: RevokeSummary, stats: PlanStats): void {
  summary.scanned += stats.scanned;
  summary.unreadable = stats.unreadable;
  summary.rejected = stats.rejected;
  summary.notes.push(...stats.notes);
  summary.reappeared += stats.reappeared;
}

function springSummary(summary: RevokeSummary, expiryKeys: number, indexEntries: number, stale: number): void {
  const hasSpring = Object.values(summary.byNamespace).some((ns) => ns.framework === 'spring-session');
  if (hasSpring || expiryKeys || indexEntries || stale) summary.spring = { expiryKeys, indexEntries, staleIndexEntries: stale };
}

async function dryRun(options: RevokeOptions, store: RedisWriteStore, router: NodeRouter, selector: Selector, folder: RunFolder | undefined, meta: RunMeta | undefined, started: number): Promise<RevokeSummary> {
  const summary = baseSummary(store, selector, meta?.runId ?? null, true);
  if (folder && meta) {
    // Resuming, dry: what the plan still holds; the verification walk that follows is not run here.
    const ops = readPlanLines(folder.planFile, false).flatMap(decodeLine);
    const checkpoint = folder.readCheckpoint();
    const tally = new Tally(true);
    ops.forEach((op, i) => {
      if (op.t !== 's') return;
      tally.planned(op);
      if (i < checkpoint.opsDone) tally.done(op);
    });
    summary.resumed = true;
    summary.matched = tally.matched;
    summary.revoked = tally.revoked;
    summary.byNamespace = Object.fromEntries(tally.byNamespace);
    summary.notes.push(
      `run ${meta.runId}: ${checkpoint.opsDone} of ${ops.length} plan lines done${checkpoint.planComplete ? '' : ', its key walk had not finished'}; resuming finishes the plan, then walks the store again for anything the filter still selects`,
    );
    const command = commandLine('revoke', ['--resume', meta.runId], ['--yes']);
    summary.command = command.text;
    summary.durationMs = Math.round(performance.now() - started);
    return summary;
  }
  const expiry = { keys: 0, entries: 0 };
  const planner = new Planner({
    store,
    router,
    selector,
    stop: options.stop,
    count: options.scanCount,
    sink: {
      add(op) {
        if (op.t === 'r') expiry.keys++;
        else if (op.t === 'i') expiry.entries++;
      },
    },
    onProgress: (p) => options.onProgress?.({ phase: 'planning', scanned: p.scanned, matched: p.matched, revoked: 0 }),
  });
  const stats = await planner.run();
  if (!stats.complete) throw new InputError('interrupted: the dry run stopped before the end of the walk (nothing was deleted)', store.source);
  applyPlanStats(summary, stats);
  summary.matched = stats.matched;
  for (const [pattern, count] of stats.byNamespace) {
    summary.byNamespace[pattern] = { framework: count.framework, name: count.name, matched: count.keys, revoked: 0, examples: count.examples };
  }
  springSummary(summary, expiry.keys, expiry.entries, stats.staleIndexEntries);
  const command = commandLine('revoke', options.args, ['--yes'], ['--yes', '-y']);
  summary.command = command.text;
  summary.passwordRemoved = command.redacted;
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

interface RealRun {
  options: RevokeOptions;
  store: RedisWriteStore;
  router: NodeRouter;
  selector: Selector;
  folder?: RunFolder;
  meta?: RunMeta;
  connection: ConnectionArgs;
  batchSize: number;
  rate?: number;
  who: Who;
  started: number;
  env: NodeJS.ProcessEnv;
}

async function realRun(run: RealRun): Promise<RevokeSummary> {
  const { options, store, router, selector, batchSize, rate, who, started } = run;
  const resumed = run.folder !== undefined;
  let meta: RunMeta;
  let folder: RunFolder;
  let audit: AuditLog | undefined;
  let backup: BackupWriter | undefined;
  if (run.folder && run.meta) {
    folder = run.folder;
    folder.lock();
    meta = { ...run.meta, status: 'running' };
    try {
      audit = meta.auditLog ? AuditLog.open(meta.auditLog) : undefined;
      backup = meta.backup ? BackupWriter.reopen(meta.backup, meta.runId) : undefined;
    } catch (error) {
      audit?.close();
      folder.unlock();
      throw error;
    }
    folder.writeMeta(meta);
  } else {
    const runId = newRunId();
    folder = new RunFolder(runId, run.env);
    const { text } = commandLine('revoke', options.args);
    meta = {
      version: RUN_VERSION,
      runId,
      createdAt: new Date().toISOString(),
      source: store.source,
      mode: store.mode,
      connection: savedConnection(run.connection),
      filter: selector.filter as unknown as Record<string, unknown>,
      batchSize,
      rate,
      backup: options.backup ? pathResolve(options.backup) : undefined,
      auditLog: options.auditLog === false ? undefined : pathResolve(options.auditLog),
      status: 'running',
      command: text,
    };
    // The audit log and the backup file first: one that cannot be written (or a backup name already
    // taken) stops everything before a run exists.
    audit = meta.auditLog ? AuditLog.open(meta.auditLog) : undefined;
    try {
      backup = meta.backup ? BackupWriter.create(meta.backup, { source: store.source, mode: store.mode, runId, createdAt: meta.createdAt }) : undefined;
      folder.create(meta);
    } catch (error) {
      backup?.close();
      audit?.close();
      throw error;
    }
  }
  const summary = baseSummary(store, selector, meta.runId, false);
  summary.resumed = resumed;
  const resumeCommand = commandLine('revoke', ['--resume', meta.runId], ['--yes']).text;
  summary.command = meta.command;

  let plan: PlanWriter | undefined;
  let checkpoint: Checkpoint | undefined;
  try {
    summary.auditLog = audit?.file ?? null;
    if (!meta.backup && !resumed) {
      options.warn('no --backup given: the deleted sessions cannot be restored. Strongly recommended: --backup FILE (restore with `session-audit restore --backup FILE`)');
    }
    plan = new PlanWriter(folder.planFile);

    const cp: Checkpoint = (checkpoint = resumed ? folder.readCheckpoint() : emptyCheckpoint());
    const tally = new Tally(resumed);
    let previous: Op[] = [];
    if (resumed) {
      previous = readPlanLines(folder.planFile).flatMap(decodeLine);
      // After a machine crash the checkpoint may be ahead of the plan lines that reached the disk.
      cp.opsDone = Math.min(cp.opsDone, previous.length);
      previous.forEach((op, i) => {
        if (op.t !== 's') return;
        tally.planned(op);
        if (i < cp.opsDone) tally.done(op);
      });
    }
    const auditBase = { runId: meta.runId, source: store.source, mode: store.mode, who, filter: selector.describe() };
    const executor = new Executor({
      router,
      chunk: chunkFor(rate),
      bucket: rate ? new TokenBucket(rate, chunkFor(rate)) : undefined,
      backup,
      audit,
      auditBase,
      run: folder,
      plan,
      checkpoint,
      onSessionDone: (op) => tally.done(op),
    });
    let scanned = 0;
    const progress = (phase: RevokeProgress['phase']) => options.onProgress?.({ phase, scanned, matched: tally.matched, revoked: tally.revoked });
    audit?.write({ ...auditBase, event: resumed ? 'revoke-resume' : 'revoke-start', batchSize, ...(rate ? { rate } : {}), backup: meta.backup ?? null });

    // 1. A resumed run first finishes what its plan holds.
    const remaining = previous.slice(checkpoint.opsDone);
    if (resumed && options.interactive && remaining.filter((op) => op.t === 's').length > options.confirmOver) {
      const count = remaining.filter((op) => op.t === 's').length;
      if (!(await askConfirm(options, count, store.source))) return abort(folder, audit, auditBase, 'aborted at the confirmation: nothing more was deleted', 'interrupted');
    }
    let from = 0;
    const slice = () => {
      if (from >= remaining.length) return undefined;
      from += batchSize;
      return remaining.slice(from - batchSize, from);
    };
    await drain(executor, { next: async () => slice(), ready: slice }, options.stop, () => progress('revoking'));
    if (options.stop.now) return interrupted(folder, audit, auditBase, tally, resumeCommand);

    // 2. The walk (again, when resuming: it finds what the last attempt had not reached, and keys
    //    deleted before that a restarted server brought back), feeding batches as it goes.
    checkpoint.planComplete = false;
    const queue = new BatchQueue();
    const overlapFirst = !options.interactive;
    let current: Op[] = [];
    const springIds = new Map<string, Set<string>>();
    for (const op of previous) {
      if (op.t === 's' && op.framework === 'spring-session') {
        const spring = springSession(op.key);
        if (spring) (springIds.get(spring.ns) ?? springIds.set(spring.ns, new Set()).get(spring.ns)!).add(spring.id);
      }
    }
    const known = resumed ? new Set(previous.flatMap((op) => (op.t === 's' ? [op.key] : []))) : undefined;
    previous = [];
    const planner = new Planner({
      store,
      router,
      selector,
      stop: options.stop,
      count: options.scanCount,
      known,
      springIds,
      // Overlapped runs: the walk keeps at most a few batches ahead of the deletion.
      room: overlapFirst ? () => queue.room(QUEUE_AHEAD) : undefined,
      sink: {
        add(op) {
          if (op.t === 's') tally.planned(op);
          current.push(op);
          if (current.length >= batchSize) {
            // A batch's operations are in the plan before it can run.
            plan!.add(encodeOps(current));
            queue.push(current);
            current = [];
          }
        },
      },
      onProgress: (p) => {
        scanned = p.scanned;
        progress('planning');
      },
    });
    // At a terminal, the count must be known before anything goes: plan first, then ask.
    const overlap = overlapFirst;
    let planError: unknown;
    const planning = planner.run().then(
      (stats) => {
        if (current.length > 0) {
          plan!.add(encodeOps(current));
          queue.push(current);
        }
        current = [];
        queue.close();
        return stats;
      },
      (error: unknown) => {
        planError = error;
        options.stop.now = true;
        queue.close();
        return undefined;
      },
    );
    if (!overlap) {
      await planning;
      if (planError) throw planError;
      if (options.stop.now) return interrupted(folder, audit, auditBase, tally, resumeCommand);
      const count = tally.matched - tally.revoked;
      if (count > options.confirmOver && !(await askConfirm(options, count, store.source))) {
        return abort(folder, audit, auditBase, 'aborted at the confirmation: nothing was deleted');
      }
    }
    try {
      await drain(executor, queue, options.stop, () => progress('revoking'));
    } catch (error) {
      options.stop.now = true; // the walk stops at its next page
      queue.close(); // ...and must not wait for room that will never come
      await planning;
      throw error;
    }
    // Stopped (Ctrl-C, or the walk failed): batches still queued stay in the plan for --resume.
    queue.close();
    const stats = await planning;
    if (planError) throw planError;
    if (!stats || !stats.complete || options.stop.now) return interrupted(folder, audit, auditBase, tally, resumeCommand);

    checkpoint.planComplete = true;
    plan.sync();
    folder.writeCheckpoint(checkpoint);
    applyPlanStats(summary, stats);
    summary.scanned = stats.scanned;
    summary.matched = tally.matched;
    summary.revoked = tally.revoked;
    summary.notFound = checkpoint.notFound;
    summary.byNamespace = Object.fromEntries(
      [...tally.byNamespace].map(([pattern, entry]) => [pattern, { ...entry, name: frameworkName(entry.framework), examples: stats.byNamespace.get(pattern)?.examples ?? [] }]),
    );
    springSummary(summary, checkpoint.expiryKeys, checkpoint.indexEntries, stats.staleIndexEntries);
    summary.backup = meta.backup ? { file: meta.backup, entries: checkpoint.backedUp } : null;
    audit?.write({ ...auditBase, event: 'revoke-done', matched: summary.matched, revoked: summary.revoked, notFound: summary.notFound, batches: checkpoint.batchesDone });
    folder.setStatus('done');
    summary.durationMs = Math.round(performance.now() - started);
    return summary;
  } catch (error) {
    if (error instanceof Stopped) throw error; // its status is already set
    folder.setStatus('failed');
    if (error instanceof InputError || error instanceof UsageError) {
      const hint = `nothing is lost: resume with: ${resumeCommand}`;
      if (error instanceof InputError) throw new InputError(`${error.message}; ${hint}`, error.file, error.line, error.column);
      throw error;
    }
    throw error;
  } finally {
    // Whatever happened, the state on disk says exactly what is done (durably, this time).
    try {
      plan?.sync();
      if (checkpoint) folder.writeCheckpoint(checkpoint);
    } catch {
      // the error already on its way says more
    }
    plan?.close();
    backup?.close();
    audit?.close();
    folder.unlock();
  }
}

async function askConfirm(options: RevokeOptions, count: number, source: string): Promise<boolean> {
  if (!options.confirm) return false;
  return options.confirm(count, `About to revoke ${count.toLocaleString('en-US')} sessions on ${source}.`);
}

/** "No" at the confirmation. A resumed run stays resumable ("interrupted"); a new one is "aborted". */
function abort(folder: RunFolder, audit: AuditLog | undefined, auditBase: Record<string, unknown>, message: string, status: 'aborted' | 'interrupted' = 'aborted'): never {
  folder.setStatus(status);
  audit?.write({ ...auditBase, event: 'revoke-aborted' });
  throw new Stopped(message);
}

function interrupted(folder: RunFolder, audit: AuditLog | undefined, auditBase: Record<string, unknown>, tally: Tally, resumeCommand: string): never {
  folder.setStatus('interrupted');
  audit?.write({ ...auditBase, event: 'revoke-interrupted', revoked: tally.revoked });
  throw new Stopped(`interrupted after ${tally.revoked.toLocaleString('en-US')} of ${tally.matched.toLocaleString('en-US')} sessions selected so far; resume with: ${resumeCommand}`);
}

/** Ctrl-C, or "no" at the confirmation: exit 2 with one line (not a bug, not a store error). */
export class Stopped extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'Stopped';
  }
}

const pathResolve = (file: string) => path.resolve(file);
