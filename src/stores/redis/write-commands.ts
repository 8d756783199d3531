/**
 * The commands a RedisWriter may send besides the read-only list (read-commands.ts). A writer is
 * opened with ONE explicit list, so `revoke` can delete but never restore or overwrite, and `restore`
 * can re-create but never delete: a mistake in one command's code cannot send another command's
 * writes. `scan` never opens a writer at all (openNode without `writes` returns a plain RedisReader).
 *
 * DUMP is not a write, but it reads a whole value verbatim: it is only allowed where a backup is made.
 * ASKING only changes how the next command on the connection is routed during a cluster resharding.
 * CLIENT is allowed only as CLIENT NO-TOUCH, EVAL only with the script text of UNLINK_PAGE_LUA.
 */
export const REVOKE_WRITES = ['UNLINK', 'SREM', 'DUMP', 'ASKING', 'CLIENT', 'EVAL'] as const;

/**
 * The one script a revoke connection may EVAL (EVAL with any other script text is refused like an
 * unlisted command): UNLINK of each key given, one key per call (never CROSSSLOT), with pcall so a
 * key the node does not serve (MOVED / ASK during a resharding) or a refusal is reported per key
 * ('E') instead of failing the page. It spares the client a command object per key on a cluster,
 * where variadic UNLINK is not possible; the caller redoes 'E' keys one command per key, following
 * redirects. Reply: one character per key, '1' deleted, '0' not there, 'E' not done.
 */
export const UNLINK_PAGE_LUA = `#!lua flags=allow-cross-slot-keys
local out, pcall = {}, redis.pcall
for i = 1, #ARGV do
  local r = pcall('UNLINK', ARGV[i])
  if r == 1 then out[i] = '1' elseif r == 0 then out[i] = '0' else out[i] = 'E' end
end
return table.concat(out)`;
export const RESTORE_WRITES = ['RESTORE', 'SADD', 'PEXPIRE', 'ASKING'] as const;

/**
 * `token revoke`: it only ever raises one denylist key (denylist-keys.ts) through DENYLIST_RAISE_LUA.
 * SET is listed because the script sets; a plain SET is never sent.
 */
export const TOKEN_REVOKE_WRITES = ['SET', 'EVAL', 'ASKING'] as const;

/**
 * The one script a `token revoke` connection may EVAL: set KEYS[1] to ARGV[1] (epoch seconds) unless
 * it already holds a later time, and keep it at least ARGV[2] ms (0: for ever), never shortening a
 * TTL already there, and never giving a TTL to a key that had none. Atomic, so two people revoking
 * the same user at once cannot lower each other's cutoff or expire each other's entry early.
 * Reply: { value kept, TTL in ms (-1: none), 1 if anything changed else 0 }.
 */
export const DENYLIST_RAISE_LUA = `local old = redis.call('GET', KEYS[1])
local value, px = tonumber(ARGV[1]), tonumber(ARGV[2])
local oldttl = redis.call('PTTL', KEYS[1])
local oldvalue = old and tonumber(old)
if oldvalue and oldvalue > value then value = oldvalue end
if old and oldttl == -1 then px = 0 end
if px > 0 and oldttl > px then px = oldttl end
if old and oldvalue == value and ((px == 0 and oldttl == -1) or (px > 0 and oldttl >= px)) then return {value, oldttl, 0} end
if px > 0 then redis.call('SET', KEYS[1], value, 'PX', px) else redis.call('SET', KEYS[1], value) end
return {value, px > 0 and px or -1, 1}`;

/**
 * What a `revoke` DRY RUN may send besides reads: only `CLIENT NO-TOUCH ON` (Redis >= 7.2), so that
 * reading values for `--user` does not reset the idle times `--idle-over` measures. A dry run
 * therefore cannot delete anything by construction. On older servers CLIENT NO-TOUCH is an error
 * reply, which the caller handles.
 */
export const DRY_RUN_WRITES = ['CLIENT'] as const;

/**
 * The ACL rules a `revoke` user needs for every option (documented in the README; a test runs revoke
 * and restore as users with exactly these). Without +eval_ro / +eval the same work is done one
 * command per key; +acl|whoami is optional; on Redis >= 7.2 add +client|no-touch (value reads then leave idle times alone).
 */
export const REVOKE_ACL =
  '+ping +select +info +dbsize +scan +type +getrange +pttl +exists +object|idletime +cluster|slots +cluster|nodes +cluster|info ' +
  '+acl|whoami +get +hgetall +hmget +sscan +eval_ro +unlink +srem +dump +asking +eval';
/** The ACL rules a `token revoke` user needs (on a cluster also +cluster|slots). */
export const TOKEN_REVOKE_ACL = '+ping +select +info +acl|whoami +eval +get +pttl +set';
/** The ACL rules a `token verify --denylist` user needs (on a cluster also +info +cluster|nodes +cluster|slots). */
export const DENYLIST_READ_ACL = '+ping +exists +get';
/** The ACL rules a `restore` user needs. */
export const RESTORE_ACL = '+ping +select +info +exists +pttl +cluster|slots +cluster|nodes +cluster|info +acl|whoami +restore +sadd +pexpire +asking';

/**
 * What `watch --enable-notifications` may send besides reads: exactly
 * `CONFIG SET notify-keyspace-events <flags>` (to turn on the event classes it needs, and to put the
 * old value back on exit). No other CONFIG SET parameter, and no other CONFIG subcommand, goes
 * through; without --enable-notifications watch opens read-only connections and cannot send it at all.
 */
export const WATCH_WRITES = ['CONFIG'] as const;

/** notify-keyspace-events flag letters (redis.conf): any mix of these, or "" for off. */
const NOTIFY_FLAGS = /^[KEg$lshzxetdmnA]*$/;

/** The ACL rules `watch --enable-notifications` needs on top of WATCH_ACL (read-commands.ts). */
export const WATCH_ENABLE_ACL = '+config|set';

export function isAllowedWrite(writes: ReadonlySet<string>, name: string, args: readonly unknown[]): boolean {
  const upper = name.toUpperCase();
  if (!writes.has(upper)) return false;
  // CLIENT is listed only for NO-TOUCH: nothing else of CLIENT (KILL, PAUSE...) goes through.
  if (upper === 'CLIENT') return typeof args[0] === 'string' && args[0].toUpperCase() === 'NO-TOUCH';
  // EVAL only of the scripts written here, word for word, each on a list that allows what it does.
  if (upper === 'EVAL') return (args[0] === UNLINK_PAGE_LUA && writes.has('UNLINK')) || (args[0] === DENYLIST_RAISE_LUA && writes.has('SET'));
  // CONFIG is listed only for SET notify-keyspace-events with a flags value (watch): nothing else of CONFIG.
  if (upper === 'CONFIG') {
    return (
      args.length === 3 &&
      typeof args[0] === 'string' && args[0].toUpperCase() === 'SET' &&
      typeof args[1] === 'string' && args[1].toLowerCase() === 'notify-keyspace-events' &&
      typeof args[2] === 'string' && NOTIFY_FLAGS.test(args[2])
    );
  }
  return true;
}
