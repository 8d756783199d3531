/**
 * notify-keyspace-events on each master: read it (CONFIG GET), and only with
 * `--enable-notifications` add the missing flags (CONFIG SET notify-keyspace-events, the one write a
 * watch connection may send: write-commands.ts WATCH_WRITES) and put the old value back at the end.
 */
import type { RedisReader, RedisWriter } from '../stores/redis/reader.js';
import { RedisReplyError } from '../stores/redis/errors.js';
import { parseInfo } from '../stores/redis/info-facts.js';
import { planNotifications, type NotifyPlan } from './notify-classes.js';

export interface NodeNotify {
  node: RedisReader;
  /** Redis >= 7 knows the `n` (new key) class. */
  supportsNew: boolean;
  version: string | null;
  plan: NotifyPlan;
}

/** A change made by --enable-notifications, to undo. */
export interface NotifyChange {
  source: string;
  node: RedisWriter;
  /** The value before (what restore puts back). */
  old: string;
  /** The value as the server reported it after the change (restore leaves a value someone else set since). */
  set: string;
  /** A new connection to the same node: restore uses it when `node`'s connection is gone. */
  reopen?: () => Promise<RedisWriter>;
}

export interface RestoreOutcome {
  source: string;
  old: string;
  restored: boolean;
  /** Why not: refused, connection lost, or changed by someone else meanwhile. */
  problem?: string;
  /** Not put back on purpose: someone else set another value meanwhile (theirs is kept). */
  leftAsIs?: boolean;
}

function major(version: string | null): number {
  return Number(/^(\d+)/.exec(version ?? '')?.[1] ?? 0);
}

export async function readNotify(node: RedisReader): Promise<NodeNotify> {
  const version = parseInfo(await node.info('server')).get('redis_version') ?? null;
  const supportsNew = major(version) >= 7;
  const config = await node.configGet('notify-keyspace-events');
  const value = config?.get('notify-keyspace-events');
  const plan: NotifyPlan =
    value === undefined ? { ...planNotifications('', supportsNew), value: null, missing: [], usable: true } : planNotifications(value, supportsNew);
  return { node, supportsNew, version, plan };
}

/** CONFIG SET the wanted value where flags are missing; returns the changes made (to restore) and problems. */
export async function enableNotify(
  states: readonly NodeNotify[],
  reopen?: (node: RedisWriter) => Promise<RedisWriter>,
): Promise<{ changes: NotifyChange[]; problems: string[]; states: NodeNotify[] }> {
  const changes: NotifyChange[] = [];
  const problems: string[] = [];
  const after: NodeNotify[] = [];
  for (const state of states) {
    const { plan } = state;
    if (plan.value === null || plan.missing.length === 0) {
      if (plan.value === null) problems.push(`${state.node.source}: CONFIG GET was refused, so notify-keyspace-events was not changed`);
      after.push(state);
      continue;
    }
    const writer = state.node as RedisWriter;
    try {
      await writer.write('CONFIG', 'SET', 'notify-keyspace-events', plan.wanted);
    } catch (error) {
      problems.push(`${writer.source}: could not set notify-keyspace-events to "${plan.wanted}": ${(error as Error).message}`);
      after.push(state);
      continue;
    }
    // Recorded as soon as the SET succeeded: if reading it back fails, it must still be put back.
    const change: NotifyChange = { source: writer.source, node: writer, old: plan.value, set: plan.wanted, reopen: reopen && (() => reopen(writer)) };
    changes.push(change);
    try {
      const now = await readNotify(writer);
      // The server's spelling of the value (e.g. "gxenE"), which restore compares against.
      change.set = now.plan.value ?? plan.wanted;
      after.push(now);
    } catch (error) {
      problems.push(`${writer.source}: set notify-keyspace-events to "${plan.wanted}" but could not read it back: ${(error as Error).message}`);
      after.push(state);
    }
  }
  return { changes, problems, states: after };
}

/** Put each old value back, unless someone changed the setting again since (then leave theirs). */
export async function restoreNotify(changes: readonly NotifyChange[]): Promise<RestoreOutcome[]> {
  return Promise.all(
    changes.map(async (change): Promise<RestoreOutcome> => {
      const base = { source: change.source, old: change.old };
      try {
        return { ...base, ...(await restoreOn(change.node, change)) };
      } catch (error) {
        // The watch's own connection is gone (killed, dropped, timed out) but the server may well be
        // there: one new connection before asking for a CONFIG SET by hand. A refusal is final.
        if (error instanceof RedisReplyError || !change.reopen) return { ...base, restored: false, problem: (error as Error).message };
        try {
          const fresh = await change.reopen();
          try {
            return { ...base, ...(await restoreOn(fresh, change)) };
          } finally {
            await fresh.close().catch(() => {});
          }
        } catch (again) {
          return { ...base, restored: false, problem: (again as Error).message };
        }
      }
    }),
  );
}

async function restoreOn(node: RedisWriter, change: NotifyChange): Promise<Omit<RestoreOutcome, 'source' | 'old'>> {
  const now = (await node.configGet('notify-keyspace-events'))?.get('notify-keyspace-events');
  // Already the old value (e.g. the server restarted with its configured one): nothing to put back.
  if (now === change.old) return { restored: true };
  if (now !== undefined && now !== change.set) {
    return { restored: false, leftAsIs: true, problem: `changed by someone else meanwhile (now "${now}"): left as is` };
  }
  await node.write('CONFIG', 'SET', 'notify-keyspace-events', change.old);
  return { restored: true };
}
