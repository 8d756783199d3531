// Value-based recognition (ASP.NET Core cache hashes) with a stand-in reader: which namespaces get an
// HKEYS at all, how many, and what a refusal does.
import { describe, expect, it } from 'vitest';
import type { Namespace } from '../../src/model/index.js';
import { KeyspaceSummary } from '../../src/stores/keyspace-summary.js';
import { RedisReplyError } from '../../src/stores/redis/errors.js';
import type { RedisReader } from '../../src/stores/redis/reader.js';
import { recogniseByValue } from '../../src/stores/redis/recognise-values.js';

const store = { kind: 'redis' as const, source: 'redis://127.0.0.1:7000', mode: 'standalone' as const };
const ASPNET = ['absexp', 'sldexp', 'data'];

function fakeReader(fields: Record<string, string[] | Error>, calls: string[]): RedisReader {
  return {
    source: store.source,
    address: '127.0.0.1:7000',
    async call(command: string, ...args: unknown[]) {
      const reply = fields[String(args[0])] ?? [];
      // HLEN first (only three-field hashes get an HKEYS); the test counts the HKEYS.
      if (command === 'HLEN') return reply instanceof Error ? 3 : reply.length;
      if (command === 'HMGET') return ['12000000000']; // a sliding expiry: what sessions have
      calls.push(`${command} ${String(args[0])}`);
      if (reply instanceof Error) throw reply;
      return reply;
    },
  } as unknown as RedisReader;
}

function summaryOf(keys: Array<[string, string | null]>): { summary: KeyspaceSummary; namespaces: Namespace[] } {
  const summary = new KeyspaceSummary(store);
  for (const [key, type] of keys) summary.add({ key, pttlMs: 60_000, type });
  return { summary, namespaces: summary.namespaces() };
}

describe('recogniseByValue', () => {
  it('marks all-hash namespaces whose examples are ASP.NET cache entries, with at most 5 HKEYS each', async () => {
    const keys = Array.from({ length: 12 }, (_, i): [string, string] => [`app:${1000 + i}`, 'hash']);
    const { summary, namespaces } = summaryOf([...keys, ['sess:abc', 'hash'], ['blob:1', 'string']]);
    const calls: string[] = [];
    const fields = Object.fromEntries(keys.map(([key]) => [key, ASPNET]));
    const result = await recogniseByValue(namespaces, (p) => summary.typedExamples(p), () => fakeReader(fields, calls));
    expect(result).toEqual({ recognised: 1, unchecked: [] });
    expect(namespaces.find((n) => n.pattern === 'app:*')).toMatchObject({ framework: 'aspnet-core', frameworkName: 'ASP.NET Core (distributed cache)', role: 'session' });
    // Recognised by name (sess:*) or not hashes (blob:*): never asked.
    expect(calls).toHaveLength(5);
    expect(calls.every((call) => call.startsWith('HKEYS app:'))).toBe(true);
  });

  it('leaves a namespace alone when one example differs, some keys are not hashes, or no TYPE was read', async () => {
    const { summary, namespaces } = summaryOf([
      ['a:1', 'hash'], ['a:2', 'hash'],
      ['b:1', 'hash'], ['b:2', 'string'],
      ['c:1', null],
    ]);
    const calls: string[] = [];
    const reader = fakeReader({ 'a:1': ASPNET, 'a:2': ['name', 'email'], 'b:1': ASPNET }, calls);
    const result = await recogniseByValue(namespaces, (p) => summary.typedExamples(p), () => reader);
    expect(result.recognised).toBe(0);
    expect(namespaces.every((n) => n.framework === null)).toBe(true);
    expect(calls).toEqual(['HKEYS a:1']); // a:2 has two fields: HLEN alone rules it out
  });

  it('reports a refused HKEYS as unchecked and goes on; other failures end the scan', async () => {
    const { summary, namespaces } = summaryOf([['a:1', 'hash'], ['z:1', 'hash']]);
    const refused = new RedisReplyError("HKEYS: NOPERM User auditor has no permissions to run the 'hkeys' command", store.source, 'NOPERM');
    const result = await recogniseByValue(namespaces, (p) => summary.typedExamples(p), () => fakeReader({ 'a:1': refused, 'z:1': ASPNET }, []));
    expect(result.recognised).toBe(1);
    expect(result.unchecked).toEqual([expect.stringMatching(/^hash keys a:\*: not checked for ASP\.NET Core cache entries \(HKEYS: NOPERM/)]);
    const fresh = summaryOf([['z:1', 'hash']]);
    const lost = recogniseByValue(fresh.namespaces, (p) => fresh.summary.typedExamples(p), () => fakeReader({ 'z:1': new Error('connection lost') }, []));
    await expect(lost).rejects.toThrow('connection lost');
  });
});
