/**
 * `session-audit watch --redis URL`: a live view of sessions per namespace during an incident:
 * created, expired, deleted and evicted per second, and the number alive.
 *
 *  - notifications: when notify-keyspace-events publishes the key events watch needs (or, with
 *    --enable-notifications, after adding the missing flags; the old value is put back at the end),
 *    one subscriber per master counts them as they happen;
 *  - otherwise, sampling: INFO every interval and a bounded SCAN whose differences give the events
 *    (exact per namespace while the SCAN sees every key; only alive estimates beyond that).
 * Never exits and never prints: each interval goes to `onInterval`; cli-watch.ts renders it.
 */
import { InputError } from '../errors.js';
import { RedisReplyError } from '../stores/redis/errors.js';
import { connectOptions, type ConnectionArgs } from '../revoke/connection.js';
import { connectRedis, connectRedisWriter, type RedisStore } from '../stores/redis/connect.js';
import { WATCH_WRITES } from '../stores/redis/write-commands.js';
import type { RedisWriter } from '../stores/redis/reader.js';
import { sessionPatterns } from '../stores/session-patterns.js';
import { globToRegExp } from '../stores/redis-glob.js';
import { WatchCounters, type NamespaceRow } from '../watch/counters.js';
import { allChannels, channelsFor, combinePlans, type CreatedSource, type EventKind } from '../watch/notify-classes.js';
import { enableNotify, readNotify, restoreNotify, type NodeNotify, type NotifyChange, type RestoreOutcome } from '../watch/notify-config.js';
import { diffSamples, readServerCounters, sampleKeys, type KeySample, type ServerCounters } from '../watch/sample.js';
import { pause } from '../watch/pause.js';
import { subscribeAll, type Subscriptions } from '../watch/subscribe.js';

export interface WatchOptions {
  connection: ConnectionArgs;
  /** Seconds between reports. */
  interval: number;
  /** Stop by itself after this many seconds. */
  duration?: number;
  /** --namespace globs: only keys matching one of them. */
  namespaces: string[];
  sessionPatterns: string[];
  /** Add the missing notify-keyspace-events flags (and restore the old value at the end). */
  enableNotifications: boolean;
  /** Keys per master a SCAN looks at (at start, and each interval when sampling). */
  sample: number;
  /** Ctrl-C / SIGTERM: stop after the current interval's report. */
  signal: AbortSignal;
  onInterval: (report: WatchInterval) => void;
  /** One line for stderr (how it watches, what is missing). */
  warn: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export type WatchMode = 'notifications' | 'sampling';

export interface WatchInterval {
  /** End of the interval, ISO 8601. */
  time: string;
  source: string;
  mode: WatchMode;
  /** "notifications off: sampling ..." and the like; null when all is as it should be. */
  notice: string | null;
  /** The interval's length in seconds (the last one may be shorter). */
  seconds: number;
  elapsedSeconds: number;
  /** counted: every key seen at start and kept by events (or, sampling, every key seen each time); estimated: scaled from a SCAN sample. */
  alive: 'counted' | 'estimated';
  /** Where "created" comes from, or null when it cannot be seen. */
  created: 'new-key events' | 'writes of keys not alive before' | 'scan differences' | null;
  namespaces: NamespaceRow[];
  /** INFO, whole database (keys, expires) and whole server (rates): what no notification class is needed for. */
  server: { keys: number; expires: number; expiredPerSecond: number; evictedPerSecond: number };
  notes: string[];
}

export interface WatchResult {
  source: string;
  mode: WatchMode;
  intervals: number;
  /** What --enable-notifications changed, and whether it was put back. */
  restored: RestoreOutcome[];
}

export const DEFAULT_SAMPLE = 10_000;

/** `host:port` or `[v6]:port` (a node's address) -> its parts. */
function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(colon + 1)) };
}

function describePlan(states: readonly NodeNotify[]): string {
  const values = [...new Set(states.map((state) => `"${state.plan.value ?? '?'}"`))];
  return `notify-keyspace-events ${values.join(' / ')}`;
}

export async function runWatch(options: WatchOptions): Promise<WatchResult> {
  const connect = connectOptions(options.connection, options.env);
  const custom = sessionPatterns(options.sessionPatterns);
  const filters = options.namespaces.map((glob) => globToRegExp(glob));
  const keep = filters.length === 0 ? undefined : (key: string) => filters.some((filter) => filter.test(key));

  const store: RedisStore = options.enableNotifications ? await connectRedisWriter(connect, WATCH_WRITES) : await connectRedis(connect);
  const db = store.db ?? 0;
  let changes: NotifyChange[] = [];
  let subscriptions: Subscriptions | undefined;
  let intervals = 0;
  let mode: WatchMode = 'sampling';
  let failure: unknown;
  try {
    if (store.unreachable.length > 0) options.warn(`not watched (unreachable): ${store.unreachable.join('; ')}`);
    let states = await Promise.all(store.nodes.map(readNotify));
    if (options.enableNotifications) {
      // Restore may need a new connection to a node (its own dropped): same credentials, CONFIG SET allowed.
      const reopen = async (node: RedisWriter) => {
        const { host, port } = splitAddress(node.address);
        return (await store.open!(host, port)) as RedisWriter;
      };
      const enabled = await enableNotify(states, store.open ? reopen : undefined);
      changes = enabled.changes;
      states = enabled.states;
      for (const problem of enabled.problems) options.warn(problem);
      for (const change of changes) options.warn(`${change.source}: notify-keyspace-events "${change.old}" -> "${change.set}" (put back on exit)`);
    }

    const unverified = states.some((state) => state.plan.value === null);
    const combined = combinePlans(states.map((state) => state.plan));
    const supportsNew = states.every((state) => state.supportsNew);
    mode = unverified || combined.usable ? 'notifications' : 'sampling';
    let notice: string | null = null;
    let created: CreatedSource;
    let observed: Record<EventKind, boolean>;
    if (mode === 'sampling') {
      notice = `notifications off: sampling (${describePlan(states)}, missing ${[...new Set(states.flatMap((state) => state.plan.missing))].join(', ')}; --enable-notifications adds them)`;
      created = 'new';
      observed = { created: true, expired: true, deleted: true, evicted: true };
    } else if (unverified) {
      notice = 'could not check notify-keyspace-events (CONFIG GET refused): subscribed anyway; if every count stays 0, notifications are off';
      created = 'writes'; // switches to `new` events as soon as one arrives
      observed = { created: true, expired: true, deleted: true, evicted: true };
    } else {
      created = combined.created;
      observed = combined.kinds;
      const missing = [...new Set(states.flatMap((state) => state.plan.missing))];
      if (missing.length > 0) notice = `notifications partly on (${describePlan(states)}, missing ${missing.join(', ')}: "-" / null where unseen; --enable-notifications adds them)`;
    }
    let lostError: ((error: Error) => void) | undefined;
    const lost = new Promise<never>((_, reject) => (lostError = reject));
    lost.catch(() => {});
    const events: { counters?: WatchCounters } = {};
    if (mode === 'notifications') {
      const channels = unverified ? allChannels(db, supportsNew) : channelsFor(combined.kinds, combined.created, db);
      try {
        subscriptions = await subscribeAll(store, () => channels, (kind, key) => events.counters?.event(kind, key), (error) => lostError?.(error));
      } catch (error) {
        // SUBSCRIBE refused (an ACL without +subscribe or the key-event channels): sample instead.
        if (!(error instanceof RedisReplyError)) throw error;
        mode = 'sampling';
        notice = `notifications off: sampling (cannot subscribe: ${error.message})`;
        created = 'new';
        observed = { created: true, expired: true, deleted: true, evicted: true };
        options.warn(`${store.source}: ${notice}`);
      }
    }
    const counters = new WatchCounters({ custom, keep, created });
    events.counters = counters;

    // How long to wait for the subscribers to catch up (see Subscriptions.sync) before going on without.
    const syncMs = Math.min(2000, Math.max(200, options.interval * 500));
    counters.beginRebase();
    let server: ServerCounters = await readServerCounters(store.nodes, db);
    let sample: KeySample = await sampleKeys(store.nodes, { limit: options.sample, total: server.keys });
    // Events published while the SCAN ran must reach the counters before the rebase, or they would
    // be applied a second time on top of a SCAN that already saw their result.
    await subscriptions?.sync(syncMs);
    counters.rebase(sample, created === 'writes');
    // Said once everything is in place: what is watched from here on is counted.
    options.warn(
      mode === 'sampling'
        ? `${store.source}: ${notice}; watching INFO and a SCAN of up to ${options.sample.toLocaleString('en-US')} keys per master every ${options.interval}s`
        : `${store.source}: watching keyspace notifications on ${store.nodes.length} master${store.nodes.length === 1 ? '' : 's'} (${describePlan(states)})${notice ? `; ${notice}` : ''}`,
    );
    const started = performance.now();
    let last = started;
    let lastReceived = new Map(subscriptions?.received ?? []);
    let driftStreak = 0;
    for (let tick = 1; ; tick++) {
      const end = options.duration !== undefined ? Math.min(tick * options.interval, options.duration) : tick * options.interval;
      await pause(started + end * 1000 - performance.now(), options.signal, lost);
      const now = performance.now();
      // The interval's events: those published before now (the barrier lets the ones still on the way
      // arrive), not those arriving while INFO and the SCAN below are read (the next interval's).
      const inTime = mode !== 'notifications' || (await subscriptions!.sync(syncMs));
      if (mode === 'notifications') counters.cut();
      // Alive as of the interval's end, to compare with INFO read right after (events keep arriving meanwhile).
      const aliveAtCut = counters.aliveTotal();
      const seconds = (now - last) / 1000;
      if (options.signal.aborted && seconds < 0.05) break;
      last = now;
      const nextServer = await readServerCounters(store.nodes, db);
      // A master demoted by a failover stays connected, but its keys' events now come from another
      // node that watch does not listen to: counting on would silently miss them.
      const demoted = nextServer.replicas.filter((source) => !server.replicas.includes(source));
      if (demoted.length > 0) throw new InputError(`${demoted.join(', ')} is no longer a master (failover?): its keys' events now come from the new master; start watch again`, store.source);
      const expiredDelta = Math.max(0, nextServer.expiredKeys - server.expiredKeys);
      const evictedDelta = Math.max(0, nextServer.evictedKeys - server.evictedKeys);
      const notes: string[] = [];
      if (!inTime) notes.push(`key events arrive late (the subscriber is more than ${syncMs}ms behind the server): counts are shown as they arrive`);
      let intervalObserved = observed;
      let aliveCounted: boolean;
      if (mode === 'sampling') {
        const next = await sampleKeys(store.nodes, { limit: options.sample, total: nextServer.keys });
        if (sample.complete && next.complete) {
          for (const [kind, key] of diffSamples(sample, next, evictedDelta)) counters.event(kind, key);
        } else {
          intervalObserved = { created: false, expired: false, deleted: false, evicted: false };
          notes.push(`more keys than --sample ${options.sample} per master: per-namespace rates need a SCAN that sees every key; alive is estimated, server rates are from INFO`);
        }
        counters.rebase(next, false);
        aliveCounted = next.complete;
        sample = next;
      } else {
        // Keys can go without a key event (FLUSHDB, FLUSHALL, SWAPDB, MOVE): then more are counted alive
        // than the database holds, for ever. Such an impossible count is taken afresh from a SCAN.
        // Only when the events are in (inTime): a backlog still on the way would be counted twice. And
        // only two intervals in a row: under heavy churn, deletes between the cut and INFO differ a little.
        driftStreak = inTime && aliveAtCut > nextServer.keys + Math.max(5, nextServer.keys * 0.005) ? driftStreak + 1 : 0;
        const drifted = driftStreak >= 2;
        if (drifted) driftStreak = 0;
        if (drifted && counters.createdCountable) notes.push(`alive re-counted: more keys counted than INFO has (${nextServer.keys.toLocaleString('en-US')}): keys went without events (FLUSHDB/FLUSHALL, SWAPDB, MOVE?)`);
        if (!counters.createdCountable || drifted) {
          // Creations unseen: the events alone cannot keep alive, so it is estimated afresh each time.
          counters.beginRebase();
          sample = await sampleKeys(store.nodes, { limit: options.sample, total: nextServer.keys });
          await subscriptions!.sync(syncMs);
          counters.rebase(sample, created === 'writes');
        }
        // Counted: a SCAN that saw every key, kept by events since (or taken afresh this interval).
        aliveCounted = sample.complete;
        if (unverified && expiredDelta > 0 && (subscriptions!.received.get('expired') ?? 0) === (lastReceived.get('expired') ?? 0)) {
          notes.push(`INFO counted ${expiredDelta} expirations but no expired event arrived: notifications (x) look off`);
        }
        lastReceived = new Map(subscriptions!.received);
      }
      const via = intervalObserved.created ? counters.createdVia : null;
      const createdSource = via === null ? null : mode === 'sampling' ? 'scan differences' : via === 'new' ? 'new-key events' : 'writes of keys not alive before';
      const rate = (delta: number) => Math.round((delta / Math.max(0.001, seconds)) * 100) / 100;
      options.onInterval({
        time: new Date().toISOString(),
        source: store.source,
        mode,
        notice,
        seconds: Math.round(seconds * 1000) / 1000,
        elapsedSeconds: Math.round((now - started) / 100) / 10,
        alive: aliveCounted ? 'counted' : 'estimated',
        created: createdSource,
        namespaces: counters.take(seconds, intervalObserved),
        server: { keys: nextServer.keys, expires: nextServer.expires, expiredPerSecond: rate(expiredDelta), evictedPerSecond: rate(evictedDelta) },
        notes,
      });
      intervals++;
      server = nextServer;
      if (options.signal.aborted || (options.duration !== undefined && end >= options.duration)) break;
    }
  } catch (error) {
    failure = error;
  }
  // Whatever happened: unsubscribe, put the setting back, close.
  await subscriptions?.close().catch(() => {});
  const restored = await restoreNotify(changes);
  await store.close().catch(() => {});
  if (failure) {
    for (const outcome of restored) options.warn(outcome.restored ? `${outcome.source}: notify-keyspace-events put back to "${outcome.old}"` : restoreProblem(outcome));
    throw failure instanceof Error ? failure : new InputError(String(failure), store.source);
  }
  return { source: store.source, mode, intervals, restored };
}

export function restoreProblem(outcome: RestoreOutcome): string {
  return `${outcome.source}: notify-keyspace-events not put back to "${outcome.old}": ${outcome.problem}${outcome.leftAsIs ? '' : ` (set it by hand: CONFIG SET notify-keyspace-events "${outcome.old}")`}`;
}
