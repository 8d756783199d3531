/**
 * Spring Session (RedisIndexedSessionRepository) keeps three things per session:
 *   <ns>:sessions:<id>            the session hash (what `revoke` selects)
 *   <ns>:sessions:expires:<id>    the expiry shadow key whose expiry event triggers Spring's cleanup
 *   <ns>:index:<index name>:<principal>   a set of session ids per user (FindByIndexNameSessionRepository)
 * and minute buckets <ns>:expirations:<minute> holding "expires:<id>", which Spring's cleanup task
 * only uses to touch keys that may be gone: left as they are (harmless once the session is gone).
 *
 * Revoking a session removes its hash, its expires key and its id from every index set that holds
 * it, so nothing dangles: Spring would not clean the index itself, because it reads the session
 * hash to find the principal when the expiry event arrives, and the hash is gone.
 */
import type { Arg } from '../stores/redis/reader.js';
import type { NodeRouter } from '../stores/redis/write-routing.js';
import { InputError } from '../errors.js';
import { maskKey } from '../stores/mask-key.js';
import { springPrincipalIndexKey } from './session-user.js';
import { cleanReply } from '../stores/redis/errors.js';

export const DEFAULT_SPRING_NAMESPACE = 'spring:session';

/** `<ns>:sessions:<id>` -> { ns, id }; undefined for anything else (expires keys included). */
export function springSession(key: string): { ns: string; id: string } | undefined {
  const at = key.lastIndexOf(':sessions:');
  if (at < 0) return undefined;
  const id = key.slice(at + ':sessions:'.length);
  if (id === '' || id.startsWith('expires:')) return undefined;
  return { ns: key.slice(0, at), id };
}

export const springExpiresKey = (ns: string, id: string) => `${ns}:sessions:expires:${id}`;
export const springSessionKey = (ns: string, id: string) => `${ns}:sessions:${id}`;

/** `<ns>:index:<name>:<principal>` -> ns (the part before ":index:"). */
export function springIndexNamespace(indexKey: string): string | undefined {
  const at = indexKey.indexOf(':index:');
  return at < 0 ? undefined : indexKey.slice(0, at);
}

export interface IndexKey {
  key: string;
  /** host:port of the node the walk found it on; null: route by slot. */
  node: string | null;
}

/** Members read per SSCAN step; index sets are per user, so usually a few members. */
const SSCAN_COUNT = 1000;
/** Index sets read together in one pipelined round. */
const PARALLEL = 200;

/**
 * Every member of each set, read with SSCAN (a page at a time, many sets per pipelined round).
 * `onMembers` gets each set's members as they come.
 */
export async function scanSets(router: NodeRouter, sets: readonly IndexKey[], onMembers: (set: IndexKey, members: string[]) => void, stop?: { now: boolean }): Promise<void> {
  for (let from = 0; from < sets.length && !stop?.now; from += PARALLEL) {
    let active = sets.slice(from, from + PARALLEL).map((set) => ({ set, cursor: '0' }));
    while (active.length > 0) {
      const replies = await router.send(
        active.map(({ set, cursor }) => ({ key: set.key, node: set.node ?? undefined, command: ['SSCAN', set.key, cursor, 'COUNT', SSCAN_COUNT] as [string, ...Arg[]] })),
      );
      const next: typeof active = [];
      replies.forEach(([error, value], i) => {
        const { set } = active[i];
        if (error) {
          // WRONGTYPE: a key of that shape that is not a set; not Spring's: skip it.
          if (/^WRONGTYPE/.test(error.message)) return;
          throw new InputError(`SSCAN ${maskKey(set.key)}: ${cleanReply(error.message)}`, router.store.source);
        }
        const [cursor, members] = value as [string, string[]];
        if (members.length > 0) onMembers(set, members);
        if (cursor !== '0') next.push({ set, cursor });
      });
      active = next;
    }
  }
}

/** The principal index keys of `user` in the Spring namespaces given. */
export function userIndexKeys(user: string, namespaces: Iterable<string>): string[] {
  return [...new Set([...namespaces].map((ns) => springPrincipalIndexKey(user, ns)))];
}
