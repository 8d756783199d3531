/**
 * One logged-in session per framework, written the way that framework writes it: its key shape, its
 * value encoding and its TTL. Encodings come from the real serialisers where this machine has them
 * (python3's pickle, @msgpack/msgpack, JSON) and are spelled out byte for byte where it does not
 * (PHP serialize, Ruby Marshal, Java serialization), each following the format's documentation.
 */
import { execFileSync } from 'node:child_process';
import { encode as msgpack } from '@msgpack/msgpack';
import type { Redis } from 'ioredis';

export interface FrameworkSession {
  framework: string;
  /** The namespace pattern scan reports for it. */
  pattern: string;
  key: string;
  /** The user the session belongs to. */
  user: string;
  write(client: Redis): Promise<unknown>;
}

/** PHP serialize() of a string: s:<byte length>:"<bytes>"; */
const phpString = (value: string) => `s:${Buffer.byteLength(value)}:"${value}";`;

/** Python's pickle (Django's RedisSerializer and Flask-Session < 0.6 use pickle.HIGHEST_PROTOCOL). */
function pickle(value: object): Buffer {
  const script = 'import json,pickle,sys; sys.stdout.buffer.write(pickle.dumps(json.loads(sys.argv[1]), protocol=pickle.HIGHEST_PROTOCOL))';
  return execFileSync('python3', ['-c', script, JSON.stringify(value)]);
}

/** Ruby Marshal 4.8 of a Hash of UTF-8 Strings (what redis-rack stores): `{` count, then `I"` len bytes `\x06:\x06ET` per string. */
function rubyMarshalHash(entries: Record<string, string>): Buffer {
  const length = (n: number) => Buffer.from([n + 5]); // Marshal's small-integer form, 1..122
  const utf8String = (value: string, first: boolean) =>
    Buffer.concat([Buffer.from('I"'), length(Buffer.byteLength(value)), Buffer.from(value), first ? Buffer.from('\x06:\x06ET', 'latin1') : Buffer.from('\x06;\x00T', 'latin1')]);
  const parts = [Buffer.from([0x04, 0x08, 0x7b]), length(Object.keys(entries).length)];
  let first = true;
  for (const [name, value] of Object.entries(entries)) {
    parts.push(utf8String(name, first));
    first = false;
    parts.push(utf8String(value, false));
  }
  return Buffer.concat(parts);
}

/** Java serialization of a java.lang.Long (Spring Session's JdkSerializationRedisSerializer). */
function javaLong(value: bigint): Buffer {
  const head = Buffer.from(
    'aced0005737200 0e 6a6176612e6c616e672e4c6f6e67 3b8be490cc8f23df 0200014a000576616c7565 78 72 0010 6a6176612e6c616e672e4e756d626572 86ac951d0b94e08b 020000 78 70'.replace(/ /g, ''),
    'hex',
  );
  const number = Buffer.alloc(8);
  number.writeBigInt64BE(value);
  return Buffer.concat([head, number]);
}

const DAY = 86_400;

export const FRAMEWORK_SESSIONS: readonly FrameworkSession[] = [
  {
    framework: 'connect-redis', pattern: 'sess:*', key: 'sess:Kx9vQ2mZ7rT4yB8nW1pL5cD3fH6jG0aS', user: 'alice',
    write: (c) => c.set('sess:Kx9vQ2mZ7rT4yB8nW1pL5cD3fH6jG0aS', JSON.stringify({
      cookie: { originalMaxAge: 86_400_000, expires: '2026-11-29T00:00:00.000Z', httpOnly: true, path: '/' },
      passport: { user: 'alice' },
    }), 'EX', DAY),
  },
  {
    framework: 'spring-session', pattern: 'spring:session:sessions:*', key: 'spring:session:sessions:7e3f1c2a-5b4d-4e6f-8a9b-0c1d2e3f4a5b', user: 'bob',
    write: async (c) => {
      const id = '7e3f1c2a-5b4d-4e6f-8a9b-0c1d2e3f4a5b';
      await c.hset(`spring:session:sessions:${id}`, {
        creationTime: javaLong(1_764_201_600_000n),
        lastAccessedTime: javaLong(1_764_203_400_000n),
        maxInactiveInterval: Buffer.from('aced0005737200116a6176612e6c616e672e496e746567657212e2a0a4f781873802000149000576616c7565787200106a6176612e6c616e672e4e756d62657286ac951d0b94e08b0200007870'+'00000708', 'hex'),
        'sessionAttr:SPRING_SECURITY_CONTEXT': Buffer.from('aced00057372003d6f72672e737072696e676672616d65776f726b2e73656375726974792e636f72652e636f6e746578742e5365637572697479436f6e74657874496d706c', 'hex'),
      });
      await c.expire(`spring:session:sessions:${id}`, 2_100);
      await c.set(`spring:session:sessions:expires:${id}`, '', 'EX', 1_800);
      await c.sadd('spring:session:expirations:1764205200000', `expires:${id}`);
      await c.expire('spring:session:expirations:1764205200000', 2_100);
      await c.sadd('spring:session:index:org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME:bob', id);
      return c.expire('spring:session:index:org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME:bob', 2_100);
    },
  },
  {
    // PHP's default session.serialize_handler "php": name|serialized;name|serialized;
    framework: 'phpredis', pattern: 'PHPREDIS_SESSION:*', key: 'PHPREDIS_SESSION:q3v9k1m5n7b2c4x6z8l0j2h4g6', user: '42',
    write: (c) => c.set('PHPREDIS_SESSION:q3v9k1m5n7b2c4x6z8l0j2h4g6', `user_id|i:42;username|${phpString('carol')}`, 'EX', 1_440),
  },
  {
    // Laravel's RedisStore serialize()s the session payload, itself serialize($attributes): a string in a string.
    framework: 'laravel', pattern: '*_database_*_cache_*', key: 'laravel_database_laravel_cache_:Yx2Wv4Ut6Sr8Qp0On2Ml4Kj6Ih8Gf0Ed2Cb4Az6y', user: '7',
    write: (c) => {
      const payload = `a:3:{${phpString('_token')}${phpString('pD8qkT1uH0xGv5cN3mR7yW2zB9sJ4fL6aE8oK1iU')}${phpString('login_web_59ba36addc2b2f9401580f014c7f58ea4e30989d')}i:7;${phpString('_previous')}a:1:{${phpString('url')}${phpString('https://app.example.com/home')}}}`;
      return c.set('laravel_database_laravel_cache_:Yx2Wv4Ut6Sr8Qp0On2Ml4Kj6Ih8Gf0Ed2Cb4Az6y', phpString(payload), 'EX', 7_200);
    },
  },
  {
    framework: 'symfony', pattern: 'sf_s*', key: 'sf_s7d2kq9v4m1x8c3b6n0z5l2j7h4', user: 'dave',
    write: (c) => c.set(
      'sf_s7d2kq9v4m1x8c3b6n0z5l2j7h4',
      `_sf2_attributes|a:1:{${phpString('_security_main')}${phpString('dave')}}_sf2_meta|a:3:{s:1:"u";i:1764201600;s:1:"c";i:1764201600;s:1:"l";i:0;}`,
      'EX', 1_440,
    ),
  },
  {
    framework: 'django', pattern: ':1:django.contrib.sessions.cache*', key: ':1:django.contrib.sessions.cachei8x2k5n9q3w7e1r4t6y0u2o5p8a3s', user: '3',
    write: (c) => c.set(':1:django.contrib.sessions.cachei8x2k5n9q3w7e1r4t6y0u2o5p8a3s', pickle({
      _auth_user_id: '3', _auth_user_backend: 'django.contrib.auth.backends.ModelBackend', _auth_user_hash: '8f1c2e4b6a9d0c3e5f7a1b2c4d6e8f0a1b3c5d7e',
    }), 'EX', 1_209_600),
  },
  {
    // Flask-Session 0.6+ serialises with msgpack.
    framework: 'flask-session', pattern: 'session:*', key: 'session:b3f2e1d0-c9b8-4a7f-8e6d-5c4b3a291807', user: '11',
    write: (c) => c.set('session:b3f2e1d0-c9b8-4a7f-8e6d-5c4b3a291807', Buffer.from(msgpack({ _permanent: true, _user_id: '11', _fresh: true })), 'EX', 2_678_400),
  },
  {
    framework: 'rails', pattern: 'rack:session:*', key: 'rack:session:2::6f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4', user: 'erin',
    write: (c) => c.set('rack:session:2::6f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4', rubyMarshalHash({ session_id: '6f1e2d3c4b5a69788796a5b4c3d2e1f0', user_id: 'erin' }), 'EX', DAY),
  },
  {
    // Microsoft.Extensions.Caching.StackExchangeRedis: a hash; absexp -1 when unset, sldexp in ticks (20 min).
    framework: 'aspnet-core', pattern: 'MyApp*', key: 'MyAppc1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', user: 'frank',
    write: (c) => c.hset('MyAppc1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', { absexp: '-1', sldexp: '12000000000', data: Buffer.from('02000000c4a3f1', 'hex') })
      .then(() => c.expire('MyAppc1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', 1_200)),
  },
  {
    framework: 'redistore', pattern: 'session_*', key: 'session_MZXW6YTBOI2DGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', user: 'grace',
    write: (c) => c.set('session_MZXW6YTBOI2DGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', JSON.stringify({ user: 'grace', authenticated: true }), 'EX', 30 * DAY),
  },
];

// ------------------------------------------------------------------------------------------------
// More logged-in sessions, for reading the user (`revoke --user`): the other encodings and layouts
// each framework writes. Kept apart from FRAMEWORK_SESSIONS, whose one-session-per-framework shape
// the scan tests count on.

/** A PHP object for phpSerialize: the class and its properties (names as serialize() writes them). */
export class PhpObject {
  constructor(readonly className: string, readonly properties: ReadonlyArray<readonly [string | number, unknown]>) {}
}

/** PHP serialize() of plain data: strings (byte lengths), integers, floats, booleans, null, arrays, maps, PhpObject. */
export function phpSerialize(value: unknown): string {
  if (value === null || value === undefined) return 'N;';
  if (typeof value === 'boolean') return `b:${value ? 1 : 0};`;
  if (typeof value === 'bigint') return `i:${value};`;
  if (typeof value === 'number') return Number.isInteger(value) ? `i:${value};` : `d:${value};`;
  if (typeof value === 'string') return phpString(value);
  const entries = (pairs: ReadonlyArray<readonly [string | number, unknown]>) =>
    pairs.map(([key, item]) => (typeof key === 'number' ? `i:${key};` : phpString(key)) + phpSerialize(item)).join('');
  if (value instanceof PhpObject) {
    return `O:${Buffer.byteLength(value.className)}:"${value.className}":${value.properties.length}:{${entries(value.properties)}}`;
  }
  const pairs: Array<readonly [string | number, unknown]> = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value as object);
  return `a:${pairs.length}:{${entries(pairs)}}`;
}

/** pickle.dumps(json.loads(JSON), protocol) with python3 (protocols 1 to 5). */
export function pickleProtocol(value: unknown, protocol: number): Buffer {
  const script = 'import json,pickle,sys; sys.stdout.buffer.write(pickle.dumps(json.loads(sys.argv[1]), protocol=int(sys.argv[2])))';
  return execFileSync('python3', ['-c', script, JSON.stringify(value), String(protocol)]);
}

/** Ruby Marshal 4.8 of nil, booleans, Integers, UTF-8 Strings, Arrays and Hashes with String keys (what Rack sessions hold). */
export function rubyMarshal(value: unknown): Buffer {
  const parts: Buffer[] = [Buffer.from([0x04, 0x08])];
  let encodingSymbolWritten = false;
  const long = (n: number): Buffer => {
    if (n === 0) return Buffer.from([0]);
    if (n > 0 && n < 123) return Buffer.from([n + 5]);
    if (n < 0 && n > -124) return Buffer.from([(n - 5) & 0xff]);
    const bytes: number[] = [];
    let x = n;
    for (let i = 0; i < 4; i++) {
      bytes.push(x & 0xff);
      x >>= 8;
      if (n >= 0 ? x === 0 : x === -1) break;
    }
    return Buffer.from([(n >= 0 ? bytes.length : 256 - bytes.length) & 0xff, ...bytes]);
  };
  const write = (item: unknown): void => {
    if (item === null || item === undefined) parts.push(Buffer.from('0'));
    else if (item === true) parts.push(Buffer.from('T'));
    else if (item === false) parts.push(Buffer.from('F'));
    else if (typeof item === 'number') parts.push(Buffer.from('i'), long(item));
    else if (typeof item === 'string') {
      parts.push(Buffer.from('I"'), long(Buffer.byteLength(item)), Buffer.from(item), long(1));
      parts.push(encodingSymbolWritten ? Buffer.from(';\x00', 'latin1') : Buffer.concat([Buffer.from(':'), long(1), Buffer.from('E')]), Buffer.from('T'));
      encodingSymbolWritten = true;
    } else if (Array.isArray(item)) {
      parts.push(Buffer.from('['), long(item.length));
      item.forEach(write);
    } else {
      const entries = Object.entries(item as object);
      parts.push(Buffer.from('{'), long(entries.length));
      for (const [key, entry] of entries) {
        write(key);
        write(entry);
      }
    }
  };
  write(value);
  return Buffer.concat(parts);
}

const SYMFONY_IN_MEMORY_USER = 'Symfony\\Component\\Security\\Core\\User\\InMemoryUser';
/** Symfony 6/7 UsernamePasswordToken::__serialize(): [credentials, firewall, AbstractToken data [user, true, null, attributes, roleNames]]. */
export function symfonyToken(user: unknown, firewall = 'main'): string {
  return phpSerialize(new PhpObject('Symfony\\Component\\Security\\Core\\Authentication\\Token\\UsernamePasswordToken', [
    [0, null],
    [1, firewall],
    [2, [user, true, null, [], ['ROLE_USER']]],
  ]));
}
export const symfonyInMemoryUser = (name: string) => new PhpObject(SYMFONY_IN_MEMORY_USER, [
  [`\0${SYMFONY_IN_MEMORY_USER}\0username`, name],
  [`\0${SYMFONY_IN_MEMORY_USER}\0password`, null],
  [`\0${SYMFONY_IN_MEMORY_USER}\0enabled`, true],
  [`\0${SYMFONY_IN_MEMORY_USER}\0roles`, ['ROLE_USER']],
]);

/** Laravel's RedisStore value: serialize(serialize($attributes)). */
export const laravelValue = (attributes: Record<string, unknown>) => phpString(phpSerialize(attributes));
const LARAVEL_WEB = 'login_web_59ba36addc2b2f9401580f014c7f58ea4e30989d';

export const MORE_FRAMEWORK_SESSIONS: readonly FrameworkSession[] = [
  {
    framework: 'connect-redis', pattern: 'sess:*', key: 'sess:numericUser000000000000000001', user: '1001',
    write: (c) => c.set('sess:numericUser000000000000000001', JSON.stringify({ cookie: { path: '/' }, passport: { user: 1001 } }), 'EX', DAY),
  },
  {
    // session.serialize_handler = php_serialize: the whole $_SESSION as one serialize()d array.
    framework: 'phpredis', pattern: 'PHPREDIS_SESSION:*', key: 'PHPREDIS_SESSION:phpserialize0000000000001', user: 'ivan',
    write: (c) => c.set('PHPREDIS_SESSION:phpserialize0000000000001', phpSerialize({ cart: [1, 2], username: 'ivan' }), 'EX', 1_440),
  },
  {
    // session.serialize_handler = php_binary: a length byte, the name, the serialize()d value.
    framework: 'php-memcached', pattern: 'memc.sess.key.*', key: 'memc.sess.key.phpbinary000000000001', user: '77',
    write: (c) => c.set('memc.sess.key.phpbinary000000000001', Buffer.concat([Buffer.from([4]), Buffer.from('lang'), Buffer.from(phpSerialize('fr')), Buffer.from([3]), Buffer.from('uid'), Buffer.from(phpSerialize(77))]), 'EX', 1_440),
  },
  {
    // Multibyte UTF-8: s:<byte length>, not characters.
    framework: 'phpredis', pattern: 'PHPREDIS_SESSION:*', key: 'PHPREDIS_SESSION:multibyte00000000000001', user: 'Zoë-東京-🙂',
    write: (c) => c.set('PHPREDIS_SESSION:multibyte00000000000001', `greeting|${phpString('héllo wörld ✓')}username|${phpString('Zoë-東京-🙂')}`, 'EX', 1_440),
  },
  {
    framework: 'symfony', pattern: 'sf_s*', key: 'sf_s0token00inmemory00user0000001', user: 'heidi',
    write: (c) => c.set('sf_s0token00inmemory00user0000001', `_sf2_attributes|${phpSerialize({ _csrf: 'x', _security_main: symfonyToken(symfonyInMemoryUser('heidi')) })}_sf2_meta|${phpSerialize({ u: 1764201600, c: 1764201600, l: 0 })}`, 'EX', 1_440),
  },
  {
    // Before Symfony 5.4 a token's user could be a plain string.
    framework: 'symfony', pattern: 'sf_s*', key: 'sf_s0token00string00user00000001', user: 'judy@example.com',
    write: (c) => c.set('sf_s0token00string00user00000001', `_sf2_attributes|${phpSerialize({ _security_admin: symfonyToken('judy@example.com', 'admin') })}`, 'EX', 1_440),
  },
  {
    framework: 'laravel', pattern: '*_database_*_cache_*', key: 'laravel_database_laravel_cache_:uuidUser0000000000000000000000000000000001', user: '9b2f7c1e-3a4d-4e5f-8a6b-7c8d9e0f1a2b',
    write: (c) => c.set('laravel_database_laravel_cache_:uuidUser0000000000000000000000000000000001', laravelValue({ _token: 'abc', [LARAVEL_WEB]: '9b2f7c1e-3a4d-4e5f-8a6b-7c8d9e0f1a2b', password_hash_web: 'h' }), 'EX', 7_200),
  },
  {
    framework: 'laravel', pattern: '*_database_*_cache_*', key: 'laravel_database_laravel_cache_:adminGuard000000000000000000000000000000001', user: '5',
    write: (c) => c.set('laravel_database_laravel_cache_:adminGuard000000000000000000000000000000001', laravelValue({ _token: 'abc', login_admin_0a1b2c3d4e5f60718293a4b5c6d7e8f901234567: 5 }), 'EX', 7_200),
  },
  ...[2, 3, 4, 5].map((protocol): FrameworkSession => ({
    framework: 'django', pattern: ':1:django.contrib.sessions.cache*', key: `:1:django.contrib.sessions.cacheprotocol${protocol}aaaaaaaaaaaaaaaaaaaaaa`, user: `${100 + protocol}`,
    write: (c) => c.set(`:1:django.contrib.sessions.cacheprotocol${protocol}aaaaaaaaaaaaaaaaaaaaaa`, pickleProtocol({
      _auth_user_id: `${100 + protocol}`, _auth_user_backend: 'django.contrib.auth.backends.ModelBackend', _auth_user_hash: 'ab'.repeat(20),
      cart: { items: [1, 2.5, true, null, 'x'], total: 2 ** 40 }, greeting: 'héllo 🙂',
    }, protocol), 'EX', 1_209_600),
  })),
  {
    // django-redis with JSONSerializer.
    framework: 'django', pattern: ':1:django.contrib.sessions.cache*', key: ':1:django.contrib.sessions.cachejsonserializer0000000000000', user: '31',
    write: (c) => c.set(':1:django.contrib.sessions.cachejsonserializer0000000000000', JSON.stringify({ _auth_user_id: '31', _auth_user_backend: 'x' }), 'EX', 1_209_600),
  },
  ...[2, 4, 5].map((protocol): FrameworkSession => ({
    // Flask-Session before 0.6 pickled the session dict.
    framework: 'flask-session', pattern: 'session:*', key: `session:pickled-protocol-${protocol}-0000000000000000`, user: `u-${protocol}`,
    write: (c) => c.set(`session:pickled-protocol-${protocol}-0000000000000000`, pickleProtocol({ _permanent: true, _user_id: `u-${protocol}`, _fresh: false, _id: 'f'.repeat(128) }, protocol), 'EX', 2_678_400),
  })),
  {
    // Devise: warden.user.user.key => [[id], salt].
    framework: 'rails', pattern: 'rack:session:*', key: 'rack:session:2::devise000000000000000000000000000000000000000000000000000000000001', user: '314',
    write: (c) => c.set('rack:session:2::devise000000000000000000000000000000000000000000000000000000000001', rubyMarshal({
      session_id: 'abc', 'warden.user.user.key': [[314], '$2a$12$KkYz1pQ9rT4yB8nW1pL5cO'], _csrf_token: 'tok', flash: { discard: [], flashes: { notice: 'Signed in.' } },
    }), 'EX', DAY),
  },
  {
    // redis-session-store with serializer: :json.
    framework: 'rails', pattern: '_session_id:*', key: '_session_id:json0000000000000000000000000001', user: '271828',
    write: (c) => c.set('_session_id:json0000000000000000000000000001', JSON.stringify({ 'warden.user.user.key': [[271828], 'salt'], session_id: 'x' }), 'EX', DAY),
  },
];
