/**
 * Shared by the revoke / restore tests: a temp state folder, runRevoke / runRestore with test
 * defaults, and byte-for-byte snapshots of a keyspace (DUMP + PTTL of every key) to prove what
 * was deleted and that nothing else changed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { runRestore, type RestoreOptions } from '../../src/commands/restore.js';
import { runRevoke, type RevokeOptions } from '../../src/commands/revoke.js';
import type { Op } from '../../src/revoke/ops.js';
import { Planner, type PlanStats } from '../../src/revoke/plan.js';
import { Selector, validateFilter, type RevokeFilter } from '../../src/revoke/select.js';
import { connectRedisWriter, type RedisWriteStore } from '../../src/stores/redis/connect.js';
import { DRY_RUN_WRITES } from '../../src/stores/redis/write-commands.js';
import { NodeRouter } from '../../src/stores/redis/write-routing.js';

export function tempState(): { dir: string; env: NodeJS.ProcessEnv; auditLog: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-revoke-'));
  return {
    dir,
    env: { ...process.env, XDG_STATE_HOME: dir, REDISCLI_AUTH: '' },
    auditLog: path.join(dir, 'audit.log'),
    file: (name) => path.join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type FilterInput = Partial<RevokeFilter>;

export function filterOf(input: FilterInput): RevokeFilter {
  return { namespaces: [], frameworks: [], sessionPatterns: [], ...input };
}

export function revoke(url: string, state: ReturnType<typeof tempState>, filter: FilterInput, options: Partial<RevokeOptions> = {}) {
  return runRevoke({
    connection: { url, sentinels: [] },
    filter: filterOf(filter),
    yes: false,
    confirmOver: 1000,
    auditLog: state.auditLog,
    args: ['--redis', url],
    interactive: false,
    stop: { now: false },
    warn: () => {},
    env: state.env,
    ...options,
  }).then((result) => result.revoke);
}

export function restore(url: string, state: ReturnType<typeof tempState>, backup: string, options: Partial<RestoreOptions> = {}) {
  return runRestore({
    connection: { url, sentinels: [] },
    backup,
    yes: false,
    ttl: 'recorded',
    auditLog: state.auditLog,
    stop: { now: false },
    env: state.env,
    ...options,
  }).then((result) => result.restore);
}

export interface KeyState {
  /** DUMP, hex: the bytes as the server serialises them. */
  dump: string;
  /** The value as data (hash fields and set members sorted): a RESTOREd hash may DUMP its fields in another order. */
  content: string;
  pttl: number;
}

async function contentOf(client: Redis, key: string): Promise<string> {
  const type = await client.type(key);
  const hex = (items: Buffer[]) => items.map((item) => item.toString('hex'));
  switch (type) {
    case 'string':
      return `string:${(await client.getBuffer(key))?.toString('hex')}`;
    case 'hash':
      return `hash:${Object.entries(await client.hgetallBuffer(key)).map(([field, value]) => `${field}=${value.toString('hex')}`).sort().join(',')}`;
    case 'set':
      return `set:${hex(await client.smembersBuffer(key)).sort().join(',')}`;
    case 'list':
      return `list:${hex(await client.lrangeBuffer(key, 0, -1)).join(',')}`;
    default:
      return type;
  }
}

/** Every key of the client's database: its DUMP (hex) and PTTL. */
export async function snapshot(client: Redis): Promise<Map<string, KeyState>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, page] = await client.scan(cursor, 'COUNT', 1000);
    keys.push(...page);
    cursor = next;
  } while (cursor !== '0');
  const out = new Map<string, KeyState>();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const pipeline = client.pipeline();
    for (const key of chunk) pipeline.dumpBuffer(key).pttl(key);
    const replies = (await pipeline.exec())!;
    chunk.forEach((key, j) => {
      const dump = replies[2 * j][1] as Buffer | null;
      if (dump) out.set(key, { dump: dump.toString('hex'), content: '', pttl: replies[2 * j + 1][1] as number });
    });
  }
  for (const [key, state] of out) state.content = await contentOf(client, key);
  return out;
}

/** Every key of a cluster (all masters). */
export async function clusterSnapshot(clients: Redis[]): Promise<Map<string, KeyState>> {
  const out = new Map<string, KeyState>();
  for (const client of clients) for (const [key, state] of await snapshot(client)) out.set(key, state);
  return out;
}

/**
 * after == before minus `gone`, byte for byte; TTLs may only have run down (by at most `slackMs`).
 * Returns a list of differences (empty when all is well), readable in a failed expect.
 */
export function compareSnapshots(before: Map<string, KeyState>, after: Map<string, KeyState>, gone: ReadonlySet<string>, slackMs = 60_000, by: 'dump' | 'content' = 'dump'): string[] {
  const problems: string[] = [];
  for (const [key, state] of before) {
    const now = after.get(key);
    if (gone.has(key)) {
      if (now) problems.push(`${key}: should be gone`);
      continue;
    }
    if (!now) {
      problems.push(`${key}: missing`);
      continue;
    }
    if (now[by] !== state[by]) problems.push(`${key}: value changed`);
    if ((state.pttl === -1) !== (now.pttl === -1) || (state.pttl >= 0 && (now.pttl > state.pttl || state.pttl - now.pttl > slackMs))) {
      problems.push(`${key}: TTL ${state.pttl} -> ${now.pttl}`);
    }
  }
  for (const key of after.keys()) if (!before.has(key)) problems.push(`${key}: new key`);
  return problems;
}

/** The plan a filter makes (exact keys), without deleting: the Planner with a collecting sink. */
export async function planOps(url: string, input: FilterInput, tweak?: (store: RedisWriteStore) => void): Promise<{ ops: Op[]; stats: PlanStats }> {
  const store = await connectRedisWriter({ url, env: {} }, DRY_RUN_WRITES);
  const router = new NodeRouter(store);
  try {
    tweak?.(store);
    const filter = filterOf(input);
    validateFilter(filter);
    const ops: Op[] = [];
    const planner = new Planner({ store, router, selector: new Selector(filter), stop: { now: false }, sink: { add: (op) => ops.push(op) } });
    const stats = await planner.run();
    return { ops, stats };
  } finally {
    await router.close();
    await store.close();
  }
}

export const sessionKeysOf = (ops: Op[]) => new Set(ops.flatMap((op) => (op.t === 's' ? [op.key] : [])));
