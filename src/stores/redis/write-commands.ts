/**
 * The commands a RedisWriter may send besides the read-only list (read-commands.ts). A writer is
 * opened with ONE explicit list, so `revoke` can delete but never restore or overwrite, and `restore`
 * can re-create but never delete: a mistake in one command's code cannot send another command's
 * writes. `scan` never opens a writer at all (openNode without `writes` returns a plain RedisReader).
 *
 * DUMP is not a write, but it reads a whole value verbatim: it is only allowed where a backup is made.
 * ASKING only changes how the next command on the connection is routed during a cluster resharding.
 */
export const REVOKE_WRITES = ['UNLINK', 'SREM', 'DUMP', 'ASKING', 'CLIENT'] as const;
export const RESTORE_WRITES = ['RESTORE', 'SADD', 'PEXPIRE', 'ASKING'] as const;

/**
 * What a `revoke` DRY RUN may send besides reads: only `CLIENT NO-TOUCH ON` (Redis >= 7.2), so that
 * reading values for `--user` does not reset the idle times `--idle-over` measures. A dry run
 * therefore cannot delete anything by construction. On older servers CLIENT NO-TOUCH is an error
 * reply, which the caller handles.
 */
export const DRY_RUN_WRITES = ['CLIENT'] as const;

/** The ACL rules a `revoke` user needs (with --backup: DUMP; Spring Session: SREM). */
export const REVOKE_ACL =
  '+ping +select +info +scan +pttl +type +exists +object|idletime +config|get +cluster|slots +cluster|nodes +cluster|info ' +
  '+acl|whoami +get +hgetall +hmget +sscan +unlink +srem +dump +asking';
/** The ACL rules a `restore` user needs. */
export const RESTORE_ACL = '+ping +select +info +exists +pttl +cluster|slots +cluster|nodes +cluster|info +acl|whoami +restore +sadd +pexpire +asking';

export function isAllowedWrite(writes: ReadonlySet<string>, name: string, args: readonly unknown[]): boolean {
  const upper = name.toUpperCase();
  if (!writes.has(upper)) return false;
  // CLIENT is listed only for NO-TOUCH: nothing else of CLIENT (KILL, PAUSE...) goes through.
  if (upper === 'CLIENT') return typeof args[0] === 'string' && args[0].toUpperCase() === 'NO-TOUCH';
  return true;
}
