/**
 * The fast path: ONE read-only Lua call per page (EVAL_RO, Redis 7) that runs SCAN and the per-key
 * PTTL (+ TYPE / OBJECT IDLETIME / MEMORY USAGE for sampled keys) inside the server and returns
 * the page PACKED: keys joined by "\n" in one bulk string, numbers as little-endian doubles
 * (struct.pack) in another. Measured on 1M keys (see test/bench/redis-scan.js), versus a SCAN
 * loop with a PTTL pipeline per page:
 *  - the client decodes ~6 RESP items per page instead of ~2 per key (ioredis's decoder costs
 *    about a microsecond per item, the dominant client cost), and no command object per key;
 *  - the server skips parsing ~1000 PTTL commands per page; number packing in C (struct.pack) is
 *    cheaper than table.concat of formatted numbers (tried: slower than plain RESP arrays).
 * Flags: no-writes (the server enforces read-only), allow-cross-slot-keys (a cluster node's page
 * spans many slots; without it Redis 7 refuses a script touching keys of different slots).
 * PTTL/TYPE/OBJECT do not touch the key's LRU clock (LOOKUP_NOTOUCH), so the walk does not
 * distort the idle times it measures.
 */
import type { KeyPage, PageRequest } from './key-page.js';
import { LUA_CROSSED_MIDDLE } from './scan-split.js';

export const SCAN_PAGE_LUA = `#!lua flags=no-writes,allow-cross-slot-keys
local function scan(cursor, count)
  if ARGV[5] ~= '' then return redis.call('SCAN', cursor, 'MATCH', ARGV[5], 'COUNT', count) end
  return redis.call('SCAN', cursor, 'COUNT', count)
end
${LUA_CROSSED_MIDDLE}
local page = scan(ARGV[1], ARGV[2])
-- first half of a split walk (scan-split.ts): a page that ran past the middle is redone bucket by bucket
if ARGV[6] == '1' and crossed(page[1]) then
  local kept, c = {}, ARGV[1]
  while true do
    local step = scan(c, 1)
    if crossed(step[1]) then break end
    for _, k in ipairs(step[2]) do kept[#kept + 1] = k end
    c = step[1]
    if c == '1' or c == '0' then break end
  end
  page = {'1', kept}
end
local keys, call, pcall = page[2], redis.call, redis.pcall
local n = #keys
-- unpack() is limited by the C stack (~8000 values): pack in chunks
local function packd(t)
  local parts = {}
  for i = 1, #t, 1000 do
    local j = math.min(#t, i + 999)
    parts[#parts + 1] = struct.pack('<' .. string.rep('d', j - i + 1), unpack(t, i, j))
  end
  return table.concat(parts)
end
local pttl = {}
for i = 1, n do pttl[i] = call('PTTL', keys[i]) end
local every, withMemory = tonumber(ARGV[3]), ARGV[4] == '1'
local types, idle, mem = {}, {}, {}
if every > 0 then
  for i = 1, n, every do
    local k, j = keys[i], #types + 1
    types[j] = call('TYPE', k)['ok']
    local t = pcall('OBJECT', 'IDLETIME', k)
    idle[j] = type(t) == 'number' and t or -1
    if withMemory then
      local m = pcall('MEMORY', 'USAGE', k)
      mem[j] = type(m) == 'number' and m or -1
    end
  end
end
return {page[1], n, table.concat(keys, '\\n'), packd(pttl), table.concat(types, ','), packd(idle), packd(mem)}`;

export function scriptArgs(request: PageRequest): (string | number)[] {
  return [request.cursor, request.count, request.detailEvery, request.memory ? '1' : '0', request.match ?? '', request.stopAtMiddle ? '1' : '0'];
}

function unpackDoubles(buffer: Buffer, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = buffer.readDoubleLE(i * 8);
  return out;
}

export interface DecodedScriptPage {
  cursor: string;
  /** undefined when a key contains "\n" and the packed form is ambiguous: refetch that page another way. */
  page?: KeyPage;
}

/** Decode the script's reply (bulk strings as Buffers). */
export function decodeScriptReply(reply: unknown, request: PageRequest, source: string): DecodedScriptPage {
  const [cursorBuf, n, keysBuf, pttlBuf, typesBuf, idleBuf, memBuf] = reply as [Buffer, number, Buffer, Buffer, Buffer, Buffer, Buffer];
  const cursor = cursorBuf.toString();
  const keys = n === 0 ? [] : keysBuf.toString('utf8').split('\n');
  if (keys.length !== n) return { cursor }; // a key with a newline in it
  const page: KeyPage = { source, keys, pttl: unpackDoubles(pttlBuf, n) };
  if (request.detailEvery > 0) {
    const sampled = n === 0 ? 0 : Math.ceil(n / request.detailEvery);
    page.detail = {
      every: request.detailEvery,
      type: sampled === 0 ? [] : typesBuf.toString().split(','),
      idle: unpackDoubles(idleBuf, sampled),
      memory: request.memory ? unpackDoubles(memBuf, sampled) : undefined,
    };
  }
  return { cursor, page };
}
