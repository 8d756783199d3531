// `revoke --user`: every framework's logged-in session, written in its real encoding into a
// redis-server started here and read back as bytes, names its user through userOf().
import { Buffer } from 'node:buffer';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/stores/frameworks.js';
import {
  USE_PRINCIPAL_INDEX,
  describeUserSupport,
  springPrincipalIndexKey,
  userOf,
  type SessionValue,
} from '../../src/revoke/session-user.js';
import { FRAMEWORK_SESSIONS, MORE_FRAMEWORK_SESSIONS } from '../support/framework-sessions.js';
import { admin } from '../support/redis-data.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';

let redis: RedisProcess;
let client: Redis;

/** The value as revoke would read it: GET for strings, HGETALL for hashes, as bytes. */
async function readValue(key: string): Promise<SessionValue> {
  const type = await client.type(key);
  if (type === 'string') return { type: 'string', bytes: (await client.getBuffer(key))! };
  if (type === 'hash') return { type: 'hash', fields: new Map(Object.entries(await client.hgetallBuffer(key))) };
  throw new Error(`${key} is a ${type}`);
}

/** DistributedSession.Serialize(): revision 2, 3-byte count, 16-byte id, then (2-byte key length, key, 4-byte value length, value)*. */
function aspNetSessionData(entries: Record<string, string>): Buffer {
  const parts = [Buffer.from([2, 0, 0, Object.keys(entries).length]), Buffer.alloc(16, 0xab)];
  for (const [key, value] of Object.entries(entries)) {
    const keyBytes = Buffer.from(key);
    const valueBytes = Buffer.from(value);
    const keyLength = Buffer.alloc(2);
    keyLength.writeUInt16BE(keyBytes.length);
    const valueLength = Buffer.alloc(4);
    valueLength.writeUInt32BE(valueBytes.length);
    parts.push(keyLength, keyBytes, valueLength, valueBytes);
  }
  return Buffer.concat(parts);
}

beforeAll(async () => {
  redis = await startRedis();
  client = admin(redis.port);
  for (const session of [...FRAMEWORK_SESSIONS, ...MORE_FRAMEWORK_SESSIONS]) await session.write(client);
}, 60_000);

afterAll(async () => {
  await client?.quit();
  await redis?.stop();
});

describe("each framework's session names its user", () => {
  const readable = FRAMEWORK_SESSIONS.filter((session) => session.framework !== 'spring-session' && session.framework !== 'aspnet-core');
  it.each(readable.map((session) => [session.framework, session] as const))('%s', async (_name, session) => {
    expect(userOf(session.framework, await readValue(session.key))).toEqual({ kind: 'user', user: session.user });
  });

  it.each(MORE_FRAMEWORK_SESSIONS.map((session) => [`${session.framework} ${session.key}`, session] as const))('%s', async (_name, session) => {
    expect(userOf(session.framework, await readValue(session.key))).toEqual({ kind: 'user', user: session.user });
  });

  it('Spring Session: the Java-serialized SecurityContext is not read; the principal index holds the user', async () => {
    const session = FRAMEWORK_SESSIONS.find((entry) => entry.framework === 'spring-session')!;
    const reading = userOf('spring-session', await readValue(session.key));
    expect(reading.kind).toBe('unreadable');
    expect(reading.kind === 'unreadable' && reading.reason.startsWith(USE_PRINCIPAL_INDEX)).toBe(true);
    const id = session.key.slice('spring:session:sessions:'.length);
    expect(await client.smembers(springPrincipalIndexKey(session.user))).toEqual([id]);
  });

  it('ASP.NET Core: the user is not in the session unless the app put it there', async () => {
    const session = FRAMEWORK_SESSIONS.find((entry) => entry.framework === 'aspnet-core')!;
    const reading = userOf('aspnet-core', await readValue(session.key));
    expect(reading).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/authentication cookie/) });

    const key = 'MyAppd2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f60';
    await client.hset(key, { absexp: '-1', sldexp: '12000000000', data: aspNetSessionData({ Cart: '3 items', UserName: session.user }) });
    const value = await readValue(key);
    expect(userOf('aspnet-core', value, { userField: ['UserName'] })).toEqual({ kind: 'user', user: session.user });
    expect(userOf('aspnet-core', value, { userField: ['UserId'] })).toEqual({ kind: 'anonymous' });
  });

  it('the sessions of one user are told apart from the others', async () => {
    const keys = [...FRAMEWORK_SESSIONS, ...MORE_FRAMEWORK_SESSIONS].filter((session) => session.framework === 'django').map((session) => session.key);
    const users = await Promise.all(keys.map(async (key) => userOf('django', await readValue(key))));
    expect(users.filter((reading) => reading.kind === 'user' && reading.user === '3')).toHaveLength(1);
  });
});

describe('describeUserSupport', () => {
  it('documents every framework scan recognises', () => {
    for (const id of new Set(FRAMEWORKS.map((framework) => framework.id).concat('aspnet-core'))) {
      const support = describeUserSupport(id);
      expect(support.framework).toBe(id);
      expect(support.formats).not.toBe('unknown');
      expect(support.reads.length).toBeGreaterThan(5);
    }
    expect(describeUserSupport('cobol-session')).toMatchObject({ byDefault: 'no' });
  });
});
