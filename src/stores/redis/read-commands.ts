/**
 * The only commands session-audit ever sends to a Redis it inspects. Everything goes through
 * `assertReadCommand`, so "read-only" holds by construction, not by care: a write cannot be sent
 * even by mistake. EVAL_RO/EVALSHA_RO are here because the server itself refuses any write from
 * them ("Write commands are not allowed from read-only scripts").
 *
 * A few value reads (GETRANGE, HGETALL...) are allowed for recognising a framework's session format
 * from one sample value; values are never printed.
 */
const SINGLE = new Set([
  'PING', 'INFO', 'DBSIZE', 'SCAN', 'TYPE', 'PTTL', 'TTL', 'EXISTS', 'RANDOMKEY', 'ROLE',
  'EVAL_RO', 'EVALSHA_RO',
  'GET', 'GETRANGE', 'STRLEN', 'HGETALL', 'HMGET', 'HLEN', 'HKEYS', 'SCARD', 'ZCARD', 'LLEN',
  // Spring Session principal indexes: read the session ids a set holds, a page at a time.
  'SSCAN',
  // `watch`: listen to keyspace notifications (a subscriber connection changes nothing on the server).
  'SUBSCRIBE', 'PSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE',
]);

const WITH_SUBCOMMAND: Record<string, Set<string>> = {
  CONFIG: new Set(['GET']),
  OBJECT: new Set(['IDLETIME', 'FREQ', 'ENCODING']),
  MEMORY: new Set(['USAGE']),
  CLUSTER: new Set(['INFO', 'NODES', 'SLOTS', 'SHARDS', 'MYID']),
  ACL: new Set(['WHOAMI', 'GETUSER']),
  SENTINEL: new Set(['GET-MASTER-ADDR-BY-NAME', 'MASTER', 'MASTERS', 'REPLICAS', 'SENTINELS']),
};

export function isReadCommand(name: string, subcommand?: string): boolean {
  const upper = name.toUpperCase();
  if (SINGLE.has(upper)) return true;
  const subs = WITH_SUBCOMMAND[upper];
  return !!subs && subcommand !== undefined && subs.has(subcommand.toUpperCase());
}

export function assertReadCommand(name: string, args: readonly unknown[]): void {
  const sub = typeof args[0] === 'string' ? args[0] : undefined;
  if (!isReadCommand(name, sub)) {
    // A programming error, not a user one: fail loudly before anything reaches the server.
    throw new Error(`refusing to send ${name}${sub ? ` ${sub}` : ''}: not in the read-only command list`);
  }
}

/** The ACL rules a read-only audit user needs (documented for users; the tests create this user). */
export const READ_ONLY_ACL =
  '+ping +select +info +dbsize +scan +type +pttl +ttl +exists +randomkey +role +eval_ro +evalsha_ro ' +
  '+config|get +object|idletime +object|freq +object|encoding +memory|usage ' +
  '+cluster|info +cluster|nodes +cluster|slots +cluster|shards +cluster|myid +acl|whoami +acl|getuser ' +
  '+get +getrange +strlen +hgetall +hmget +hlen +hkeys +scard +zcard +llen +sscan';

/**
 * What a `watch` user needs besides the read-only rules: the key-event channels (`&__keyevent@*`
 * on Redis >= 7, where channels are restricted by default) and SUBSCRIBE itself.
 */
export const WATCH_ACL = `${READ_ONLY_ACL} +subscribe +unsubscribe +psubscribe +punsubscribe &__keyevent@*`;
