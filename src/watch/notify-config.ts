/**
 * notify-keyspace-events on each master: read it (CONFIG GET), and only with
 * `--enable-notifications` add the missing flags (CONFIG SET notify-keyspace-events, the one write a
 * watch connection may send: write-commands.ts WATCH_WRITES) and put the old value back at the end.
 */
import type { RedisReader, RedisWriter } from '../stores/redis/reader.js';
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
export async function enableNotify(states: readonly NodeNotify[]): Promise<{ changes: NotifyChange[]; problems: string[]; states: NodeNotify[] }> {
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
      const now = await readNotify(writer);
      changes.push({ source: writer.source, node: writer, old: plan.value, set: now.plan.value ?? plan.wanted });
      after.push(now);
    } catch (error) {
      problems.push(`${writer.source}: could not set notify-keyspace-events to "${plan.wanted}": ${(error as Error).message}`);
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
        const now = (await change.node.configGet('notify-keyspace-events'))?.get('notify-keyspace-events');
        if (now !== undefined && now !== change.set) {
          return { ...base, restored: false, leftAsIs: true, problem: `changed by someone else meanwhile (now "${now}"): left as is` };
        }
        await change.node.write('CONFIG', 'SET', 'notify-keyspace-events', change.old);
        return { ...base, restored: true };
      } catch (error) {
        return { ...base, restored: false, problem: (error as Error).message };
      }
    }),
  );
}
