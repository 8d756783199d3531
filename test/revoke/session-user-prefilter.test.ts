// couldNameUser(): the byte prefilter for `revoke --user` value scans says "no" only when userOf()
// could never name that user, and says "no" to most other users' sessions in text formats.
import { deflateSync } from 'node:zlib';
import { encode as msgpack } from '@msgpack/msgpack';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { couldNameUser } from '../../src/revoke/session-user-prefilter.js';
import { userOf, type SessionValue } from '../../src/revoke/session-user.js';
import {
  FRAMEWORK_SESSIONS,
  MORE_FRAMEWORK_SESSIONS,
  laravelValue,
  phpSerialize,
  pickleProtocol,
  rubyMarshal,
  type FrameworkSession,
} from '../support/framework-sessions.js';

const str = (value: string | Uint8Array): SessionValue => ({ type: 'string', bytes: Buffer.from(value as string) });

/** What a FrameworkSession writes, captured by a stand-in client (no server needed for a pure function). */
async function written(session: FrameworkSession): Promise<SessionValue> {
  let value: SessionValue | undefined;
  const fake = {
    set: async (_key: string, bytes: string | Buffer) => void (value = str(bytes)),
    hset: async (_key: string, fields: Record<string, string | Buffer>) =>
      void (value = { type: 'hash', fields: new Map(Object.entries(fields).map(([name, field]) => [name, Buffer.from(field as string)])) }),
    expire: async () => 1,
    sadd: async () => 1,
  };
  await session.write(fake as never);
  return value!;
}

let sessions: Array<{ session: FrameworkSession; value: SessionValue }>;
beforeAll(async () => {
  sessions = await Promise.all([...FRAMEWORK_SESSIONS, ...MORE_FRAMEWORK_SESSIONS].map(async (session) => ({ session, value: await written(session) })));
});

/** "false" must imply that userOf() does not name that user. */
function sound(framework: string, value: SessionValue, user: string, userField?: string[]): boolean {
  if (couldNameUser(framework, value, user, { userField })) return true;
  const reading = userOf(framework, value, { userField });
  return !(reading.kind === 'user' && reading.user === user);
}

describe('couldNameUser', () => {
  it("passes every session to its own user's scan", () => {
    for (const { session, value } of sessions) expect(couldNameUser(session.framework, value, session.user), session.key).toBe(true);
  });

  it("turns away other users' sessions in the text formats", () => {
    const skipped = sessions.filter(({ session, value }) => !couldNameUser(session.framework, value, 'nobody-at-all'));
    const frameworks = new Set(skipped.map(({ session }) => session.framework));
    for (const framework of ['connect-redis', 'phpredis', 'php-memcached', 'symfony', 'laravel', 'django', 'flask-session', 'rails', 'redistore']) {
      expect(frameworks, framework).toContain(framework);
    }
    expect(frameworks).not.toContain('spring-session');
    expect(frameworks).not.toContain('aspnet-core');
  });

  it.each<[string, string, SessionValue, string[]?]>([
    ['1000', 'connect-redis', str('{"passport":{"user":1e3}}')],
    ['42', 'connect-redis', str('{"passport":{"user":41.99999999999999999}}')],
    ['0.5', 'phpredis', str('user_id|d:.5;')],
    ['1.5', 'flask-session', str(Buffer.from(msgpack({ _user_id: 1.5 })))],
    ['77', 'flask-session', str(Buffer.from(msgpack({ _user_id: 77 })))],
    ['314', 'rails', str(rubyMarshal({ 'warden.user.user.key': [[314], 'salt'] }))],
    ['8', 'django', str(deflateSync(pickleProtocol({ _auth_user_id: '8', pad: 'p'.repeat(100) }, 5)))],
    ['5', 'django', str(pickleProtocol({ _auth_user_id: 5 }, 4))],
    ['é', 'django', str(JSON.stringify({ _auth_user_id: 'é' }).replace('é', '\\u00e9'))],
    ['a/b', 'redistore', str('{"user":"a\\/b"}')],
    ['7', 'laravel', str(phpSerialize(Buffer.from(JSON.stringify({ iv: 'x', value: 'y', mac: 'z' })).toString('base64')))],
    ['grace', 'redistore', str(Buffer.from('0eff81040102ff8200010c0110000012ff8200', 'hex'))],
  ])('stays "maybe" where bytes do not show the id: %s in %s', (user, framework, value) => {
    expect(couldNameUser(framework, value, user)).toBe(true);
    expect(sound(framework, value, user)).toBe(true);
  });

  it('numeric ids in pickles: looked for in the number opcodes too', () => {
    for (const protocol of [2, 3, 4, 5]) {
      const value = str(pickleProtocol({ _auth_user_id: '3', a: 70_000, b: 2 ** 40, c: 1.5, d: 3.0, e: -3 }, protocol));
      expect(couldNameUser('django', value, '3')).toBe(true);
      expect(couldNameUser('django', value, '4')).toBe(false);
      expect(couldNameUser('django', value, '123456')).toBe(false);
      for (const [field, user] of [['a', '70000'], ['b', String(2 ** 40)], ['c', '1.5'], ['e', '-3']]) {
        expect(userOf('django', value, { userField: [field] })).toEqual({ kind: 'user', user });
        expect(couldNameUser('django', value, user), `${field} = ${user}, protocol ${protocol}`).toBe(true);
      }
      expect(couldNameUser('django', value, '1.50')).toBe(false);
      expect(couldNameUser('django', value, '007')).toBe(false);
    }
  });

  it('is sound: whenever it says no, userOf does not name that user (fast-check)', () => {
    const users = fc.oneof(
      fc.constantFrom(...sessions.map(({ session }) => session.user), '0', '1', '42', '-5', '1.5', '1000', '5', '7', '314', 'bob', 'Zoë', 'a/b',
        '70000', '-3', String(2 ** 40), String(-(2 ** 40)), '3', '255', '65535', String(2 ** 31), '007', '1.50'),
      fc.string({ maxLength: 6 }),
      fc.integer({ min: -1000, max: 1_000_000 }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    );
    const extra: Array<[string, SessionValue]> = [
      ['connect-redis', str(JSON.stringify({ passport: { user: 314 }, n: [1.5, 2e3, -0.25] }))],
      ['phpredis', str(`user_id|d:1000;x|i:+42;y|i:007;`)],
      ['laravel', str(laravelValue({ login_web_59ba36addc2b2f9401580f014c7f58ea4e30989d: 1.0e3 }))],
      ['flask-session', str(Buffer.from(msgpack({ _user_id: 2 ** 40, other: -7 })))],
      ['rails', str(rubyMarshal({ user_id: 70000, 'warden.user.user.key': [[-300], 's'] }))],
      ...[2, 3, 4, 5].map((protocol): [string, SessionValue] => ['django', str(pickleProtocol({ _auth_user_id: 70_000, a: -3, b: 2 ** 40, c: 1.5, d: 3.0, e: 0, f: -(2 ** 40), g: 255, h: 65_535, i: 2 ** 31 }, protocol))]),
    ];
    const values = fc.constantFrom(...sessions.map(({ session, value }) => [session.framework, value] as [string, SessionValue]), ...extra);
    const mutated = fc.tuple(values, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 })).map(([[framework, value], flips]) => {
      if (value.type !== 'string' || value.bytes.length === 0) return [framework, value] as [string, SessionValue];
      const bytes = Buffer.from(value.bytes);
      for (const [at, byte] of flips) bytes[at % bytes.length] = byte;
      return [framework, str(bytes)] as [string, SessionValue];
    });
    const fields = fc.constantFrom<string[] | undefined>(undefined, ['user_id'], ['_user_id'], ['passport', 'user'], ['x'], ['y'], ['n', '0'], ['n', '1'], ['other'],
      ...'abcdefghi'.split('').map((name) => [name]));
    fc.assert(fc.property(mutated, users, fields, ([framework, value], user, userField) => sound(framework, value, user, userField)), { numRuns: 20_000 });
  });
});
