import type { Namespace } from '../../model/index.js';
import { maskKey } from '../mask-key.js';
import type { RedisReader } from './reader.js';

/** Members read per index set: a principal with more live sessions than this is unusual. */
const MEMBERS_PER_INDEX = 1000;

/**
 * Spring Session's principal index sets (`<namespace>:index:<index name>:<principal>`) hold session
 * ids; an id whose `<namespace>:sessions:<id>` hash is gone is stale (the index is cleaned only when
 * the expiry event arrives: see spring-session-no-keyspace-events). Read-only: SSCAN and EXISTS.
 */
export async function checkSpringIndexes(reader: RedisReader, indexKeys: string[]): Promise<NonNullable<Namespace['staleIndex']>> {
  let entries = 0;
  let stale = 0;
  const examples: string[] = [];
  for (const indexKey of indexKeys) {
    const at = indexKey.indexOf(':index:');
    if (at < 0) continue;
    const sessionPrefix = `${indexKey.slice(0, at)}:sessions:`;
    const ids: string[] = [];
    let cursor = '0';
    do {
      const [next, members] = (await reader.call('SSCAN', indexKey, cursor, 'COUNT', 200)) as [string, string[]];
      ids.push(...members);
      cursor = next;
    } while (cursor !== '0' && ids.length < MEMBERS_PER_INDEX);
    if (ids.length === 0) continue;
    const replies = await reader.pipeline(ids.map((id) => ['EXISTS', `${sessionPrefix}${id}`] as const));
    replies.forEach((reply, index) => {
      entries++;
      const [error, value] = reply;
      if (!error && Number(value) === 0) {
        stale++;
        if (examples.length < 5) examples.push(`${indexKey} -> ${maskKey(ids[index])}`);
      }
    });
  }
  return { indexesChecked: indexKeys.length, entries, stale, examples };
}
