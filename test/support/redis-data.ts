/**
 * Test data for servers the tests started (never any other): a direct ioredis admin connection,
 * and a fast bulk loader (one Lua loop per 50k keys instead of one round trip per key).
 */
import { Redis, type RedisOptions } from 'ioredis';

export function admin(port: number, options: RedisOptions = {}): Redis {
  return new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null, ...options });
}

const LOAD_LUA = `
local prefix, from, to, noTtlEvery, ttlMs, value = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
for i = from, to do
  local key = prefix .. i
  if noTtlEvery > 0 and i % noTtlEvery == 0 then redis.call('SET', key, value)
  else redis.call('SET', key, value, 'PX', ttlMs + i) end
end
return to - from + 1`;

/** What express-session (connect-redis) stores: the session as JSON. Other keys get a plain value. */
const CONNECT_REDIS_SESSION = JSON.stringify({ cookie: { originalMaxAge: 86400000, httpOnly: true, path: '/' }, passport: { user: 'u1' } });

function valueFor(prefix: string): string {
  return prefix.startsWith('sess:') ? CONNECT_REDIS_SESSION : 'v';
}

/** `count` keys `${prefix}${i}`; every `noTtlEvery`th one (i % n == 0) without TTL, the rest with ~ttlMs. */
export async function loadKeys(client: Redis, prefix: string, count: number, noTtlEvery = 3, ttlMs = 3_600_000): Promise<void> {
  for (let from = 0; from < count; from += 50_000) {
    await client.eval(LOAD_LUA, 0, prefix, from, Math.min(count, from + 50_000) - 1, noTtlEvery, ttlMs, valueFor(prefix));
  }
}

/** The expected number of keys without TTL for loadKeys(count, noTtlEvery). */
export function expectedNoTtl(count: number, noTtlEvery: number): number {
  return noTtlEvery > 0 ? Math.floor((count - 1) / noTtlEvery) + 1 : 0;
}
