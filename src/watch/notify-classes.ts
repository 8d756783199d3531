/**
 * notify-keyspace-events, read as `watch` needs it: which of its event kinds the server publishes,
 * what is missing, and the value that would add what is missing (keeping everything already on).
 *
 * Flags (redis.conf): K keyspace channel, E key-event channel, g generic (DEL/UNLINK -> "del"),
 * $ strings ("set"), h hashes ("hset"), x "expired", e "evicted", n "new" (Redis >= 7: a key was
 * created), A = g$lshzxetd. watch listens on the key-event channel, so E is always needed.
 * https://redis.io/docs/latest/develop/use/keyspace-notifications/
 */
export type EventKind = 'created' | 'expired' | 'deleted' | 'evicted';
export const EVENT_KINDS: readonly EventKind[] = ['created', 'expired', 'deleted', 'evicted'];

/** Where "created" comes from: `new` events (exact), writes (SET/HSET) of keys not seen before, or nowhere. */
export type CreatedSource = 'new' | 'writes' | null;

const ALL_ALIAS = 'g$lshzxetd';

export interface NotifyPlan {
  /** The value read; null when CONFIG GET was refused (then nothing below is known for sure). */
  value: string | null;
  keyevent: boolean;
  created: CreatedSource;
  /** Event kinds the server publishes on the key-event channel. */
  kinds: Record<EventKind, boolean>;
  /** The missing flags, each with what it is for, e.g. `x (expired)`. */
  missing: string[];
  /** The value with the missing flags added (what --enable-notifications sets). */
  wanted: string;
  /** E and at least one event kind: worth subscribing. */
  usable: boolean;
}

export function expandFlags(value: string): Set<string> {
  const flags = new Set<string>();
  for (const flag of value) {
    if (flag === 'A') for (const alias of ALL_ALIAS) flags.add(alias);
    else flags.add(flag);
  }
  return flags;
}

/**
 * @param value notify-keyspace-events as CONFIG GET returns it
 * @param supportsNew the server knows the `n` class (Redis >= 7.0)
 */
export function planNotifications(value: string, supportsNew: boolean): NotifyPlan {
  const flags = expandFlags(value);
  const has = (flag: string) => flags.has(flag);
  const keyevent = has('E');
  const created: CreatedSource = keyevent && has('n') ? 'new' : keyevent && (has('$') || has('h')) ? 'writes' : null;
  const kinds: Record<EventKind, boolean> = {
    created: created !== null,
    expired: keyevent && has('x'),
    deleted: keyevent && has('g'),
    evicted: keyevent && has('e'),
  };
  const need: Array<[string, string]> = [
    ['E', 'key-event channel'],
    ['g', 'del'],
    ['x', 'expired'],
    ['e', 'evicted'],
    ...(supportsNew ? ([['n', 'new keys']] as Array<[string, string]>) : ([['$', 'set'], ['h', 'hset']] as Array<[string, string]>)),
  ];
  const missingFlags = need.filter(([flag]) => !has(flag));
  return {
    value,
    keyevent,
    created,
    kinds,
    missing: missingFlags.map(([flag, what]) => `${flag} (${what})`),
    wanted: value + missingFlags.map(([flag]) => flag).join(''),
    usable: keyevent && Object.values(kinds).some(Boolean),
  };
}

/** Several masters (a cluster): a kind counts only if every master publishes it. */
export function combinePlans(plans: readonly NotifyPlan[]): Pick<NotifyPlan, 'created' | 'kinds' | 'usable'> {
  const kinds = Object.fromEntries(EVENT_KINDS.map((kind) => [kind, plans.every((plan) => plan.kinds[kind])])) as Record<EventKind, boolean>;
  const created: CreatedSource = plans.every((plan) => plan.created === 'new') ? 'new' : kinds.created ? 'writes' : null;
  return { created, kinds, usable: plans.every((plan) => plan.usable) };
}

/** The key-event channels to SUBSCRIBE to for these kinds, on database `db`. */
export function channelsFor(kinds: Record<EventKind, boolean>, created: CreatedSource, db: number): string[] {
  const events = [
    ...(created === 'new' ? ['new'] : created === 'writes' ? ['set', 'hset'] : []),
    ...(kinds.expired ? ['expired'] : []),
    ...(kinds.deleted ? ['del'] : []),
    ...(kinds.evicted ? ['evicted'] : []),
  ];
  return events.map((event) => `__keyevent@${db}__:${event}`);
}

/** Every channel watch can use: for a server whose setting could not be read (subscribe anyway). */
export function allChannels(db: number, supportsNew: boolean): string[] {
  return [...(supportsNew ? ['new'] : []), 'set', 'hset', 'expired', 'del', 'evicted'].map((event) => `__keyevent@${db}__:${event}`);
}

/** `__keyevent@0__:expired` -> `expired`. */
export function eventOfChannel(channel: string): string {
  return channel.slice(channel.indexOf('__:') + 3);
}
