// --enable-notifications: a CONFIG SET that succeeded is put back even when the next step of the
// start-up (reading the value back) fails, e.g. the connection drops right after the SET.
import { describe, expect, it } from 'vitest';
import type { RedisWriter } from '../../src/stores/redis/reader.js';
import { enableNotify, readNotify, restoreNotify } from '../../src/watch/notify-config.js';

/** A writer over an in-memory notify-keyspace-events; `failReadsAfterSet`: CONFIG GET throws once the value was set. */
function fakeWriter(initial: string, failReadsAfterSet: boolean) {
  const state = { value: initial, sets: [] as string[] };
  let broken = false;
  const writer = {
    source: 'redis://fake:6379',
    address: 'fake:6379',
    writes: new Set(['CONFIG']),
    async info() {
      return '# Server\r\nredis_version:7.2.4\r\n';
    },
    async configGet() {
      if (broken) {
        broken = false; // only the read-back fails; restore's own reads work
        throw new Error('connection lost');
      }
      return new Map([['notify-keyspace-events', state.value]]);
    },
    async write(_command: string, _sub: string, _name: string, value: string) {
      state.value = value;
      state.sets.push(value);
      if (failReadsAfterSet) broken = true;
      return 'OK';
    },
  } as unknown as RedisWriter;
  return { writer, state };
}

describe('enableNotify', () => {
  it('records the change as soon as CONFIG SET succeeded, so a failed read-back is still undone', async () => {
    const { writer, state } = fakeWriter('Ex', true);
    const enabled = await enableNotify([await readNotify(writer)]);
    expect(state.value).toBe('Exgen');
    expect(enabled.changes).toHaveLength(1);
    expect(enabled.problems.join('\n')).toMatch(/could not read it back: connection lost/);
    const restored = await restoreNotify(enabled.changes);
    expect(restored).toEqual([{ source: 'redis://fake:6379', old: 'Ex', restored: true }]);
    expect(state.value).toBe('Ex');
  });

  it('a refused CONFIG SET is no change to undo', async () => {
    const { writer } = fakeWriter('Ex', false);
    (writer as unknown as { write: () => Promise<never> }).write = async () => {
      throw new Error('NOPERM');
    };
    const enabled = await enableNotify([await readNotify(writer)]);
    expect(enabled.changes).toEqual([]);
    expect(enabled.problems.join('\n')).toMatch(/could not set notify-keyspace-events to "Exgen": NOPERM/);
  });
});
