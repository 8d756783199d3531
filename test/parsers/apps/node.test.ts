import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { SessionConfig } from '../../../src/model/index.js';
import { nodeReader } from '../../../src/parsers/apps/node.js';
import { sourceFromText } from '../../../src/parsers/source.js';
import { repoRoot } from '../../support/parse.js';
import { lineOf, pair, readFixture, readFixtureAndText, readText as readTextWith, ruleFixtures, settingsSummary } from './read.js';

const DIR = 'fixtures/parsers/apps/node';

const fixture = (name: string) => readFixtureAndText(nodeReader, `${DIR}/${name}`);
const readText = (name: string, text: string) => readTextWith(nodeReader, name, text);

const summary = (config: SessionConfig) => ({ framework: config.framework, ...settingsSummary(config) });

describe('nodeReader.wants', () => {
  test('JavaScript and TypeScript sources, not declarations or minified bundles', () => {
    for (const name of ['app.js', 'server.mjs', 'index.cjs', 'main.ts', 'app.mts', 'app.cts']) expect(nodeReader.wants(name)).toBe(true);
    for (const name of ['types.d.ts', 'vendor.min.js', 'app.py', 'package.json', 'app.jsx.map']) expect(nodeReader.wants(name)).toBe(false);
  });
});

describe('express-session', () => {
  test('README example: no store option is MemoryStore; defaults have no location', () => {
    const { rel, text, configs } = fixture('express-readme-basic.js');
    expect(configs).toHaveLength(1);
    const [config] = configs;
    expect(config).toEqual({
      kind: 'session-config',
      framework: 'express-session',
      frameworkName: 'express-session',
      storage: 'memory',
      storageDetail: 'MemoryStore (no store option)',
      storeHosts: [],
      location: { file: rel, line: lineOf(text, 'app.use(session({'), column: 9 },
      evidence: 'app.use(session({',
      appRoot: '.',
      cookie: {
        name: 'connect.sid',
        secure: { value: true, location: { file: rel, line: lineOf(text, 'cookie: { secure: true }'), column: 13 }, evidence: 'cookie: { secure: true }' },
        httpOnly: { value: true },
      },
      secret: {
        source: 'sample',
        what: 'express-session secret',
        location: { file: rel, line: lineOf(text, "secret: 'keyboard cat'"), column: 11 },
        evidence: "secret: 'keyboard cat',",
      },
    });
    expect(config.lifetime).toBeUndefined();
  });

  test('README options variable with `sess.cookie.secure = true` set later', () => {
    const { text, configs } = fixture('express-readme-sess.js');
    expect(configs.map(summary)).toEqual([
      {
        framework: 'express-session',
        storage: 'memory',
        storageDetail: 'MemoryStore (no store option)',
        storeHosts: [],
        line: lineOf(text, 'app.use(session(sess))'),
        cookie: { name: 'connect.sid', secure: [true, lineOf(text, 'sess.cookie.secure = true')], httpOnly: [true, undefined], sameSite: undefined },
        lifetime: undefined,
        secret: ['sample', lineOf(text, "secret: 'keyboard cat'")],
      },
    ]);
  });

  test('connect-redis (named ESM import): redis, host from the client URL, one-day store TTL by default', () => {
    const { text, configs } = fixture('express-connect-redis.mjs');
    const cookieLine = lineOf(text, 'cookie: {httpOnly: true');
    expect(configs.map(summary)).toEqual([
      {
        framework: 'express-session',
        storage: 'redis',
        storageDetail: 'connect-redis',
        storeHosts: ['redis'],
        line: lineOf(text, '  session({'),
        cookie: { name: 'connect.sid', secure: [true, cookieLine], httpOnly: [true, cookieLine], sameSite: ['lax', cookieLine] },
        lifetime: [86400, undefined],
        secret: undefined,
      },
    ]);
  });

  test('connect-redis factory style with an ioredis client by port and host; maxAge in ms becomes seconds', () => {
    const { text, configs } = fixture('express-connect-redis-legacy.js');
    expect(configs.map(summary)).toEqual([
      {
        framework: 'express-session',
        storage: 'redis',
        storageDetail: 'connect-redis',
        storeHosts: ['cache'],
        line: lineOf(text, '  session({'),
        cookie: { name: 'connect.sid', secure: [false, undefined], httpOnly: [true, undefined], sameSite: undefined },
        // cookie.maxAge wins over the store's ttl: connect-redis uses the cookie's expiry when it has one.
        lifetime: [7200, lineOf(text, 'maxAge: 1000 * 60 * 60 * 2')],
        secret: ['literal', lineOf(text, "secret: 'QHq8v2xK")],
      },
    ]);
  });

  test('connect-memcached: memcached with every host of the hosts list', () => {
    const { configs } = fixture('express-memcached.js');
    expect(configs.map((config) => [config.storage, config.storageDetail, config.storeHosts, config.secret?.source])).toEqual([
      ['memcached', 'connect-memcached', ['memcached-1', 'memcached-2'], 'literal'],
    ]);
  });

  test('connect-mongo in TypeScript: typed options object, MongoStore.create, ttl option, secure: "auto"', () => {
    const { text, configs } = fixture('express-mongo.ts');
    expect(configs.map(summary)).toEqual([
      {
        framework: 'express-session',
        storage: 'database',
        storageDetail: 'connect-mongo',
        storeHosts: ['mongo'],
        line: lineOf(text, 'app.use(session(sessionOptions))'),
        cookie: { name: 'connect.sid', secure: [true, lineOf(text, "secure: 'auto'")], httpOnly: [true, undefined], sameSite: ['strict', lineOf(text, "sameSite: 'strict'")] },
        lifetime: [1209600, lineOf(text, 'ttl: 14 * 24 * 60 * 60')],
        secret: undefined,
      },
    ]);
  });

  test('session-file-store: file on the node, its one-hour default TTL', () => {
    const { configs } = fixture('express-file-store.js');
    expect(configs.map((config) => [config.storage, config.storageDetail, pair(config.lifetime)])).toEqual([['file', 'session-file-store', [3600, undefined]]]);
  });

  test('memorystore package and the built-in MemoryStore named explicitly are memory', () => {
    const memorystore = fixture('express-memorystore.js');
    expect(memorystore.configs.map((config) => [config.storage, config.storageDetail, pair(config.lifetime)])).toEqual([
      ['memory', 'memorystore', [86400, lineOf(memorystore.text, 'cookie: { maxAge: 86400000 }')]],
    ]);
    const nest = fixture('express-session-memorystore-class.ts');
    expect(nest.configs.map(summary)).toEqual([
      {
        framework: 'express-session',
        storage: 'memory',
        storageDetail: 'express-session MemoryStore',
        storeHosts: [],
        line: lineOf(nest.text, '    session({'),
        cookie: { name: 'connect.sid', secure: [false, undefined], httpOnly: [false, lineOf(nest.text, 'httpOnly: false')], sameSite: undefined },
        lifetime: [1800, lineOf(nest.text, 'maxAge: 30 * 60 * 1000')],
        secret: ['sample', lineOf(nest.text, "secret: 'my-secret'")],
      },
    ]);
  });

  test('connect-sqlite3 keeps sessions in a file on the node', () => {
    const { configs } = fixture('express-sqlite.js');
    expect(configs.map((config) => [config.storage, config.storageDetail, config.lifetime?.value, config.secret?.source])).toEqual([
      ['file', 'connect-sqlite3', 604800, 'sample'],
    ]);
  });

  test('a store package with no entry here is shared, named by its package', () => {
    const { configs } = fixture('express-other-store.js');
    expect(configs.map((config) => [config.storage, config.storageDetail, config.storeHosts])).toEqual([['shared', 'aerospike-session-store', ['aerospike']]]);
  });

  test('a store from a parameter or a local module is unknown: not the MemoryStore default, not known to be shared', () => {
    const { text, configs } = fixture('express-store-not-resolved.js');
    expect(configs.map((config) => [config.storage, config.storageDetail, config.location.line])).toEqual([
      ['unknown', 'store (not resolved in this file)', lineOf(text, 'app.use(session({ store, secret')],
      ['unknown', 'store from ./session-store', lineOf(text, 'store: sessionStore')],
    ]);
  });

  test('a commented-out store option does not count', () => {
    const { configs } = fixture('express-commented-store.js');
    expect(configs.map((config) => [config.storage, config.storageDetail])).toEqual([['memory', 'MemoryStore (no store option)']]);
  });

  test('a secret made at start (crypto.randomBytes) is per-node; the client socket host is the store host', () => {
    const { text, configs } = fixture('express-random-secret.js');
    expect(configs.map(summary)).toEqual([
      {
        framework: 'express-session',
        storage: 'redis',
        storageDetail: 'connect-redis',
        storeHosts: ['sessions-redis'],
        line: lineOf(text, 'app.use(session({'),
        cookie: { name: 'connect.sid', secure: [true, lineOf(text, 'secure: true, maxAge')], httpOnly: [true, undefined], sameSite: undefined },
        lifetime: [3600, lineOf(text, 'secure: true, maxAge')],
        secret: ['per-node', lineOf(text, 'crypto.randomBytes(32)')],
      },
    ]);
  });

  test('an env secret with a sample fallback is a sample; secure from an expression is unknown', () => {
    const { text, configs } = fixture('express-env-fallback.js');
    expect(configs).toHaveLength(1);
    const [config] = configs;
    expect(config.secret).toMatchObject({ source: 'sample', what: 'express-session secret (fallback when process.env.SESSION_SECRET is unset)' });
    expect(config.secret?.location.line).toBe(lineOf(text, "|| 'keyboard cat'"));
    expect(config.cookie.secure).toBeUndefined();
    expect(config.cookie.httpOnly).toEqual({ value: true });
    // process.env.MONGO_URL names no host.
    expect(config.storeHosts).toEqual([]);
    expect([config.storage, pair(config.lifetime)]).toEqual(['database', [1209600, undefined]]);
  });

  test('options from another module, spread from one, or a parameter: nothing assumed', () => {
    const { configs } = fixture('express-options-elsewhere.ts');
    expect(configs.map((config) => [config.storage, config.storageDetail, config.cookie, config.lifetime, config.secret])).toEqual([
      ['unknown', 'options not readable in this file', {}, undefined, undefined],
      ['unknown', 'options spread from a value not readable in this file', { name: 'sid' }, undefined, undefined],
      ['unknown', 'options not readable in this file', {}, undefined, undefined],
    ]);
  });

  test('secrets: array of keys, Keygrip, uuid, Math.random, env only', () => {
    const cases: Array<[string, string | undefined]> = [
      ["secret: ['rotated-2024-key-Zq81', 'keyboard cat']", 'sample'],
      ["secret: ['rotated-2024-key-Zq81']", 'literal'],
      ["secret: require('crypto').randomUUID()", 'per-node'],
      ['secret: uuidv4()', 'per-node'],
      ['secret: Math.random().toString(36).slice(2)', 'per-node'],
      ['secret: process.env.SESSION_SECRET', undefined],
      ['secret: `${process.env.PREFIX}-secret`', undefined],
      ["secret: process.env.SESSION_SECRET ?? crypto.randomBytes(48).toString('base64')", 'per-node'],
    ];
    for (const [option, source] of cases) {
      const text = `import session from 'express-session'\nimport { v4 as uuidv4 } from 'uuid'\nimport crypto from 'node:crypto'\napp.use(session({ ${option} }))\n`;
      const [config] = readText('inline.mjs', text);
      expect([option, config?.secret?.source]).toEqual([option, source]);
    }
  });
});

describe('store and import forms', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      "const session = require('express-session')\nconst { RedisStore } = require('connect-redis')\nconst Redis = require('ioredis')\napp.use(session({ store: new RedisStore({ client: new Redis('redis://sessions:6379') }) }))",
      'redis',
      ['sessions'],
    ],
    [
      "const session = require('express-session')\napp.use(session({ store: new (require('connect-pg-simple')(session))({ conString: 'postgres://app:pw@db:5432/app' }) }))",
      'database',
      ['db'],
    ],
    ["import session = require('express-session');\napp.use(session({ store: undefined, secret: 's3' }));", 'memory', []],
    [
      "const expressSession = require('express-session')\nconst MemcachedStore = require('connect-memcached')(expressSession)\nconst Memcached = require('memcached')\nconst client = new Memcached('mc.internal:11211')\napp.use(expressSession({ store: new MemcachedStore({ client }) }))",
      'memcached',
      ['mc.internal'],
    ],
  ];
  test.each(cases)('%s', (text, storage, hosts) => {
    const configs = readText('inline.ts', text);
    expect(configs.map((config) => [config.storage, config.storeHosts])).toEqual([[storage, hosts]]);
  });
});

describe('cookie-session', () => {
  test('README example: cookie storage, maxAge 24 hours, keys from the environment', () => {
    const { text, configs } = fixture('cookie-session-readme.js');
    expect(configs.map(summary)).toEqual([
      {
        framework: 'cookie-session',
        storage: 'cookie',
        storageDetail: 'cookie-session (session data in a signed cookie)',
        storeHosts: [],
        line: lineOf(text, 'app.use(cookieSession({'),
        cookie: { name: 'session', secure: [false, undefined], httpOnly: [true, undefined], sameSite: undefined },
        lifetime: [86400, lineOf(text, 'maxAge: 24 * 60 * 60 * 1000')],
        secret: undefined,
      },
    ]);
  });

  test('literal keys and no maxAge: the signed cookie never expires (lifetime null, a default)', () => {
    const { text, configs } = fixture('cookie-session-keys.mjs');
    expect(configs.map(summary)).toEqual([
      {
        framework: 'cookie-session',
        storage: 'cookie',
        storageDetail: 'cookie-session (session data in a signed cookie)',
        storeHosts: [],
        line: lineOf(text, 'app.use(cookieSession({'),
        cookie: { name: 'session', secure: [true, lineOf(text, 'secure: true')], httpOnly: [true, undefined], sameSite: ['lax', lineOf(text, "sameSite: 'lax'")] },
        lifetime: [null, undefined],
        secret: ['literal', lineOf(text, "keys: ['key1', 'key2']")],
      },
    ]);
    expect(configs[0].secret?.what).toBe('cookie-session keys');
  });
});

describe('what is not a session config', () => {
  test('mentions in comments and strings, and a local function named session', () => {
    expect(fixture('mentions-only.js').configs).toEqual([]);
  });

  test('a file without any session package name is skipped before it is read', () => {
    expect(readText('plain.js', "const session = require('./session')\napp.use(session({ secret: 'keyboard cat' }))\n")).toEqual([]);
  });

  test('garbled source gives [] and does not throw', () => {
    expect(fixture('garbled.js').configs).toEqual([]);
    const odd = [
      "require('express-session')",
      "const session = require('express-session'); session(",
      "const session = require('express-session'); session({ secret: 'x', cookie: { secure: } })",
      "import session from 'express-session'\nsession(...[{ store: new (class {})() }])",
      "import session from 'express-session'\nsession({ [computed]: 1, get x() { return 1 }, ...null, 'quoted-key': /re[/]/g })",
      "express-session\u0000\u0001(((]]]",
      "`express-session ${'${'}`",
    ];
    for (const text of odd) expect(() => readText('odd.js', text)).not.toThrow();
  });

  test('every prefix of every fixture reads without throwing', () => {
    for (const name of readdirSync(path.join(repoRoot, DIR))) {
      const text = readFileSync(path.join(repoRoot, DIR, name), 'utf8');
      for (let end = 0; end <= text.length; end += 7) expect(() => readText(name, text.slice(0, end))).not.toThrow();
    }
  });
});

describe('rule fixtures', () => {
  test.each(ruleFixtures(/^(express|cookie-session)-/))('%s gives one config, located in it', (file) => {
    expect(readFixture(nodeReader, file).map((config) => config.location.file)).toEqual([file]);
  });
});

describe('evidence lines', () => {
  test('never carry a store password from a URL on the session line', () => {
    const text = [
      "const session = require('express-session');",
      "const RedisStore = require('connect-redis').default;",
      "app.use(session({ store: new RedisStore({ client: createClient({ url: 'redis://app:hunter2@sessions:6379' }) }), secret: process.env.S }));",
    ].join('\n');
    const [config] = nodeReader.read(sourceFromText('app/server.js', text, '/tmp/app/server.js'));
    expect(config.evidence).toContain('redis://app@sessions:6379');
    expect(JSON.stringify(config)).not.toContain('hunter2');
  });
});
