// Every framework's session, written in its real encoding into a redis-server started here, is
// recognised by `scan` as that framework's sessions, read by the read-only ACL user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ONLY_ACL } from '../../src/stores/redis/read-commands.js';
import { runCliAsync } from '../support/cli.js';
import { FRAMEWORK_SESSIONS } from '../support/framework-sessions.js';
import { admin } from '../support/redis-data.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';

let redis: RedisProcess;
interface ReportedNamespace { pattern: string; framework: string | null; role?: string | null; keys: number; withoutTtl: number }
let namespaces: ReportedNamespace[];

beforeAll(async () => {
  redis = await startRedis({ aclFile: `user default on nopass ~* &* +@all\nuser auditor on >audit-pw-7 %R~* resetchannels -@all ${READ_ONLY_ACL}` });
  const client = admin(redis.port);
  for (const session of FRAMEWORK_SESSIONS) await session.write(client);
  await client.quit();
  const run = await runCliAsync(['scan', '--redis', `redis://auditor:audit-pw-7@127.0.0.1:${redis.port}`, '--format', 'json']);
  expect(run.stderr).toBe('');
  namespaces = JSON.parse(run.stdout).stores[0].namespaces;
}, 60_000);

afterAll(async () => {
  await redis?.stop();
});

describe('sessions in each framework\'s own encoding', () => {
  it.each(FRAMEWORK_SESSIONS.map((session) => [session.framework, session] as const))('%s', (_name, session) => {
    const found = namespaces.find((namespace) => namespace.framework === session.framework && namespace.role !== 'expiry' && namespace.role !== 'index');
    expect(found, `no ${session.framework} namespace in ${JSON.stringify(namespaces.map((n) => [n.pattern, n.framework]))}`).toBeDefined();
    expect(found).toMatchObject({ keys: 1, withoutTtl: 0 });
  });

  it('Spring Session bookkeeping is told apart from the sessions', () => {
    const spring = namespaces.filter((namespace) => namespace.framework === 'spring-session').map((namespace) => namespace.pattern).sort();
    expect(spring).toEqual(['spring:session:expirations:*', 'spring:session:index:*', 'spring:session:sessions:*', 'spring:session:sessions:expires:*']);
  });
});

describe('the same key shapes holding something else', () => {
  it('are not taken for sessions when no value has the framework\'s format', async () => {
    const other = await startRedis({ aclFile: `user default on nopass ~* &* +@all\nuser auditor on >audit-pw-7 %R~* resetchannels -@all ${READ_ONLY_ACL}` });
    try {
      const client = admin(other.port);
      await client.set('session:b3f2e1d0-c9b8-4a7f-8e6d-5c4b3a291807', 'plain text, not msgpack');
      await client.set('sess:Kx9vQ2mZ7rT4yB8nW1pL5cD3fH6jG0aS', '12345');
      await client.set('PHPREDIS_SESSION:q3v9k1m5n7b2c4x6z8l0j2h4g6', 'user_id=42; not a PHP session');
      await client.quit();
      const run = await runCliAsync(['scan', '--redis', `redis://auditor:audit-pw-7@127.0.0.1:${other.port}`, '--format', 'json']);
      const report = JSON.parse(run.stdout);
      expect(report.stores[0].namespaces.map((n: ReportedNamespace) => n.framework)).toEqual([null, null, null]);
      expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('session-key-no-ttl');
    } finally {
      await other.stop();
    }
  });
});

describe("PHP's php_binary session handler", () => {
  it('is recognised as a PHP session (a length byte, the name, then the serialized value)', async () => {
    const php = await startRedis({ aclFile: `user default on nopass ~* &* +@all\nuser auditor on >audit-pw-7 %R~* resetchannels -@all ${READ_ONLY_ACL}` });
    try {
      const client = admin(php.port);
      const name = 'user_id';
      await client.set('PHPREDIS_SESSION:b7k2m9q4w1e8r5t3y6u0i2o4p7', Buffer.concat([Buffer.from([name.length]), Buffer.from(name), Buffer.from('i:42;')]), 'EX', 1_440);
      await client.quit();
      const run = await runCliAsync(['scan', '--redis', `redis://auditor:audit-pw-7@127.0.0.1:${php.port}`, '--format', 'json']);
      expect(JSON.parse(run.stdout).stores[0].namespaces.map((n: ReportedNamespace) => n.framework)).toEqual(['phpredis']);
    } finally {
      await php.stop();
    }
  });
});
