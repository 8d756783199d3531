/**
 * Executing the plan, one batch (a run of consecutive plan lines) at a time:
 *   1. with --backup: DUMP + PTTL of every key of the batch (pipelined, to the node holding each),
 *      written to the backup file and fsynced;
 *   2. UNLINK: standalone / Sentinel as variadic UNLINKs of up to 500 keys, pipelined; a cluster
 *      one key per command (no CROSSSLOT), to the master the walk found it on, following MOVED / ASK;
 *      then SREM of Spring index entries (one command per set);
 *   3. the plan's lines made durable, the checkpoint rewritten atomically ("lines done: N"),
 *      one audit log line.
 * `--rate N` holds the UNLINK / SREM sends to about N keys per second (rate.ts).
 * Any refusal (NOPERM, READONLY after a failover...) stops the run with one clear line; the
 * checkpoint still says what is done, so `--resume` carries on from there.
 */
import { InputError } from '../errors.js';
import type { Arg, PipelineReply } from '../stores/redis/reader.js';
import type { KeyedCommand, NodeRouter } from '../stores/redis/write-routing.js';
import type { AuditLog } from './audit-log.js';
import { keyLine, saddLine, type BackupWriter } from './backup.js';
import type { Op } from './ops.js';
import type { TokenBucket } from './rate.js';
import type { Checkpoint, PlanWriter, RunFolder } from './run-state.js';

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
  const message = error.message.split('\n')[0];
  if (/^NOPERM/.test(message)) {
    return new InputError(`${command} refused: ${message} (the ACL user needs ${ACL_HINT[command] ?? `+${command.toLowerCase()}`}; see "session-audit revoke --help")`, source);
  }
  if (/^READONLY/.test(message)) return new InputError(`${command} refused: this node is a read-only replica now (a failover?); resume once the new master is known`, source);
  return new InputError(`${command} refused: ${message}`, source);
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
    const { router, backup } = this.options;
    const unlinks = ops.filter((op): op is Exclude<Op, { t: 'i' }> => op.t !== 'i');
    const srems = ops.filter((op): op is Extract<Op, { t: 'i' }> => op.t === 'i');
    const result: BatchResult = { sessions: 0, notFound: 0, expiryKeys: 0, indexEntries: 0, backedUp: 0 };
    if (backup) result.backedUp = await this.backup(unlinks, srems, backup);

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
    const commands: KeyedCommand[] = [];
    for (const op of unlinks) {
      const node = op.node ?? undefined;
      commands.push({ key: op.key, node, command: ['DUMP', op.key] }, { key: op.key, node, command: ['PTTL', op.key] });
    }
    for (const op of srems) commands.push({ key: op.key, node: op.node ?? undefined, command: ['PTTL', op.key] });
    const replies = await router.send(commands, { buffers: true });
    const at = Date.now();
    const cluster = router.cluster;
    let text = '';
    let count = 0;
    unlinks.forEach((op, i) => {
      const [dumpError, dump] = replies[2 * i];
      const [pttlError, pttl] = replies[2 * i + 1];
      if (dumpError) throw refusal('DUMP', dumpError, router.store.source);
      if (pttlError) throw refusal('PTTL', pttlError, router.store.source);
      if (dump === null) return; // already gone: nothing to back up
      text += keyLine(op.key, Number(pttl), dump as Buffer, at, cluster ? (op.node ?? undefined) : undefined);
      count++;
    });
    srems.forEach((op, j) => {
      const [error, pttl] = replies[2 * unlinks.length + j];
      if (error) throw refusal('PTTL', error, router.store.source);
      text += saddLine(op.key, op.member, Number(pttl), at, cluster ? (op.node ?? undefined) : undefined);
      count++;
    });
    if (text) {
      backup.write(text);
      backup.sync();
    }
    return count;
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
    const keyed = ops.map((op): KeyedCommand => ({ key: op.key, node: op.node ?? undefined, command: ['UNLINK', op.key] }));
    if (!bucket) count(await router.send(keyed));
    else {
      for (let from = 0; from < keyed.length; from += chunk) {
        const part = keyed.slice(from, from + chunk);
        await bucket.take(part.length);
        count(await router.send(part));
      }
    }
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

  /** Plan lines durable, then the checkpoint, then the audit line. */
  private record(lines: number, result: BatchResult): void {
    const { run, plan, audit, checkpoint } = this.options;
    this.batchNumber++;
    checkpoint.opsDone += lines;
    checkpoint.batchesDone = this.batchNumber;
    checkpoint.notFound += result.notFound;
    checkpoint.expiryKeys += result.expiryKeys;
    checkpoint.indexEntries += result.indexEntries;
    checkpoint.backedUp += result.backedUp;
    if (plan) plan.sync();
    if (run) run.writeCheckpoint(checkpoint);
    audit?.write({
      ...this.options.auditBase,
      event: 'revoke-batch',
      batch: this.batchNumber,
      keys: result.sessions,
      notFound: result.notFound,
      ...(result.expiryKeys ? { expiryKeys: result.expiryKeys } : {}),
      ...(result.indexEntries ? { indexEntries: result.indexEntries } : {}),
      ...(this.options.backup ? { backedUp: result.backedUp } : {}),
    });
  }
}
