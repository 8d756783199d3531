import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { SessionConfig } from '../../../src/model/index.js';
import { gorillaReader } from '../../../src/parsers/apps/gorilla.js';
import { repoRoot } from '../../support/parse.js';
import { lineOf, readFixture, readFixtureAndText, readText as readTextWith, ruleFixtures, settingsSummary } from './read.js';

const DIR = 'fixtures/parsers/apps/gorilla';
/** gorilla/sessions' default MaxAge, 86400 * 30. */
const DAYS_30 = 2592000;

const fixture = (name: string) => readFixtureAndText(gorillaReader, `${DIR}/${name}`);
const readText = (text: string) => readTextWith(gorillaReader, 'inline.go', text);

// No cookie name here: gorilla sets none, and toEqual passes over the summary's undefined `name`.
const summary = (config: SessionConfig) => ({ frameworkName: config.frameworkName, ...settingsSummary(config) });

describe('gorillaReader.wants', () => {
  test('Go sources, not tests', () => {
    expect(gorillaReader.wants('main.go')).toBe(true);
    expect(gorillaReader.wants('main_test.go')).toBe(false);
    expect(gorillaReader.wants('main.js')).toBe(false);
  });
});

describe('gorilla/sessions', () => {
  test('README: cookie store, key from the environment, gorilla defaults without location', () => {
    const { rel, text, configs } = fixture('readme_env_key.go');
    const line = lineOf(text, 'var store = sessions.NewCookieStore');
    expect(configs).toEqual([
      {
        kind: 'session-config',
        framework: 'gorilla',
        frameworkName: 'gorilla/sessions',
        storage: 'cookie',
        storageDetail: 'sessions.NewCookieStore',
        storeHosts: [],
        location: { file: rel, line, column: 13 },
        evidence: 'var store = sessions.NewCookieStore([]byte(os.Getenv("SESSION_KEY")))',
        appRoot: '.',
        // NewCookieStore sets Path and MaxAge only: Secure and HttpOnly stay false.
        cookie: { secure: { value: false }, httpOnly: { value: false } },
        lifetime: { value: DAYS_30 },
      },
    ]);
  });

  test('literal sample key; a replaced Options struct sets what it names and zeroes the rest', () => {
    const { text, configs } = fixture('literal_key_options.go');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'gorilla/sessions',
        storage: 'cookie',
        storageDetail: 'sessions.NewCookieStore',
        storeHosts: [],
        line: lineOf(text, 'var store = sessions.NewCookieStore'),
        cookie: { secure: [false, undefined], httpOnly: [true, lineOf(text, 'HttpOnly: true')], sameSite: ['lax', lineOf(text, 'SameSite:')] },
        lifetime: [604800, lineOf(text, 'MaxAge:   86400 * 7')],
        secret: ['sample', lineOf(text, 'something-very-secret')],
      },
    ]);
  });

  test('filesystem store under an import alias, keys from constants, Options.Secure set by field', () => {
    const { text, configs } = fixture('filesystem_store.go');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'gorilla/sessions',
        storage: 'file',
        storageDetail: 'sessions.NewFilesystemStore',
        storeHosts: [],
        line: lineOf(text, 'gsessions.NewFilesystemStore'),
        cookie: { secure: [true, lineOf(text, 'store.Options.Secure = true')], httpOnly: [false, undefined], sameSite: undefined },
        lifetime: [DAYS_30, undefined],
        // The path and other string arguments are not keys; the first []byte key is.
        secret: ['literal', lineOf(text, 'authKey = ')],
      },
    ]);
  });

  test('random key filled by crypto/rand is per-node; MaxAge(0) turns the codec age check off', () => {
    const { text, configs } = fixture('random_key_no_expiry.go');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'gorilla/sessions',
        storage: 'cookie',
        storageDetail: 'sessions.NewCookieStore',
        storeHosts: [],
        line: lineOf(text, 'sessions.NewCookieStore(key)'),
        cookie: { secure: [false, undefined], httpOnly: [false, undefined], sameSite: undefined },
        lifetime: [null, lineOf(text, 'store.MaxAge(0)')],
        secret: ['per-node', lineOf(text, 'make([]byte, 32)')],
      },
    ]);
  });
});

describe('redistore', () => {
  test('NewRediStore: host from the address argument; SetMaxAge; password string is not a key', () => {
    const { text, configs } = fixture('redistore.go');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'gorilla/sessions',
        storage: 'redis',
        storageDetail: 'redistore.NewRediStore',
        storeHosts: ['redis'],
        line: lineOf(text, 'redistore.NewRediStore('),
        cookie: { secure: [true, lineOf(text, 'Options.Secure')], httpOnly: [true, lineOf(text, 'Options.HttpOnly')], sameSite: undefined },
        lifetime: [864000, lineOf(text, 'store.SetMaxAge')],
        secret: undefined,
      },
    ]);
  });

  test('NewRediStoreWithPool: host from the pool, GenerateRandomKey is per-node, Options without MaxAge -> 20-minute TTL', () => {
    const { text, configs } = fixture('redistore_pool.go');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'gorilla/sessions',
        storage: 'redis',
        storageDetail: 'redistore.NewRediStoreWithPool',
        storeHosts: ['session-redis'],
        line: lineOf(text, 'NewRediStoreWithPool('),
        cookie: { secure: [true, lineOf(text, 'store.Options = ')], httpOnly: [true, lineOf(text, 'store.Options = ')], sameSite: undefined },
        lifetime: [1200, undefined],
        secret: ['per-node', lineOf(text, 'NewRediStoreWithPool(')],
      },
    ]);
  });

  test('redistore v2 NewStore with options', () => {
    const { text, configs } = fixture('redistore_v2.go');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'gorilla/sessions',
        storage: 'redis',
        storageDetail: 'redistore.NewStore',
        storeHosts: ['cache.internal'],
        line: lineOf(text, 'redistore.NewStore('),
        cookie: { secure: [false, undefined], httpOnly: [false, undefined], sameSite: undefined },
        lifetime: [1200, undefined],
        secret: undefined,
      },
    ]);
  });
});

describe('gin-contrib/sessions', () => {
  test('cookie.NewStore and store.Options(sessions.Options{...})', () => {
    const { text, configs } = fixture('gin_cookie.go');
    const optionsLine = lineOf(text, 'store.Options(');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'gin-contrib/sessions',
        storage: 'cookie',
        storageDetail: 'cookie.NewStore',
        storeHosts: [],
        line: lineOf(text, 'cookie.NewStore('),
        cookie: { secure: [true, optionsLine], httpOnly: [true, optionsLine], sameSite: undefined },
        lifetime: [3600, optionsLine],
        secret: ['sample', lineOf(text, 'cookie.NewStore(')],
      },
    ]);
  });

  test('redis and memstore stores', () => {
    const text = `package main

import (
	"github.com/gin-contrib/sessions/memstore"
	"github.com/gin-contrib/sessions/redis"
)

func stores() {
	a, _ := redis.NewStore(10, "tcp", "sessions.redis.internal:6379", "", []byte("c2VjcmV0LWtleS1mb3ItcHJvZA"))
	b := memstore.NewStore([]byte(key))
}
`;
    expect(readText(text).map((config) => [config.storage, config.storeHosts, config.secret?.source])).toEqual([
      ['redis', ['sessions.redis.internal'], 'literal'],
      ['memory', [], undefined],
    ]);
  });
});

describe('what is not a gorilla session config', () => {
  test('mentions in comments and strings', () => {
    expect(fixture('mentions_only.go').configs).toEqual([]);
  });

  test('a NewCookieStore from another package', () => {
    expect(readText('package x\n\nimport "example.com/sessions"\n\n// gorilla/sessions look-alike\nvar s = sessions.NewCookieStore([]byte("k"))\n')).toEqual([]);
  });

  test('garbled source gives [] and does not throw', () => {
    expect(fixture('garbled.go').configs).toEqual([]);
    for (const text of ['gorilla/sessions', 'import "github.com/gorilla/sessions"\nsessions.NewCookieStore(', 'gorilla/sessions `', 'gorilla/sessions ]]]']) {
      expect(() => readText(text)).not.toThrow();
    }
    for (const name of readdirSync(path.join(repoRoot, DIR))) {
      const text = readFileSync(path.join(repoRoot, DIR, name), 'utf8');
      for (let end = 0; end <= text.length; end += 5) expect(() => readText(text.slice(0, end))).not.toThrow();
    }
  });
});

describe('rule fixtures', () => {
  test.each(ruleFixtures(/^gorilla-/))('%s gives one config, located in it', (file) => {
    expect(readFixture(gorillaReader, file).map((config) => config.location.file)).toEqual([file]);
  });
});
