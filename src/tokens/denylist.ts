/**
 * `--denylist redis://...`: is a valid token on the revocation list that `session-audit token revoke`
 * writes (denylist-keys.ts: `<prefix>jti:<jti>`, and `<prefix>sub:<sub>` = a cutoff for tokens issued
 * before it)? READ-ONLY: the connection is opened with an empty write list, and after the connection
 * probe the only commands sent are EXISTS and GET, pipelined for a batch. On a cluster each key goes
 * to the node that serves it (MOVED / ASK followed), through the same router revoke uses.
 * The URL's password never appears in any message (the store's `source` is redacted).
 */
import { InputError, UsageError } from '../errors.js';
import { connectRedisWriter, type RedisWriteStore } from '../stores/redis/connect.js';
import { NodeRouter, type KeyedCommand } from '../stores/redis/write-routing.js';
import { DEFAULT_DENYLIST_PREFIX, denylistVerdict, jtiKey, subKey, type DenylistClaims } from './denylist-keys.js';

export { DEFAULT_DENYLIST_PREFIX } from './denylist-keys.js';

export interface Denylist {
  /** The URL without its password. */
  readonly source: string;
  readonly prefix: string;
  /** One verdict per token, in order: undefined when it passes, else why it is invalid. */
  check(tokens: readonly DenylistClaims[]): Promise<Array<{ reason: string; revoked: boolean } | undefined>>;
  close(): Promise<void>;
}

export async function openDenylist(url: string, prefix = DEFAULT_DENYLIST_PREFIX, timeouts = { connectMs: 2_000, commandMs: 5_000 }): Promise<Denylist> {
  let store: RedisWriteStore;
  try {
    store = await connectRedisWriter({ url, timeouts: { ...timeouts, attempts: 1 } }, []);
  } catch (error) {
    // The shared connection code names --redis; here the flag is --denylist.
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/--redis /, '--denylist '));
    if (error instanceof InputError) throw new InputError(`--denylist: ${error.message}`, error.file);
    throw error;
  }
  const router = new NodeRouter(store);
  return {
    source: store.source,
    prefix,
    async check(tokens) {
      const commands: KeyedCommand[] = [];
      for (const token of tokens) {
        const jti = jtiKey(prefix, token.jti!);
        commands.push({ key: jti, command: ['EXISTS', jti] as const });
        if (token.sub !== undefined) {
          const sub = subKey(prefix, token.sub);
          commands.push({ key: sub, command: ['GET', sub] as const });
        }
      }
      const replies = await router.send(commands);
      let at = 0;
      const reply = () => {
        const [error, value] = replies[at++];
        // A refusal (NOPERM...) means the list cannot be read: not "not revoked".
        if (error) throw new InputError(`--denylist: ${commands[at - 1].command[0]} refused: ${error.message.split('\n')[0]}`, store.source);
        return value;
      };
      return tokens.map((token) => {
        const listed = Number(reply()) > 0;
        const cutoff = token.sub !== undefined ? (reply() as string | null) : null;
        return denylistVerdict(token, listed, cutoff === null ? null : String(cutoff));
      });
    },
    close: async () => {
      await router.close();
      await store.close();
    },
  };
}
