/**
 * Sessions recognised by the shape of their value rather than their key: ASP.NET Core's distributed
 * cache (Microsoft.Extensions.Caching.StackExchangeRedis) names keys InstanceName + id, which can be
 * anything, but stores every entry as a hash with fields absexp, sldexp and data. For namespaces no
 * key shape matched and whose sampled keys are all hashes, HLEN then HKEYS on a few example keys of
 * exactly three fields decides; the sldexp field (a number of ticks, not session data) tells sessions,
 * which always slide, from other cache entries. Session data itself is never read.
 */
import type { Namespace } from '../../model/index.js';
import { isAspNetCacheHash } from '../frameworks.js';
import type { TypedExample } from '../keyspace-summary.js';
import { RedisReplyError } from './errors.js';
import type { RedisReader } from './reader.js';

export const ASPNET_CORE = { id: 'aspnet-core', name: 'ASP.NET Core (distributed cache)', role: 'session' } as const;

/** At most this many HKEYS per namespace. */
const PROBES = 5;

export interface ValueRecognition {
  /** Namespaces whose framework was set from their values. */
  recognised: number;
  /** Why some namespaces could not be checked (HKEYS refused...), for the store's "unchecked" list. */
  unchecked: string[];
}

/**
 * Sets framework / frameworkName / role on the unrecognised hash namespaces that are ASP.NET Core
 * cache entries. `examplesOf` gives a namespace's typed example keys and the types seen in it;
 * `readerFor` the node an example lives on (the first node when it is unknown).
 */
export async function recogniseByValue(
  namespaces: Namespace[],
  examplesOf: (pattern: string) => { examples: TypedExample[]; types: string[] },
  readerFor: (node: string | undefined) => RedisReader,
): Promise<ValueRecognition> {
  const result: ValueRecognition = { recognised: 0, unchecked: [] };
  for (const namespace of namespaces) {
    if (namespace.framework !== null || namespace.pattern === '(other)') continue;
    const { examples, types } = examplesOf(namespace.pattern);
    // Only namespaces made of hashes alone: one string among them and it is something else.
    if (types.length !== 1 || types[0] !== 'hash') continue;
    const probes = examples.filter((example) => example.type === 'hash').slice(0, PROBES);
    if (probes.length === 0) continue;
    let matched = 0;
    try {
      for (const probe of probes) {
        const reader = readerFor(probe.node);
        // HKEYS costs the server time in proportion to the hash: ask only for the three-field shape.
        const size = Number(await reader.call('HLEN', probe.key));
        if (size !== 3) {
          if (size === 0) continue; // gone since the walk
          matched = 0;
          break;
        }
        const fields = (await reader.call('HKEYS', probe.key)) as string[] | null;
        // A key gone since the walk (empty reply) neither counts for nor against.
        if (!fields || fields.length === 0) continue;
        if (!isAspNetCacheHash(fields.map(String))) {
          matched = 0;
          break;
        }
        // ASP.NET Core sessions always slide (SessionOptions.IdleTimeout): sldexp is their window in ticks.
        // Other IDistributedCache entries are often absolute-only (sldexp -1): cache, not sessions.
        const [sliding] = ((await reader.call('HMGET', probe.key, 'sldexp')) as Array<string | null>) ?? [];
        if (sliding === '-1') {
          matched = 0;
          break;
        }
        matched++;
      }
    } catch (error) {
      // Refused (NOPERM) or WRONGTYPE: this namespace stays unrecognised; a lost connection ends the scan.
      if (!(error instanceof RedisReplyError)) throw error;
      result.unchecked.push(`hash keys ${namespace.pattern}: not checked for ASP.NET Core cache entries (${error.message})`);
      continue;
    }
    if (matched === 0) continue;
    namespace.framework = ASPNET_CORE.id;
    namespace.frameworkName = ASPNET_CORE.name;
    namespace.role = ASPNET_CORE.role;
    result.recognised++;
  }
  return result;
}
