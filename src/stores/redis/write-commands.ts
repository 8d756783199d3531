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
/** The ACL rules a `restore` user needs. */
export const RESTORE_ACL = '+ping +select +info +exists +pttl +cluster|slots +cluster|nodes +cluster|info +acl|whoami +restore +sadd +pexpire +asking';

export function isAllowedWrite(writes: ReadonlySet<string>, name: string, args: readonly unknown[]): boolean {
  const upper = name.toUpperCase();
  if (!writes.has(upper)) return false;
  // CLIENT is listed only for NO-TOUCH: nothing else of CLIENT (KILL, PAUSE...) goes through.
  if (upper === 'CLIENT') return typeof args[0] === 'string' && args[0].toUpperCase() === 'NO-TOUCH';
  // EVAL only of the scripts written here, word for word.
  if (upper === 'EVAL') return args[0] === UNLINK_PAGE_LUA;
  return true;
}
