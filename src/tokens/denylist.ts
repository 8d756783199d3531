/**
 * `--denylist redis://...`: is a token's `jti` on the revocation list that `session-audit revoke`
 * writes (`<prefix><jti>`, default prefix `revoked:jti:`)? READ-ONLY, through the project's Redis
 * reader (src/stores/redis): after the connection probe, the only command sent is EXISTS, pipelined
 * for a batch. The URL's password never appears in any message (the reader's `source` is redacted).
 */
import { InputError, UsageError } from '../errors.js';
import { openNode } from '../stores/redis/open-node.js';
import type { RedisReader } from '../stores/redis/reader.js';
import { parseRedisUrl } from '../stores/redis/url.js';

export const DEFAULT_DENYLIST_PREFIX = 'revoked:jti:';

export interface Denylist {
  /** The URL without its password. */
  readonly source: string;
  readonly prefix: string;
  /** One answer per jti, in order: true when `<prefix><jti>` exists. */
  revoked(jtis: string[]): Promise<boolean[]>;
  close(): Promise<void>;
}

export async function openDenylist(url: string, prefix = DEFAULT_DENYLIST_PREFIX, timeouts = { connectMs: 2_000, commandMs: 5_000 }): Promise<Denylist> {
  let target;
  try {
    target = parseRedisUrl(url);
  } catch (error) {
    // The shared parser names --redis; here the flag is --denylist.
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/^--redis /, '--denylist '));
    throw error;
  }
  let reader: RedisReader;
  try {
    reader = await openNode(target, target.source, { ...timeouts, attempts: 1 });
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`--denylist: ${error.message}`, error.file);
    throw error;
  }
  return {
    source: reader.source,
    prefix,
    async revoked(jtis) {
      if (jtis.length === 0) return [];
      const replies = await reader.pipeline(jtis.map((jti) => ['EXISTS', `${prefix}${jti}`] as const));
      return replies.map(([error, value]) => {
        // A refusal (NOPERM, MOVED from a cluster node...) means the list cannot be read: not "not revoked".
        if (error) throw new InputError(`--denylist: EXISTS refused: ${error.message.split('\n')[0]}`, reader.source);
        return Number(value) > 0;
      });
    },
    close: () => reader.close(),
  };
}

/** The reason a valid token fails the denylist check, or undefined when it passes. */
