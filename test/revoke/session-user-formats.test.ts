// userOf() on the values around the happy path: anonymous sessions, guards and scopes, --user-field
// paths, pickles that would run code (never run), garbled and truncated values (unreadable, never a
// throw), multibyte PHP strings, nesting bounds.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { encode as msgpack } from '@msgpack/msgpack';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { phpSessionDecode, phpUnserialize } from '../../src/revoke/formats/php.js';
import { unpickle } from '../../src/revoke/formats/pickle.js';
import { rubyMarshalLoad } from '../../src/revoke/formats/ruby-marshal.js';
import {
  DEFAULT_USER_FIELDS,
  SPRING_PRINCIPAL_INDEX_NAME,
  USE_PRINCIPAL_INDEX,
  parseUserField,
  userOf,
  type SessionValue,
  type UserReading,
} from '../../src/revoke/session-user.js';
import {
  FRAMEWORK_SESSIONS,
  PhpObject,
  laravelValue,
  phpSerialize,
  pickleProtocol,
  rubyMarshal,
  symfonyInMemoryUser,
  symfonyToken,
} from '../support/framework-sessions.js';

const str = (value: string | Buffer | Uint8Array): SessionValue => ({ type: 'string', bytes: Buffer.from(value as string) });
const hash = (fields: Record<string, string | Buffer>): SessionValue => ({
  type: 'hash',
  fields: new Map(Object.entries(fields).map(([name, value]) => [name, Buffer.from(value as string)])),
});
const user = (name: string): UserReading => ({ kind: 'user', user: name });
const ANONYMOUS: UserReading = { kind: 'anonymous' };
const unreadable = (pattern: RegExp) => ({ kind: 'unreadable', reason: expect.stringMatching(pattern) });
const ALL_FRAMEWORKS = ['connect-redis', 'phpredis', 'php-memcached', 'symfony', 'laravel', 'django', 'flask-session', 'rails', 'spring-session', 'aspnet-core', 'redistore'];

const python = (script: string, ...args: string[]) => execFileSync('python3', ['-c', script, ...args]);
const javaString = (text: string) => {
  const bytes = Buffer.from(text); // ASCII/BMP without NUL: modified UTF-8 is UTF-8
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([Buffer.from('aced000574', 'hex'), length, bytes]);
};
const javaLong = (value: bigint) => {
  const head = Buffer.from('aced00057372000e6a6176612e6c616e672e4c6f6e673b8be490cc8f23df0200014a000576616c7565787200106a6176612e6c616e672e4e756d62657286ac951d0b94e08b0200007870', 'hex');
  const number = Buffer.alloc(8);
  number.writeBigInt64BE(value);
  return Buffer.concat([head, number]);
};

describe('anonymous sessions (the session exists, nobody is logged in)', () => {
  it.each<[string, SessionValue]>([
    ['connect-redis', str(JSON.stringify({ cookie: { originalMaxAge: 1, path: '/' } }))],
    ['connect-redis', str(JSON.stringify({ cookie: {}, passport: {} }))],
    ['phpredis', str('')],
    ['phpredis', str(`csrf|${phpSerialize('abc')}cart|${phpSerialize([1, 2])}`)],
    ['phpredis', str(`user_id|N;username|${phpSerialize('')}`)],
    ['php-memcached', str(phpSerialize({}))],
    ['symfony', str(`_sf2_attributes|a:0:{}_sf2_meta|${phpSerialize({ u: 1, c: 1, l: 0 })}`)],
    ['symfony', str(`_sf2_attributes|${phpSerialize({ _security_main: null })}`)],
    ['symfony', str(`_sf2_attributes|${phpSerialize({ _security_main: phpSerialize(new PhpObject('Symfony\\Component\\Security\\Core\\Authentication\\Token\\AnonymousToken', [[0, 'secret'], [1, ['anon.', true, [], [], []]]])) })}`)],
    ['laravel', str(laravelValue({ _token: 'x', _previous: { url: 'https://app.example.com/login' }, _flash: { old: [], new: [] } }))],
    ['django', str(pickleProtocol({ django_language: 'fr', _session_expiry: 0 }, 4))],
    ['django', str(JSON.stringify({ django_language: 'fr' }))],
    ['flask-session', str(Buffer.from(msgpack({ _permanent: true, csrf_token: 'x' })))],
    ['flask-session', str(pickleProtocol({ _permanent: true }, 2))],
    ['rails', str(rubyMarshal({ session_id: 'abc', _csrf_token: 'tok' }))],
    ['rails', str(JSON.stringify({ session_id: 'abc' }))],
    ['spring-session', hash({ creationTime: javaLong(1n), maxInactiveInterval: javaLong(1800n) })],
    ['redistore', str(JSON.stringify({ flash: ['saved'] }))],
  ])('%s', (framework, value) => {
    expect(userOf(framework, value)).toEqual(ANONYMOUS);
  });

  it('aspnet-core with --user-field: a session without that key', () => {
    const data = Buffer.concat([Buffer.from([2, 0, 0, 0]), Buffer.alloc(16)]);
    expect(userOf('aspnet-core', hash({ absexp: '-1', sldexp: '1', data }), { userField: ['UserName'] })).toEqual(ANONYMOUS);
  });
});

describe('Laravel guards', () => {
  const web = 'login_web_59ba36addc2b2f9401580f014c7f58ea4e30989d';
  const admin = 'login_admin_0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
  const api = 'login_api_user_ffffffffffffffffffffffffffffffffffffffff';
  it('a non-web guard alone names the user', () => {
    expect(userOf('laravel', str(laravelValue({ [admin]: 5 })))).toEqual(user('5'));
    expect(userOf('laravel', str(laravelValue({ [api]: 'u-9' })))).toEqual(user('u-9'));
  });
  it('web wins over the other guards', () => {
    expect(userOf('laravel', str(laravelValue({ [admin]: 5, [web]: 7 })))).toEqual(user('7'));
  });
  it('other guards naming different users: unreadable, not a guess', () => {
    expect(userOf('laravel', str(laravelValue({ [admin]: 5, [api]: 6 })))).toEqual(unreadable(/different users/));
  });
  it('guards naming the same user agree', () => {
    expect(userOf('laravel', str(laravelValue({ [admin]: 5, [api]: '5' })))).toEqual(user('5'));
  });
  it('a key that only looks like a login key is not one', () => {
    expect(userOf('laravel', str(laravelValue({ login_web_notasha1: 7, login_web: 3 })))).toEqual(ANONYMOUS);
  });
  it('encrypted sessions (session.encrypt) are refused by name', () => {
    const payload = Buffer.from(JSON.stringify({ iv: 'aXY=', value: 'dmFsdWU=', mac: 'ab', tag: '' })).toString('base64');
    expect(userOf('laravel', str(phpSerialize(payload)))).toEqual(unreadable(/encrypted/));
  });
  it('--user-field replaces the login key', () => {
    expect(userOf('laravel', str(laravelValue({ [web]: 7, auth: { id: 12 } })), { userField: ['auth', 'id'] })).toEqual(user('12'));
  });
});

describe('--user-field paths', () => {
  const connect = (passport: unknown) => str(JSON.stringify({ cookie: {}, passport }));
  it('connect-redis: passport.user by default, a path into it when it is an object', () => {
    expect(userOf('connect-redis', connect({ user: { id: 42, email: 'a@b.c' } }))).toEqual(unreadable(/passport\.user holds a map.*--user-field passport\.user\.<field>/));
    expect(userOf('connect-redis', connect({ user: { id: 42, email: 'a@b.c' } }), { userField: parseUserField('passport.user.id') })).toEqual(user('42'));
    expect(userOf('connect-redis', connect({ user: { id: 42, email: 'a@b.c' } }), { userField: ['passport', 'user', 'email'] })).toEqual(user('a@b.c'));
  });
  it('connect-redis: numbers and strings both come back as strings', () => {
    expect(userOf('connect-redis', connect({ user: 7 }))).toEqual(user('7'));
    expect(userOf('connect-redis', connect({ user: '7' }))).toEqual(user('7'));
    expect(userOf('connect-redis', connect({ user: 2 ** 60 }))).toEqual(unreadable(/too large/));
    expect(userOf('connect-redis', connect({ user: true }))).toEqual(unreadable(/boolean/));
  });
  it('a path that does not exist is anonymous; a path through a scalar is unreadable', () => {
    expect(userOf('connect-redis', connect({ user: 'alice' }), { userField: ['account', 'id'] })).toEqual(ANONYMOUS);
    expect(userOf('connect-redis', connect({ user: 'alice' }), { userField: ['passport', 'user', 'id'] })).toEqual(unreadable(/passport\.user holds a string/));
  });
  it('array indexes', () => {
    expect(userOf('connect-redis', str(JSON.stringify({ users: ['x', 'y'] })), { userField: ['users', '1'] })).toEqual(user('y'));
  });
  it('keys containing dots are found (longest match)', () => {
    const value = str(JSON.stringify({ 'auth.user': { id: 'dotted' }, auth: { user: { id: 'nested' } } }));
    expect(userOf('redistore', value, { userField: ['auth', 'user', 'id'] })).toEqual(user('dotted'));
  });
  it('PHP: the default fields in order, or a path through arrays and object properties', () => {
    expect(DEFAULT_USER_FIELDS).toEqual(['user_id', 'userId', 'userid', 'uid', 'user', 'username']);
    const userObject = new PhpObject('App\\Models\\User', [['id', 5], ['\0*\0name', 'bob'], ['\0App\\Models\\User\0email', 'bob@example.com']]);
    const value = str(`lang|${phpSerialize('en')}user|${phpSerialize(userObject)}auth|${phpSerialize({ id: 9 })}`);
    expect(userOf('phpredis', value)).toEqual(unreadable(/user holds an object of class App\\Models\\User/));
    expect(userOf('phpredis', value, { userField: ['user', 'id'] })).toEqual(user('5'));
    expect(userOf('phpredis', value, { userField: ['user', 'name'] })).toEqual(user('bob'));
    expect(userOf('phpredis', value, { userField: ['user', 'email'] })).toEqual(user('bob@example.com'));
    expect(userOf('phpredis', value, { userField: ['auth', 'id'] })).toEqual(user('9'));
    expect(userOf('phpredis', str(`username|${phpSerialize('carol')}uid|i:3;`))).toEqual(user('3'));
  });
  it('PHP back references (r: and R:) resolve to the value they point at', () => {
    expect(userOf('phpredis', str('auth|a:1:{s:2:"id";i:9;}user_id|R:2;'))).toEqual(user('9'));
    expect(userOf('phpredis', str('auth|a:1:{s:2:"id";s:3:"abc";}user_id|r:2;'))).toEqual(user('abc'));
    expect(userOf('phpredis', str('user_id|R:7;'))).toEqual(unreadable(/back reference 7 out of range/));
  });
  it('PHP integers beyond 2^53 are exact', () => {
    expect(userOf('phpredis', str('user_id|i:9223372036854775807;'))).toEqual(user('9223372036854775807'));
  });
  it('PHP custom-serialized objects (C:) are unreadable, not missing', () => {
    expect(userOf('phpredis', str('user|C:4:"Blob":5:{xyzzy}'), { userField: ['user', 'id'] })).toEqual(unreadable(/custom-serialized/));
  });
  it('Django, Flask, Rails: a path into the session dict', () => {
    expect(userOf('django', str(pickleProtocol({ _auth_user_id: '1', profile: { uid: 77 } }, 5)), { userField: ['profile', 'uid'] })).toEqual(user('77'));
    expect(userOf('flask-session', str(Buffer.from(msgpack({ _user_id: 3, account: { name: 'x' } }))), { userField: ['account', 'name'] })).toEqual(user('x'));
    expect(userOf('rails', str(rubyMarshal({ 'warden.user.user.key': [[1], 's'], current: { login: 'kim' } })), { userField: ['current', 'login'] })).toEqual(user('kim'));
    expect(userOf('rails', str(rubyMarshal({ 'warden.user.user.key': [[1], 's'] })), { userField: ['warden.user.user.key', '0', '0'] })).toEqual(user('1'));
  });
  it('Spring Session: an attribute name (Java String or Long, or JSON)', () => {
    const value = hash({ 'sessionAttr:userId': javaLong(9001n), 'sessionAttr:login': javaString('zoe'), 'sessionAttr:jsonName': '"jo"', 'sessionAttr:blob': Buffer.from('aced0005737200', 'hex') });
    expect(userOf('spring-session', value, { userField: ['userId'] })).toEqual(user('9001'));
    expect(userOf('spring-session', value, { userField: ['login'] })).toEqual(user('zoe'));
    expect(userOf('spring-session', value, { userField: ['jsonName'] })).toEqual(user('jo'));
    expect(userOf('spring-session', value, { userField: ['blob'] })).toEqual(unreadable(/Java-serialized object/));
    expect(userOf('spring-session', value, { userField: ['nothing'] })).toEqual(ANONYMOUS);
  });
  it('parseUserField refuses empty segments', () => {
    expect(parseUserField('a.b.c')).toEqual(['a', 'b', 'c']);
    expect(() => parseUserField('a..b')).toThrow(/dotted path/);
    expect(() => parseUserField('')).toThrow(/dotted path/);
  });
});

describe('framework layouts', () => {
  it('Symfony: a token holding an app user entity needs --user-field', () => {
    const entity = new PhpObject('App\\Entity\\User', [['\0App\\Entity\\User\0id', 4], ['\0App\\Entity\\User\0email', 'lee@example.com']]);
    const value = str(`_sf2_attributes|${phpSerialize({ _security_main: symfonyToken(entity) })}`);
    expect(userOf('symfony', value)).toEqual(unreadable(/App\\Entity\\User: name its identifier property with --user-field/));
    expect(userOf('symfony', value, { userField: ['email'] })).toEqual(user('lee@example.com'));
  });
  it('Symfony: a PostAuthenticationToken ([firewall, parentData]) and an old C: token with nested serialized parent data', () => {
    const post = phpSerialize(new PhpObject('Symfony\\Component\\Security\\Http\\Authenticator\\Token\\PostAuthenticationToken', [[0, 'main'], [1, [symfonyInMemoryUser('mia'), true, null, [], []]]]));
    expect(userOf('symfony', str(`_sf2_attributes|${phpSerialize({ _security_main: post })}`))).toEqual(user('mia'));
    const parent = phpSerialize(['nico', true, [], []]);
    const data = phpSerialize([null, 'main', parent]);
    const old = `C:74:"Symfony\\Component\\Security\\Core\\Authentication\\Token\\UsernamePasswordToken":${Buffer.byteLength(data)}:{${data}}`;
    expect(userOf('symfony', str(`_sf2_attributes|${phpSerialize({ _security_main: old })}`))).toEqual(user('nico'));
  });
  it('Symfony sessions written by the phpredis handler are read the Symfony way', () => {
    expect(userOf('phpredis', str(`_sf2_attributes|${phpSerialize({ _security_main: symfonyToken(symfonyInMemoryUser('olga')) })}`))).toEqual(user('olga'));
  });
  it('Symfony firewalls that disagree: unreadable', () => {
    const value = str(`_sf2_attributes|${phpSerialize({ _security_a: symfonyToken('x', 'a'), _security_b: symfonyToken('y', 'b') })}`);
    expect(userOf('symfony', value)).toEqual(unreadable(/different users/));
  });
  it('Rails: Devise scopes, the old [class, [id], salt] layout, a malformed key', () => {
    expect(userOf('rails', str(rubyMarshal({ 'warden.user.admin.key': [[2], 's'], 'warden.user.user.key': [[1], 's'] })))).toEqual(user('1'));
    expect(userOf('rails', str(rubyMarshal({ 'warden.user.admin.key': [[2], 's'] })))).toEqual(user('2'));
    expect(userOf('rails', str(rubyMarshal({ 'warden.user.user.key': ['User', [3], 's'] })))).toEqual(user('3'));
    expect(userOf('rails', str(rubyMarshal({ 'warden.user.user.key': 'x' })))).toEqual(unreadable(/not Devise's/));
    expect(userOf('rails', str(rubyMarshal({ user_id: -300, big: 70000 })))).toEqual(user('-300'));
  });
  it('Rails: Ruby objects whose loading runs class code are refused', () => {
    const dumped = Buffer.concat([Buffer.from([4, 8]), Buffer.from('{\x06I"\x0cuser_id\x06:\x06ETu:\x09Evil\x06x', 'latin1')]);
    expect(userOf('rails', str(dumped))).toEqual(unreadable(/custom _dump/));
  });
  it('Spring Session: the principal name attribute, or a JSON SecurityContext', () => {
    expect(userOf('spring-session', hash({ [`sessionAttr:${SPRING_PRINCIPAL_INDEX_NAME}`]: javaString('pat') }))).toEqual(user('pat'));
    const context = JSON.stringify({
      '@class': 'org.springframework.security.core.context.SecurityContextImpl',
      authentication: {
        '@class': 'org.springframework.security.authentication.UsernamePasswordAuthenticationToken',
        principal: { '@class': 'org.springframework.security.core.userdetails.User', username: 'quinn', password: null },
        authenticated: true,
      },
    });
    expect(userOf('spring-session', hash({ 'sessionAttr:SPRING_SECURITY_CONTEXT': context }))).toEqual(user('quinn'));
    const custom = context.replace('org.springframework.security.core.userdetails.User', 'com.example.MyPrincipal');
    expect(userOf('spring-session', hash({ 'sessionAttr:SPRING_SECURITY_CONTEXT': custom }))).toEqual(unreadable(new RegExp(`^${USE_PRINCIPAL_INDEX}`)));
    expect(userOf('spring-session', str('x'))).toEqual(unreadable(/expected a Spring Session hash/));
  });
  it('redistore: gob (the default serializer) is refused by name', () => {
    const gob = Buffer.from('0eff81040102ff8200010c0110000012ff82000106737472696e670c0700056772616365', 'hex');
    expect(userOf('redistore', str(gob))).toEqual(unreadable(/gob-encoded/));
  });
  it('django: zlib- and gzip-compressed pickles (django-redis compressors)', () => {
    const pickled = pickleProtocol({ _auth_user_id: '8', padding: 'p'.repeat(200) }, 5);
    expect(userOf('django', str(deflateSync(pickled)))).toEqual(user('8'));
    expect(userOf('django', str(gzipSync(pickled)))).toEqual(user('8'));
    expect(userOf('django', str(Buffer.from('28b52ffd0000', 'hex')))).toEqual(unreadable(/zstd/));
  });
  it('pickles: protocol 1 binary opcodes read; protocol 0 text opcodes refused', () => {
    expect(userOf('django', str(pickleProtocol({ _auth_user_id: '5' }, 1)))).toEqual(user('5'));
    expect(userOf('django', str(pickleProtocol({ _auth_user_id: '5' }, 0)))).toEqual(unreadable(/protocol 0|not a pickle/));
  });
  it('pickles: int keys, tuples, sets, bytes, floats, big ints, memo references', () => {
    const script = [
      'import pickle,sys',
      "shared = {'id': 'shared-user'}",
      "value = {'_user_id': 2**70, 1: 'one', 't': (1, 2.5, None), 't5': (1, 2, 3, 4, 'five'), 'a': shared, 'again': shared, 'neg': -5, 'big_neg': -(2**40)}",
      // Before protocol 3 bytes, and before 4 sets, are pickled as calls (GLOBAL + REDUCE): refused.
      "if int(sys.argv[1]) >= 3: value['b'] = b'\\x00\\xff'",
      "if int(sys.argv[1]) >= 4: value.update({'s': {1}, 'fs': frozenset([2])})",
      'sys.stdout.buffer.write(pickle.dumps(value, protocol=int(sys.argv[1])))',
    ].join('\n');
    for (const protocol of [2, 3, 4, 5]) {
      const value = str(python(script, String(protocol)));
      expect(userOf('flask-session', value)).toEqual(user(String(2n ** 70n)));
      expect(userOf('flask-session', value, { userField: ['again', 'id'] })).toEqual(user('shared-user'));
      expect(userOf('flask-session', value, { userField: ['1'] })).toEqual(user('one'));
      expect(userOf('flask-session', value, { userField: ['neg'] })).toEqual(user('-5'));
      expect(userOf('flask-session', value, { userField: ['big_neg'] })).toEqual(user(String(-(2 ** 40))));
      expect(userOf('flask-session', value, { userField: ['t', '1'] })).toEqual(user('2.5'));
      expect(userOf('flask-session', value, { userField: ['t5', '4'] })).toEqual(user('five'));
      if (protocol >= 4) expect(userOf('flask-session', value, { userField: ['fs', '0'] })).toEqual(user('2'));
      if (protocol >= 3) expect(userOf('flask-session', value, { userField: ['b'] })).toEqual(unreadable(/not UTF-8/));
    }
  });
});

describe('pickles that would run code are never run', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-pickle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const evil = [
    'import os,pickle,sys',
    'class Evil:',
    "    def __reduce__(self): return (os.system, ('touch ' + sys.argv[1],))",
    "payload = Evil() if sys.argv[3] == 'top' else {'_auth_user_id': '1', '_user_id': '1', 'x': Evil()}",
    'sys.stdout.buffer.write(pickle.dumps(payload, protocol=int(sys.argv[2])))',
  ].join('\n');

  it.each([2, 3, 4, 5].flatMap((protocol) => ['top', 'nested'].map((where) => [protocol, where] as const)))('protocol %i, object %s', (protocol, where) => {
    const marker = path.join(dir, `ran-${protocol}-${where}`);
    const bytes = python(evil, marker, String(protocol), where);
    for (const framework of ['django', 'flask-session']) {
      const reading = userOf(framework, str(bytes));
      expect(reading).toEqual(unreadable(/loads Python code \((?:opcode )?(?:GLOBAL|STACK_GLOBAL).*never executed/));
    }
    expect(() => unpickle(bytes)).toThrow(/never executed/);
    expect(existsSync(marker)).toBe(false);
    if (protocol < 4) expect(userOf('django', str(bytes))).toEqual(unreadable(/GLOBAL (?:posix|os|nt)\.system/));
  });

  it('a datetime in the session is an object too: unreadable, not half-read', () => {
    const bytes = python("import datetime,pickle,sys; sys.stdout.buffer.write(pickle.dumps({'_auth_user_id': '1', 'when': datetime.datetime(2026, 1, 1)}, protocol=4))");
    expect(userOf('django', str(bytes))).toEqual(unreadable(/loads Python code/));
  });

  it('every code-loading opcode is refused on sight', () => {
    for (const op of ['c', 'R', 'b', 'i', 'o', 'P', 'Q', '\x93', '\x81', '\x92', '\x82', '\x83', '\x84']) {
      const bytes = Buffer.concat([Buffer.from([0x80, 4]), Buffer.from(op, 'latin1'), Buffer.from('os\nsystem\n.')]);
      expect(() => unpickle(bytes), `opcode ${JSON.stringify(op)}`).toThrow(/loads Python code/);
    }
  });
});

describe('garbled and truncated values: unreadable, never a throw', () => {
  const originals = FRAMEWORK_SESSIONS.filter((session) => session.framework !== 'spring-session' && session.framework !== 'aspnet-core');

  const garbled: Array<[string, SessionValue, RegExp]> = [
    ['connect-redis', str('{"passport": {"user": "alice"'), /not JSON/],
    ['connect-redis', str('[1,2]'), /JSON a list/],
    ['phpredis', str('user_id|i:42'), /truncated/],
    ['phpredis', str('user_id|s:10:"abc";'), /truncated|malformed/],
    ['phpredis', str('just text'), /not a PHP session/],
    ['phpredis', str('user_id|x:1;'), /unsupported PHP serialized type "x"/],
    ['phpredis', str('user_id|i:1;junk'), /not a PHP session|unsupported|malformed/],
    ['php-memcached', str(Buffer.from([0, 0, 0, 2, 0x14, 0x01])), /igbinary/],
    ['laravel', str('s:20:"a:1:{s:1:"x";i:1;}";'), /truncated|malformed|trailing/],
    ['laravel', str('a:1:{s:1:"x";'), /truncated/],
    ['django', str(Buffer.from([0x80, 0x05, 0x95, 0x10])), /truncated/],
    ['django', str(Buffer.from('80047d94288c0d5f617574685f757365725f6964948c01319475', 'hex')), /truncated pickle \(no STOP\)/],
    ['django', str(Buffer.concat([pickleProtocol({ _auth_user_id: '1' }, 4), Buffer.from('x')])), /trailing bytes/],
    ['django', str('12345'), /not a pickle/],
    ['django', str(Buffer.from([0x78, 0x9c, 1, 2, 3])), /does not inflate/],
    ['flask-session', str(Buffer.from([0x82, 0xa1, 0x61])), /not msgpack/],
    ['flask-session', str(Buffer.concat([Buffer.from(msgpack({ _user_id: '1' })), Buffer.from([1])])), /not msgpack/],
    ['flask-session', str(Buffer.from(msgpack(['a list']))), /not a pickle, msgpack/],
    ['rails', str(Buffer.from([4, 8, 0x7b, 0x06, 0x22])), /truncated/],
    ['rails', str(Buffer.from([4, 9, 0x30])), /neither Ruby Marshal/],
    ['rails', str(Buffer.from([4, 8, 0x40, 0x10])), /object link .* out of range/],
    ['aspnet-core', hash({ data: Buffer.from('02000000c4a3f1', 'hex') }), /truncated/],
    ['aspnet-core', hash({ data: Buffer.from('09', 'hex') }), /unknown ASP.NET Core session serialization revision 9/],
    ['redistore', str('{"user": '), /not JSON/],
    ['phpredis', hash({ a: 'b' }), /expected a string value, found a hash/],
    ['cobol-session', str('x'), /no user reader/],
  ];
  it.each(garbled.map(([framework, value, reason]) => [framework, reason.source, value, reason] as const))('%s: unreadable /%s/', (framework, _label, value, reason) => {
    const userField = framework === 'aspnet-core' ? ['UserName'] : undefined;
    expect(userOf(framework, value, { userField })).toEqual(unreadable(reason));
  });

  it('every prefix of every real session value gives a reading, never a throw', async () => {
    for (const session of originals) {
      const bytes = await captureWrite(session);
      for (let end = 0; end < bytes.length; end++) {
        const reading = userOf(session.framework, str(bytes.subarray(0, end)));
        expect(['user', 'anonymous', 'unreadable']).toContain(reading.kind);
        // A cut value may still parse (a PHP session ending after its first variable), but it never
        // names someone else.
        if (reading.kind === 'user' && session.framework !== 'phpredis') expect(reading.user).toBe(session.user);
      }
    }
  });

  it('random bytes and random mutations never throw (fast-check)', async () => {
    const seeds = await Promise.all(originals.map(async (session) => [session.framework, await captureWrite(session)] as const));
    fc.assert(
      fc.property(fc.constantFrom(...ALL_FRAMEWORKS), fc.uint8Array({ maxLength: 300 }), (framework, bytes) => {
        const reading = userOf(framework, str(bytes));
        return ['user', 'anonymous', 'unreadable'].includes(reading.kind);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), ([framework, original], flips) => {
        const bytes = Buffer.from(original);
        for (const [at, byte] of flips) bytes[at % bytes.length] = byte;
        const reading = userOf(framework, str(bytes));
        return ['user', 'anonymous', 'unreadable'].includes(reading.kind);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b))), fc.constantFrom('spring-session', 'aspnet-core'), (fields, framework) => {
        const value: SessionValue = { type: 'hash', fields: new Map(Object.entries(fields)) };
        return ['user', 'anonymous', 'unreadable'].includes(userOf(framework, value, { userField: ['x'] }).kind)
          && ['user', 'anonymous', 'unreadable'].includes(userOf(framework, value).kind);
      }),
      { numRuns: 500 },
    );
  });
});

describe('PHP strings are byte strings', () => {
  it('s:N counts UTF-8 bytes: multibyte values and keys read exactly', () => {
    const name = 'Zoë 東京 🙂';
    expect(Buffer.byteLength(name)).toBe(16);
    expect([...name].length).toBe(8);
    expect(userOf('phpredis', str(`username|s:16:"${name}";`))).toEqual(user(name));
    expect(userOf('phpredis', str(phpSerialize({ 'ключ': 1, username: name })))).toEqual(user(name));
    expect(phpUnserialize(Buffer.from(phpSerialize({ 'ключ': 'значение' })))).toEqual(new Map([['ключ', 'значение']]));
  });
  it('a length counted in characters instead of bytes is refused', () => {
    expect(userOf('phpredis', str(`username|s:${[...'Zoë 東京 🙂'].length}:"Zoë 東京 🙂";`))).toEqual(unreadable(/malformed|truncated/));
  });
  it('a user id that is not UTF-8 text is unreadable, not mangled', () => {
    const bytes = Buffer.concat([Buffer.from('username|s:2:"'), Buffer.from([0xff, 0xfe]), Buffer.from('";')]);
    expect(userOf('phpredis', str(bytes))).toEqual(unreadable(/not UTF-8/));
  });
  it('the three session handlers decode to the same variables', () => {
    const vars = new Map<string, unknown>([['uid', 7n], ['name', 'ö']]);
    expect(phpSessionDecode(Buffer.from(`uid|i:7;name|${phpSerialize('ö')}`))).toEqual({ vars, encoding: 'php' });
    expect(phpSessionDecode(Buffer.from(phpSerialize({ uid: 7, name: 'ö' })))).toEqual({ vars, encoding: 'php_serialize' });
    const binary = Buffer.concat([Buffer.from([3]), Buffer.from('uid'), Buffer.from('i:7;'), Buffer.from([4]), Buffer.from('name'), Buffer.from(phpSerialize('ö'))]);
    expect(phpSessionDecode(binary)).toEqual({ vars, encoding: 'php_binary' });
  });
});

describe('nesting is bounded', () => {
  it('PHP: 64 levels read, deeper refused', () => {
    const nested = (depth: number) => `${'a:1:{i:0;'.repeat(depth)}s:1:"x";${'}'.repeat(depth)}`;
    expect(userOf('phpredis', str(`user_id|i:1;deep|${nested(60)}`))).toEqual(user('1'));
    expect(userOf('phpredis', str(`user_id|i:1;deep|${nested(100)}`))).toEqual(unreadable(/nested deeper than 64/));
    expect(userOf('phpredis', str(`user_id|i:1;deep|${nested(100_000)}`))).toEqual(unreadable(/nested deeper than 64/));
  });
  it('Ruby Marshal: deeper than 64 refused', () => {
    const deep = Buffer.concat([Buffer.from([4, 8]), Buffer.from('[\x06'.repeat(10_000), 'latin1'), Buffer.from('0')]);
    expect(() => rubyMarshalLoad(deep)).toThrow(/nested deeper than 64/);
    expect(userOf('rails', str(deep))).toEqual(unreadable(/nested deeper than 64|not a session dict/));
  });
  it('pickle: MARK nesting over 64 refused; deep single-item nesting is read without recursion', () => {
    const marks = python('import pickle,sys\nv = {"_auth_user_id": "1"}\nfor i in range(100): v = {"a": v, "b": 1}\nsys.stdout.buffer.write(pickle.dumps(v, protocol=4))');
    expect(userOf('django', str(marks))).toEqual(unreadable(/nested deeper than 64/));
    const chain = python('import pickle,sys\nv = "end"\nfor i in range(400): v = [v]\nsys.stdout.buffer.write(pickle.dumps({"_auth_user_id": "2", "deep": v}, protocol=4))');
    expect(userOf('django', str(chain))).toEqual(user('2'));
  });
  it('JSON and msgpack nested 100,000 deep: a reading, not a crash', () => {
    const json = `{"passport":{"user":"a"},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(['user', 'unreadable']).toContain(userOf('connect-redis', str(json)).kind);
    const packed = Buffer.concat([Buffer.from([0x82, 0xa8]), Buffer.from('_user_id'), Buffer.from([0xa1, 0x31, 0xa1, 0x78]), Buffer.alloc(100_000, 0x91), Buffer.from([0xc0])]);
    expect(['user', 'unreadable']).toContain(userOf('flask-session', str(packed)).kind);
  });
});

/** The bytes a FRAMEWORK_SESSIONS entry writes, captured from its SET call (no server needed). */
async function captureWrite(session: (typeof FRAMEWORK_SESSIONS)[number]): Promise<Buffer> {
  let captured: Buffer | undefined;
  const fake = {
    set: async (_key: string, value: string | Buffer) => {
      captured = Buffer.from(value);
    },
  };
  await session.write(fake as never);
  if (!captured) throw new Error(`${session.framework} wrote no string`);
  return captured;
}
