/**
 * `session-audit restore --backup FILE --redis URL [--yes]`: bring back what `revoke --backup`
 * deleted, with RESTORE (never REPLACE: a key that exists again is skipped and reported).
 *
 * TTL: by default each key gets back the time to live it had left when it was revoked (`--ttl
 * recorded`): a session revoked by mistake gets the life it had. `--ttl deadline` keeps its original
 * expiry moment instead (the remaining TTL minus the time since the backup). In both modes a key whose
 * original expiry moment has passed is NOT restored ("expired while revoked"): it would be dead by
 * now had it never been revoked. Keys without TTL come back without TTL.
 * Spring Session index entries come back with SADD (and the set's TTL when SADD re-created it).
 *
 * Without --yes: a dry run (EXISTS only) that says what would come back. Returns a result, never exits.
 */
import path from 'node:path';
import { UsageError } from '../errors.js';
import { connectRedisWriter } from '../stores/redis/connect.js';
import { maskKey } from '../stores/mask-key.js';
import type { Arg } from '../stores/redis/reader.js';
import { RESTORE_WRITES } from '../stores/redis/write-commands.js';
import { NodeRouter, type KeyedCommand } from '../stores/redis/write-routing.js';
import { AuditLog, whoAmI } from '../revoke/audit-log.js';
import { readEntries, readHeader, type BackupEntry } from '../revoke/backup.js';
import { connectOptions, type ConnectionArgs } from '../revoke/connection.js';
import { refusal } from '../revoke/execute.js';
import { chunkFor, TokenBucket } from '../revoke/rate.js';
import { cleanReply } from '../stores/redis/errors.js';

export type TtlMode = 'recorded' | 'deadline';

export interface RestoreOptions {
  connection: ConnectionArgs;
  backup: string;
  yes: boolean;
  ttl: TtlMode;
  auditLog: string | false;
  rate?: number;
  stop: { now: boolean };
  onProgress?: (done: number, total: number) => void;
  env?: NodeJS.ProcessEnv;
  /** The clock (tests). */
  now?: () => number;
}

export interface Skipped {
  count: number;
  /** A few keys, masked (mask-key.ts). */
  examples: string[];
}

export interface RestoreSummary {
  dryRun: boolean;
  source: string;
  mode: string;
  backup: string;
  /** What the backup header says: the store it was taken from, and the revoke run. */
  backupSource: string;
  runId: string;
  ttlMode: TtlMode;
  /** Keys in the backup (each counted once). */
  keys: number;
  /** Restored (dry run: would be restored). */
  restored: number;
  /** Exist again (RESTORE would say BUSYKEY): skipped, never replaced. */
  existing: Skipped;
  /** Their original expiry moment has passed: skipped. */
  expired: Skipped;
  /** RESTORE refused (e.g. a DUMP from a newer Redis): reason -> count. */
  failed: { count: number; reasons: Record<string, number> };
  /** Spring Session index entries: in the backup, and added back. */
  indexEntries: { entries: number; restored: number };
  auditLog: string | null;
  notes: string[];
  durationMs: number;
}

export interface RestoreResult {
  restore: RestoreSummary;
}

const BATCH = 1000;
const EXAMPLES = 5;

export async function runRestore(options: RestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const clock = options.now ?? Date.now;
  const env = options.env ?? process.env;
  if (options.rate !== undefined && !(options.rate > 0)) throw new UsageError('--rate must be a number of keys per second above 0');
  const file = path.resolve(options.backup);
  const header = readHeader(file);

  // Pass 1: the last line of each key wins (a batch redone after an interruption wrote some keys twice).
  const last = new Map<string, number>();
  const sadds = new Map<string, Extract<BackupEntry, { kind: 'sadd' }>>();
  for await (const entry of readEntries(file)) {
    if (entry.kind === 'key') last.set(entry.key, entry.line);
    else sadds.set(`${entry.key}\u0000${entry.member}`, entry);
  }

  const store = await connectRedisWriter(connectOptions(options.connection, env), options.yes ? RESTORE_WRITES : []);
  const router = new NodeRouter(store);
  let audit: AuditLog | undefined;
  const summary: RestoreSummary = {
    dryRun: !options.yes,
    source: store.source,
    mode: store.mode,
    backup: file,
    backupSource: header.source,
    runId: header.runId,
    ttlMode: options.ttl,
    keys: last.size,
    restored: 0,
    existing: { count: 0, examples: [] },
    expired: { count: 0, examples: [] },
    failed: { count: 0, reasons: {} },
    indexEntries: { entries: sadds.size, restored: 0 },
    auditLog: null,
    notes: [],
    durationMs: 0,
  };
  if (header.source !== store.source) summary.notes.push(`the backup was taken from ${header.source}; restoring into ${store.source}`);
  try {
    let acl: string | null = null;
    try {
      acl = String(await store.nodes[0].call('ACL', 'WHOAMI'));
    } catch {
      // refused or Redis < 6
    }
    if (options.yes && options.auditLog !== false) {
      audit = AuditLog.open(options.auditLog);
      summary.auditLog = audit.file;
    }
    const auditBase = { runId: header.runId, source: store.source, mode: store.mode, who: whoAmI(acl), backup: file, ttlMode: options.ttl };
    audit?.write({ ...auditBase, event: 'restore-start', keys: last.size, indexEntries: sadds.size });
    const bucket = options.rate ? new TokenBucket(options.rate, chunkFor(options.rate)) : undefined;
    const note = (skipped: Skipped, key: string) => {
      skipped.count++;
      if (skipped.examples.length < EXAMPLES) skipped.examples.push(maskKey(key));
    };

    let batch: Array<{ key: string; ttl: number; dump: string }> = [];
    let done = 0;
    let batchNumber = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const items = batch;
      batch = [];
      if (bucket) await bucket.take(items.length);
      if (!options.yes) {
        const replies = await router.send(items.map(({ key }) => ({ key, command: ['EXISTS', key] as [string, ...Arg[]] })));
        items.forEach(({ key }, i) => {
          if (replies[i][0]) throw refusal('EXISTS', replies[i][0]!, store.source);
          if (Number(replies[i][1]) > 0) note(summary.existing, key);
          else summary.restored++;
        });
      } else {
        const commands: KeyedCommand[] = items.map(({ key, ttl, dump }) => ({ key, command: ['RESTORE', key, ttl, Buffer.from(dump, 'base64')] }));
        const replies = await router.send(commands);
        let restored = 0;
        items.forEach(({ key }, i) => {
          const [error] = replies[i];
          if (!error) {
            restored++;
            return;
          }
          const message = cleanReply(error.message);
          if (/^BUSYKEY/.test(message)) note(summary.existing, key);
          else if (/^(NOPERM|READONLY)/.test(message)) throw refusal('RESTORE', error, store.source);
          else {
            summary.failed.count++;
            summary.failed.reasons[message] = (summary.failed.reasons[message] ?? 0) + 1;
          }
        });
        summary.restored += restored;
        batchNumber++;
        audit?.write({ ...auditBase, event: 'restore-batch', batch: batchNumber, keys: items.length, restored });
      }
      done += items.length;
      options.onProgress?.(done, last.size);
    };

    // Pass 2: the keys, in backup order.
    for await (const entry of readEntries(file)) {
      if (options.stop.now) break;
      if (entry.kind !== 'key' || last.get(entry.key) !== entry.line) continue;
      const ttl = ttlFor(entry.pttl, entry.at, clock(), options.ttl);
      if (ttl === undefined) {
        note(summary.expired, entry.key);
        continue;
      }
      batch.push({ key: entry.key, ttl, dump: entry.dump });
      if (batch.length >= BATCH) await flush();
    }
    if (!options.stop.now) await flush();

    // Spring Session index entries, after the sessions they name.
    if (!options.stop.now && sadds.size > 0) await restoreIndexEntries([...sadds.values()], options, router, clock(), summary, store.source);
    if (options.stop.now) throw new UsageError(`interrupted: ${summary.restored} keys restored so far; running restore again skips them (they exist) and carries on`);
    audit?.write({ ...auditBase, event: 'restore-done', restored: summary.restored, existing: summary.existing.count, expired: summary.expired.count, failed: summary.failed.count });
    summary.durationMs = Math.round(performance.now() - started);
    return { restore: summary };
  } finally {
    audit?.close();
    await router.close();
    await store.close();
  }
}

/** The TTL to RESTORE with (0: none), or undefined when the key's original expiry moment has passed. */
export function ttlFor(pttl: number, at: number, now: number, mode: TtlMode): number | undefined {
  if (pttl < 0) return 0; // no TTL (-1); -2 cannot be in a backup
  const deadline = at + pttl;
  if (deadline <= now) return undefined;
  // RESTORE's 0 means "no TTL": a key that had one must keep one, however short.
  return Math.max(1, Math.round(mode === 'recorded' ? pttl : deadline - now));
}

async function restoreIndexEntries(
  entries: Array<Extract<BackupEntry, { kind: 'sadd' }>>,
  options: RestoreOptions,
  router: NodeRouter,
  now: number,
  summary: RestoreSummary,
  source: string,
): Promise<void> {
  if (!options.yes) {
    summary.indexEntries.restored = entries.length;
    return;
  }
  const bySet = new Map<string, { members: string[]; ttl: number | undefined }>();
  for (const entry of entries) {
    const set = bySet.get(entry.key) ?? bySet.set(entry.key, { members: [], ttl: ttlFor(entry.pttl, entry.at, now, options.ttl) }).get(entry.key)!;
    set.members.push(entry.member);
  }
  const sets = [...bySet];
  const added = await router.send(sets.map(([key, { members }]) => ({ key, command: ['SADD', key, ...members] as [string, ...Arg[]] })));
  added.forEach(([error, value]) => {
    if (error) throw refusal('SADD', error, source);
    summary.indexEntries.restored += Number(value);
  });
  // A set SADD re-created has no TTL: give it the one it had (its members' sessions expire anyway).
  const withTtl = sets.filter(([, { ttl }]) => ttl !== undefined && ttl > 0);
  if (withTtl.length === 0) return;
  const ttls = await router.send(withTtl.map(([key]) => ({ key, command: ['PTTL', key] as [string, ...Arg[]] })));
  const expire = withTtl.filter((_, i) => ttls[i][1] === -1);
  const replies = await router.send(expire.map(([key, { ttl }]) => ({ key, command: ['PEXPIRE', key, ttl!] as [string, ...Arg[]] })));
  for (const [error] of replies) if (error) throw refusal('PEXPIRE', error, source);
}

