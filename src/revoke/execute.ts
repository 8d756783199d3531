/**
 * Executing the plan, one batch (a run of consecutive plan lines) at a time:
 *   1. with --backup: DUMP + PTTL of every key of the batch (a read-only script per 1000 keys, or
 *      pipelined per key: write-batch.ts), written to the backup file and fsynced;
 *   2. UNLINK: standalone / Sentinel as variadic UNLINKs of up to 500 keys, pipelined; a cluster
 *      one key per UNLINK (no CROSSSLOT), to the master the walk found it on, as an allow-listed
 *      script per 1000 keys (write-batch.ts) with any key it could not do (a resharding) redone
 *      one command per key, following MOVED / ASK;
 *      then SREM of Spring index entries (one command per set);
 *   3. the plan's lines made durable, the checkpoint rewritten atomically ("lines done: N"),
 *      one audit log line.
 * `--rate N` holds the UNLINK / SREM sends to about N keys per second (rate.ts).
 * Any refusal (NOPERM, READONLY after a failover...) stops the run with one clear line; the
 * checkpoint still says what is done, so `--resume` carries on from there.
 */
import { InputError } from '../errors.js';
import type { Arg, PipelineReply } from '../stores/redis/reader.js';
import { dumpKeys, unlinkKeys } from '../stores/redis/write-batch.js';
import type { NodeRouter } from '../stores/redis/write-routing.js';
import type { AuditLog } from './audit-log.js';
import { keyLine, saddLine, type BackupWriter } from './backup.js';
import type { Op } from './ops.js';
import type { TokenBucket } from './rate.js';
import type { Checkpoint, PlanWriter, RunFolder } from './run-state.js';
import { cleanReply } from '../stores/redis/errors.js';

export interface BatchResult {
  /** Session keys of the batch (each is gone afterwards). */
  sessions: number;
  /** Session keys UNLINK did not find (expired, deleted meanwhile, or by an interrupted attempt). */
  notFound: number;
  expiryKeys: number;
  indexEntries: number;
  backedUp: number;
}

export interface ExecutorOptions {
  router: NodeRouter;
  /** Keys per UNLINK command (standalone) and per rate-limited send. */
  chunk: number;
  bucket?: TokenBucket;
  backup?: BackupWriter;
  audit?: AuditLog;
  /** Fields every audit line carries (runId, source, who, filter...). */
  auditBase: Record<string, unknown>;
  run?: RunFolder;
  plan?: PlanWriter;
  checkpoint: Checkpoint;
  /** Called after each session op is done (for the summary's per-namespace counts). */
  onSessionDone?: (op: Extract<Op, { t: 's' }>) => void;
}

const ACL_HINT: Record<string, string> = {
  UNLINK: '+unlink',
  DUMP: '+dump (needed by --backup)',
  SREM: '+srem (needed for Spring Session index entries)',
  PTTL: '+pttl',
};

/** One clear line for a command the server refused. */
export function refusal(command: string, error: Error, source: string): InputError {
  const message = cleanReply(error.message);
  if (/^NOPERM/.test(message)) {
    return new InputError(`${command} refused: ${message} (the ACL user needs ${ACL_HINT[command] ?? `+${command.toLowerCase()}`}; see "session-audit revoke --help")`, source);
  }
  if (/^READONLY/.test(message)) return new InputError(`${command} refused: this node is a read-only replica now (a failover?); resume once the new master is known`, source);
  return new InputError(`${command} refused: ${message}`, source);
}

export interface BatchSource {
  /** The next batch, waiting for it if need be; undefined at the end. */
  next(): Promise<Op[] | undefined>;
  /** The next batch if it is already there (never waits). */
  ready(): Op[] | undefined;
}

/**
 * Every batch of `source`, in order. The backup of batch k+1 (when it is already there) is read and
 * written while batch k is being deleted, so the server is never idle while the client fsyncs;
 * batch k+1's keys are still deleted only after its own backup is on disk.
 */
export async function drain(executor: Executor, source: BatchSource, stop: { now: boolean }, afterBatch: () => void): Promise<void> {
  let current = await source.next();
  let currentBackup = current ? executor.backupBatch(current) : undefined;
  while (current) {
    const backedUp = await currentBackup!;
    const next = stop.now ? undefined : source.ready();
    const nextBackup = next ? executor.backupBatch(next) : undefined;
    nextBackup?.catch(() => {}); // awaited below, or abandoned with its batch (its keys are not deleted)
    try {
      await executor.delete(current, backedUp);
    } catch (error) {
      await nextBackup?.catch(() => {});
      throw error;
    }
    afterBatch();
    if (stop.now) {
      await nextBackup?.catch(() => {});
      return;
    }
    if (next) {
      current = next;
      currentBackup = nextBackup;
    } else {
      current = await source.next();
      currentBackup = current ? executor.backupBatch(current) : undefined;
    }
  }
}

export class Executor {
  private batchNumber: number;

  constructor(private readonly options: ExecutorOptions) {
    this.batchNumber = options.checkpoint.batchesDone;
  }

  get checkpoint(): Checkpoint {
    return this.options.checkpoint;
  }

  async batch(ops: readonly Op[]): Promise<BatchResult> {
    return this.delete(ops, await this.backupBatch(ops));
  }

  /** Step 1 alone: the batch's backup, written and fsynced (0 without --backup). Returns the entries written. */
  async backupBatch(ops: readonly Op[]): Promise<number> {
    const { backup } = this.options;
    if (!backup) return 0;
    const unlinks = ops.filter((op): op is Exclude<Op, { t: 'i' }> => op.t !== 'i');
    const srems = ops.filter((op): op is Extract<Op, { t: 'i' }> => op.t === 'i');
    return this.backup(unlinks, srems, backup);
  }

  /** Steps 2 and 3, once the batch's backup (if any) is on disk. */
  async delete(ops: readonly Op[], backedUp: number): Promise<BatchResult> {
    const unlinks = ops.filter((op): op is Exclude<Op, { t: 'i' }> => op.t !== 'i');
    const srems = ops.filter((op): op is Extract<Op, { t: 'i' }> => op.t === 'i');
    const result: BatchResult = { sessions: 0, notFound: 0, expiryKeys: 0, indexEntries: 0, backedUp };

    const sessionKeys = unlinks.filter((op) => op.t === 's');
    const relatedKeys = unlinks.filter((op) => op.t === 'r');
    const removedSessions = await this.unlink(sessionKeys);
    result.sessions = sessionKeys.length;
    result.notFound = sessionKeys.length - removedSessions;
    result.expiryKeys = await this.unlink(relatedKeys);
    result.indexEntries = await this.srem(srems);

    this.record(ops.length, result);
    for (const op of sessionKeys) this.options.onSessionDone?.(op as Extract<Op, { t: 's' }>);
    return result;
  }

  private async backup(unlinks: ReadonlyArray<Exclude<Op, { t: 'i' }>>, srems: ReadonlyArray<Extract<Op, { t: 'i' }>>, backup: BackupWriter): Promise<number> {
    const { router } = this.options;
    const source = router.store.source;
    const fail = (command: string, error: Error): never => {
      throw refusal(command, error, source);
    };
    const dumped = await dumpKeys(router, unlinks.map((op) => ({ key: op.key, node: op.node ?? undefined })), fail);
    const setTtls = srems.length > 0 ? await router.send(srems.map((op) => ({ key: op.key, node: op.node ?? undefined, command: ['PTTL', op.key] as [string, ...Arg[]] }))) : [];
    const at = Date.now();
    const cluster = router.cluster;
    const lines: string[] = [];
    unlinks.forEach((op, i) => {
      const { dump, pttl } = dumped[i];
      if (dump === null) return; // already gone: nothing to back up
      lines.push(keyLine(op.key, pttl, dump, at, cluster ? (op.node ?? undefined) : undefined));
    });
    srems.forEach((op, j) => {
      const [error, pttl] = setTtls[j];
      if (error) fail('PTTL', error);
      lines.push(saddLine(op.key, op.member, Number(pttl), at, cluster ? (op.node ?? undefined) : undefined));
    });
    if (lines.length > 0) {
      backup.write(lines.join(''));
      backup.sync();
    }
    return lines.length;
  }

  /** UNLINK the keys; returns how many existed. */
  private async unlink(ops: ReadonlyArray<Exclude<Op, { t: 'i' }>>): Promise<number> {
    if (ops.length === 0) return 0;
    const { router, chunk, bucket } = this.options;
    let removed = 0;
    const count = (replies: PipelineReply[]) => {
      for (const [error, value] of replies) {
        if (error) throw refusal('UNLINK', error, router.store.source);
        removed += Number(value);
      }
    };
    if (!router.cluster) {
      const node = router.store.nodes[0];
      const commands: Array<[string, ...Arg[]]> = [];
      for (let from = 0; from < ops.length; from += chunk) commands.push(['UNLINK', ...ops.slice(from, from + chunk).map((op) => op.key)]);
      if (!bucket) count(await node.writePipeline(commands));
      else {
        for (const command of commands) {
          await bucket.take(command.length - 1);
          count(await node.writePipeline([command]));
        }
      }
      return removed;
    }
    // Cluster: one key per UNLINK (no CROSSSLOT), on the master the walk found it on (write-batch.ts).
    const fail = (command: string, error: Error): never => {
      throw refusal(command, error, router.store.source);
    };
    const results = await unlinkKeys(router, ops.map((op) => ({ key: op.key, node: op.node ?? undefined })), fail, {
      page: bucket ? chunk : undefined,
      beforePage: bucket ? (n) => bucket.take(n) : undefined,
    });
    for (const value of results) removed += value;
    return removed;
  }

  /** SREM the index entries, one command per set; returns how many were members. */
  private async srem(ops: ReadonlyArray<Extract<Op, { t: 'i' }>>): Promise<number> {
    if (ops.length === 0) return 0;
    const { router, bucket } = this.options;
    const bySet = new Map<string, { node: string | null; members: string[] }>();
    for (const op of ops) {
      const set = bySet.get(op.key);
      if (set) set.members.push(op.member);
      else bySet.set(op.key, { node: op.node, members: [op.member] });
    }
    if (bucket) await bucket.take(ops.length);
    const replies = await router.send([...bySet].map(([key, { node, members }]) => ({ key, node: node ?? undefined, command: ['SREM', key, ...members] as [string, ...Arg[]] })));
    let removed = 0;
    for (const [error, value] of replies) {
      if (error) {
        if (/^WRONGTYPE/.test(error.message)) continue; // no longer a set: nothing of ours in it
        throw refusal('SREM', error, router.store.source);
      }
      removed += Number(value);
    }
    return removed;
  }

  private lastSync = 0;

  /** Plan lines written, then the checkpoint (both fsynced at most once a second: run-state.ts), then the audit line. */
  private record(lines: number, result: BatchResult): void {
    const { run, plan, audit, checkpoint } = this.options;
    this.batchNumber++;
    checkpoint.opsDone += lines;
    checkpoint.batchesDone = this.batchNumber;
    checkpoint.notFound += result.notFound;
    checkpoint.expiryKeys += result.expiryKeys;
    checkpoint.indexEntries += result.indexEntries;
    checkpoint.backedUp += result.backedUp;
    const durable = performance.now() - this.lastSync >= 1000;
    if (durable) this.lastSync = performance.now();
    if (plan) {
      if (durable) plan.sync();
      else plan.flush();
    }
    if (run) run.writeCheckpoint(checkpoint, durable);
    audit?.write({
      ...this.options.auditBase,
      event: 'revoke-batch',
      batch: this.batchNumber,
      keys: result.sessions,
      notFound: result.notFound,
      ...(result.expiryKeys ? { expiryKeys: result.expiryKeys } : {}),
      ...(result.indexEntries ? { indexEntries: result.indexEntries } : {}),
      ...(this.options.backup ? { backedUp: result.backedUp } : {}),
    }, durable);
  }
}
