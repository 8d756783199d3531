/**
 * `session-audit token revoke TOKEN | --jti ID --ttl D | --user SUB --before TIME`: put a token, or
 * every token of a subject issued before a cutoff, on the Redis denylist that `token verify
 * --denylist` (and the application, README) checks. What is written: revoke-entry.ts.
 *
 * Dry run by default: it connects read-only (GET, PTTL), shows what the entry holds now and what
 * would be written, and the command that writes it. With --yes the entry is raised by one
 * allow-listed script (DENYLIST_RAISE_LUA): a later cutoff or a longer TTL already there is kept,
 * so a revocation can never be undone or shortened by this command. One audit log line per write.
 */
import { InputError } from '../errors.js';
import { AuditLog, whoAmI } from '../revoke/audit-log.js';
import { commandLine } from '../revoke/command-line.js';
import { connectOptions, type ConnectionArgs } from '../revoke/connection.js';
import { connectRedisWriter, type RedisWriteStore } from '../stores/redis/connect.js';
import { cleanReply } from '../stores/redis/errors.js';
import { DENYLIST_RAISE_LUA, TOKEN_REVOKE_WRITES } from '../stores/redis/write-commands.js';
import { NodeRouter } from '../stores/redis/write-routing.js';
import { DEFAULT_DENYLIST_PREFIX } from '../tokens/denylist-keys.js';
import { readOneToken } from '../tokens/input.js';
import { planRevoke, type DenylistEntry } from '../tokens/revoke-entry.js';
import { isoTime } from '../tokens/times.js';

export interface TokenRevokeOptions {
  token?: string;
  jti?: string;
  user?: string;
  beforeMs?: number;
  ttlSeconds?: number;
  prefix?: string;
  connection: ConnectionArgs;
  yes: boolean;
  auditLog: string | false;
  /** The arguments as given, to print the command that writes the entry (passwords removed). */
  args: string[];
  nowMs?: number;
  note(line: string): void;
}

/** What the entry holds: the value (epoch seconds, as text) and its TTL in ms (-1: none); null when absent. */
export interface EntryState {
  value: string;
  ttlMs: number;
}

export interface TokenRevokeSummary {
  dryRun: boolean;
  kind: DenylistEntry['kind'];
  id: string;
  key: string;
  /** Epoch seconds: the revocation time (jti) or the cutoff (sub), and in ISO form. */
  value: number;
  at: string;
  /** The TTL asked for in ms (null: none), and when the entry goes. */
  ttlMs: number | null;
  expiresAt: string | null;
  /** The entry before, and after (--yes); null when it did not exist. */
  before: EntryState | null;
  after?: EntryState;
  /** --yes: whether anything changed (false: a later cutoff / longer TTL was already there). */
  changed?: boolean;
  source: string | null;
  auditLog: string | null;
  notes: string[];
  /** Dry run: the command that writes it. */
  command?: string;
}

export async function runTokenRevoke(options: TokenRevokeOptions): Promise<{ exitCode: number; revoke: TokenRevokeSummary }> {
  const nowMs = options.nowMs ?? Date.now();
  let token: { raw: string; source: string } | undefined;
  if (options.token !== undefined) {
    const read = await readOneToken(options.token);
    if (read.others > 0) options.note(`the input holds ${read.others} more token${read.others === 1 ? '' : 's'}; revoking the first`);
    token = read.token;
  }
  const entry = planRevoke({ token, jti: options.jti, user: options.user, beforeMs: options.beforeMs, ttlSeconds: options.ttlSeconds, prefix: options.prefix ?? DEFAULT_DENYLIST_PREFIX, nowMs });
  const summary: TokenRevokeSummary = {
    dryRun: !options.yes,
    kind: entry.kind,
    id: entry.id,
    key: entry.key,
    value: entry.value,
    at: isoTime(entry.value),
    ttlMs: entry.ttlMs,
    expiresAt: entry.ttlMs === null || entry.ttlMs <= 0 ? null : new Date(nowMs + entry.ttlMs).toISOString(),
    before: null,
    source: null,
    auditLog: null,
    notes: entry.notes,
  };
  // An expired token is refused by every verifier already: nothing to connect for.
  if (entry.expiredAt !== undefined) return { exitCode: 0, revoke: summary };

  const connect = connectOptions(options.connection);
  // The dry run's connection has no writes at all; only --yes opens one that may run the script.
  const store = await connectRedisWriter(connect, options.yes ? TOKEN_REVOKE_WRITES : []);
  const router = new NodeRouter(store);
  summary.source = store.source;
  try {
    summary.before = await readEntry(router, entry.key, store.source);
    if (!options.yes) {
      summary.command = commandLine('token', ['revoke', ...entry.replay, ...withoutToken(options.args, options.token)], ['--yes'], ['--yes', '-y']).text;
      return { exitCode: 0, revoke: summary };
    }
    const audit = options.auditLog ? AuditLog.open(options.auditLog) : undefined;
    summary.auditLog = audit?.file ?? null;
    try {
      const [[error, reply]] = await router.send([{ key: entry.key, command: ['EVAL', DENYLIST_RAISE_LUA, '1', entry.key, String(entry.value), String(entry.ttlMs ?? 0)] }]);
      if (error) throw refused(error, store.source);
      const [value, ttlMs, changed] = reply as [number, number, number];
      summary.after = { value: String(value), ttlMs };
      summary.changed = changed === 1;
      audit?.write({
        event: 'token-revoke',
        kind: entry.kind,
        id: entry.id,
        key: entry.key,
        value,
        ttlMs,
        changed: summary.changed,
        source: store.source,
        who: whoAmI(await aclUser(store)),
      });
    } finally {
      audit?.close();
    }
    return { exitCode: 0, revoke: summary };
  } finally {
    await router.close();
    await store.close();
  }
}

async function readEntry(router: NodeRouter, key: string, source: string): Promise<EntryState | null> {
  const [[getError, value], [pttlError, ttl]] = await router.send([
    { key, command: ['GET', key] },
    { key, command: ['PTTL', key] },
  ]);
  const error = getError ?? pttlError;
  if (error) throw refused(error, source);
  return value === null || value === undefined ? null : { value: String(value), ttlMs: Number(ttl) };
}

function refused(error: Error, source: string): InputError {
  const message = cleanReply(error.message);
  if (/^NOPERM/.test(message)) return new InputError(`refused: ${message} (a token revoke user needs +eval +get +pttl +set on the denylist keys; see the README)`, source);
  if (/^READONLY/.test(message)) return new InputError('refused: this node is a read-only replica (a failover?); give the master', source);
  return new InputError(`refused: ${message}`, source);
}

async function aclUser(store: RedisWriteStore): Promise<string | null> {
  try {
    return String(await store.nodes[0].call('ACL', 'WHOAMI'));
  } catch {
    return null;
  }
}

/** The arguments given, without the token itself: the command shown names the jti instead. */
function withoutToken(args: readonly string[], token: string | undefined): string[] {
  const at = token === undefined ? -1 : args.indexOf(token);
  return args.filter((_, i) => i !== at && !isReplayed(args, i));
}

/** --jti / --user / --before / --ttl are rebuilt from the entry (so the TTL shown is the one that applies). */
const REPLAYED = new Set(['--jti', '--user', '--before', '--ttl']);
function isReplayed(args: readonly string[], i: number): boolean {
  const flag = args[i].split('=')[0];
  if (REPLAYED.has(flag)) return true;
  return i > 0 && REPLAYED.has(args[i - 1]) && !args[i - 1].includes('=');
}
