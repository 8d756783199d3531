import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { SessionConfig } from '../../../src/model/index.js';
import { flaskReader } from '../../../src/parsers/apps/flask.js';
import { repoRoot } from '../../support/parse.js';
import { lineOf, pair, readFixture, readFixtureAndText, readText as readTextWith, ruleFixtures, settingsSummary } from './read.js';

const DIR = 'fixtures/parsers/apps/flask';
/** Flask's PERMANENT_SESSION_LIFETIME default, 31 days. */
const DAYS_31 = 2678400;

const fixture = (name: string) => readFixtureAndText(flaskReader, `${DIR}/${name}`);
const readText = (name: string, text: string) => readTextWith(flaskReader, name, text);

const summary = (config: SessionConfig) => ({ frameworkName: config.frameworkName, ...settingsSummary(config) });

describe('flaskReader.wants', () => {
  test('Python files, not tests', () => {
    for (const name of ['app.py', 'config.py', '__init__.py', 'settings.py']) expect(flaskReader.wants(name)).toBe(true);
    for (const name of ['test_app.py', 'app_test.py', 'conftest.py', 'app.js', 'app.pyc']) expect(flaskReader.wants(name)).toBe(false);
  });
});

describe('Flask', () => {
  test('quickstart: signed-cookie sessions, the docs sample key, defaults without location', () => {
    const { rel, text, configs } = fixture('quickstart_sessions.py');
    expect(configs).toEqual([
      {
        kind: 'session-config',
        framework: 'flask',
        frameworkName: 'Flask',
        storage: 'cookie',
        storageDetail: 'SecureCookieSessionInterface (signed cookie)',
        storeHosts: [],
        location: { file: rel, line: lineOf(text, 'app = Flask(__name__)'), column: 1 },
        evidence: 'app = Flask(__name__)',
        appRoot: '.',
        cookie: { name: 'session', secure: { value: false }, httpOnly: { value: true } },
        lifetime: { value: DAYS_31 },
        secret: {
          source: 'sample',
          what: 'Flask SECRET_KEY (signs the session cookie)',
          location: { file: rel, line: lineOf(text, 'app.secret_key ='), column: 18 },
          evidence: `app.secret_key = b'_5#y2L"F4Q8z\\n\\xec]/'`,
        },
      },
    ]);
  });

  test('Flask-Session README: module globals, redis host from SESSION_REDIS, timedelta lifetime', () => {
    const { text, configs } = fixture('session_redis.py');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'Flask-Session',
        storage: 'redis',
        storageDetail: 'SESSION_TYPE=redis',
        storeHosts: ['sessions-redis'],
        line: lineOf(text, "SESSION_TYPE = 'redis'"),
        cookie: {
          name: 'session',
          secure: [true, lineOf(text, 'SESSION_COOKIE_SECURE = True')],
          httpOnly: [true, undefined],
          sameSite: ['lax', lineOf(text, 'SESSION_COOKIE_SAMESITE')],
        },
        lifetime: [43200, lineOf(text, 'PERMANENT_SESSION_LIFETIME')],
        // os.environ['SECRET_KEY']: nothing to report.
        secret: undefined,
      },
    ]);
  });

  test('app.config["SESSION_TYPE"] = "filesystem": file storage at that line', () => {
    const { text, configs } = fixture('session_filesystem.py');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'Flask-Session',
        storage: 'file',
        storageDetail: 'SESSION_TYPE=filesystem',
        storeHosts: [],
        line: lineOf(text, 'app.config["SESSION_TYPE"]'),
        cookie: { name: 'session', secure: [false, undefined], httpOnly: [true, undefined], sameSite: undefined },
        lifetime: [DAYS_31, undefined],
        secret: undefined,
      },
    ]);
  });

  test('config classes: the production leaf, with the base class settings it inherits', () => {
    const { text, configs } = fixture('config.py');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'Flask-Session',
        storage: 'redis',
        storageDetail: 'SESSION_TYPE=redis (ProductionConfig)',
        storeHosts: ['redis'],
        line: lineOf(text, "SESSION_TYPE = 'redis'"),
        cookie: {
          name: 'session',
          secure: [true, lineOf(text, 'SESSION_COOKIE_SECURE = True')],
          httpOnly: [true, lineOf(text, 'SESSION_COOKIE_HTTPONLY = True')],
          sameSite: ['lax', lineOf(text, "SESSION_COOKIE_SAMESITE = 'Lax'")],
        },
        lifetime: [604800, lineOf(text, 'timedelta(days=7)')],
        secret: ['sample', lineOf(text, "or 'hard to guess string'")],
      },
    ]);
    expect(configs[0].secret?.what).toContain('fallback when SECRET_KEY is unset');
  });

  test('the tutorial factory loads config from a file: unset settings are unknown, not defaults', () => {
    const { text, configs } = fixture('flaskr_init.py');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'Flask',
        storage: 'unknown',
        storageDetail: 'config loaded from elsewhere',
        storeHosts: [],
        line: lineOf(text, 'app = Flask(__name__'),
        cookie: { name: undefined, secure: undefined, httpOnly: undefined, sameSite: undefined },
        lifetime: undefined,
        secret: ['sample', lineOf(text, "SECRET_KEY='dev'")],
      },
    ]);
  });

  test('cachelib with a FileSystemCache is file; PERMANENT_SESSION_LIFETIME in seconds', () => {
    const { text, configs } = fixture('cachelib_store.py');
    expect(configs.map((config) => [config.storage, config.storageDetail, pair(config.lifetime)])).toEqual([
      ['file', 'SESSION_TYPE=cachelib (FileSystemCache)', [3600, lineOf(text, 'PERMANENT_SESSION_LIFETIME=3600')]],
    ]);
  });

  test('config.update with a dict, memcached hosts, HTTPONLY off, os.urandom secret is per-node', () => {
    const { text, configs } = fixture('memcached_store.py');
    expect(configs.map(summary)).toEqual([
      {
        frameworkName: 'Flask-Session',
        storage: 'memcached',
        storageDetail: 'SESSION_TYPE=memcached',
        storeHosts: ['memcached-a', 'memcached-b'],
        line: lineOf(text, "'SESSION_TYPE': 'memcached'"),
        cookie: { name: 'session', secure: [false, undefined], httpOnly: [false, lineOf(text, 'SESSION_COOKIE_HTTPONLY')], sameSite: undefined },
        lifetime: [DAYS_31, undefined],
        secret: ['per-node', lineOf(text, 'os.urandom(24)')],
      },
    ]);
  });

  test('a commented-out SESSION_TYPE and one in a string do not count', () => {
    const { configs } = fixture('commented.py');
    expect(configs.map((config) => [config.storage, config.frameworkName, config.secret])).toEqual([['cookie', 'Flask', undefined]]);
  });

  test('SESSION_TYPE values and cachelib backends', () => {
    const cases: Array<[string, string, string[]]> = [
      ["SESSION_TYPE = 'mongodb'\nSESSION_MONGODB = MongoClient('mongodb://mongo:27017')", 'database', ['mongo']],
      ["SESSION_TYPE = 'sqlalchemy'\nSQLALCHEMY_DATABASE_URI = 'postgresql://app:pw@pg.internal/app'", 'database', ['pg.internal']],
      ["SESSION_TYPE = 'cachelib'\nSESSION_CACHELIB = SimpleCache()", 'memory', []],
      ["SESSION_TYPE = 'cachelib'", 'file', []],
      ["SESSION_TYPE = 'redis'\nSESSION_REDIS = Redis(host='redis-sessions', port=6379)", 'redis', ['redis-sessions']],
      ["SESSION_TYPE = 'redis'\nSESSION_REDIS = redis.from_url(os.environ['REDIS_URL'])", 'redis', []],
      ["SESSION_TYPE = 'memcached'\nSESSION_MEMCACHED = pymemcache.Client(('memcache', 11211))", 'memcached', ['memcache']],
      ["SESSION_TYPE = os.environ.get('SESSION_TYPE', 'filesystem')", 'unknown', []],
    ];
    for (const [text, storage, hosts] of cases) {
      const configs = readText('settings.py', `from flask import Flask\n${text}\n`);
      expect([text, configs.map((config) => [config.storage, config.storeHosts])]).toEqual([text, [[storage, hosts]]]);
    }
  });

  test('secret forms', () => {
    const cases: Array<[string, string | undefined]> = [
      ["app.config['SECRET_KEY'] = 'a8f3c1e0b7d94e2f'", 'literal'],
      ["app.config['SECRET_KEY'] = os.environ.get('SECRET_KEY', 'dev')", 'sample'],
      ["app.config['SECRET_KEY'] = os.getenv('SECRET_KEY')", undefined],
      ["app.config['SECRET_KEY'] = secrets.token_hex(32)", 'per-node'],
      ["app.config['SECRET_KEY'] = uuid.uuid4().hex", 'per-node'],
      ["app.config['SECRET_KEY'] = str(uuid4())", 'per-node'],
      ["app.config['SECRET_KEY'] = f'{PREFIX}-key'", undefined],
      ["KEY = 'changeme'\napp.config.update(SECRET_KEY=KEY)", 'sample'],
    ];
    for (const [line, source] of cases) {
      const [config] = readText('app.py', `from flask import Flask\napp = Flask(__name__)\n${line}\n`);
      expect([line, config?.secret?.source]).toEqual([line, source]);
    }
  });

  test('PERMANENT_SESSION_LIFETIME forms', () => {
    const cases: Array<[string, number | undefined]> = [
      ['timedelta(minutes=30)', 1800],
      ['datetime.timedelta(1, 30)', 86430],
      ['timedelta(weeks=1, hours=12)', 648000],
      ['60 * 60 * 8', 28800],
      ["int(os.environ.get('LIFETIME', 3600))", undefined],
    ];
    for (const [value, seconds] of cases) {
      const [config] = readText('app.py', `from flask import Flask\napp = Flask(__name__)\napp.permanent_session_lifetime = ${value}\n`);
      expect([value, config.lifetime?.value]).toEqual([value, seconds]);
    }
  });
});

describe('what is not a Flask session config', () => {
  test('Django settings are left to the Django reader', () => {
    expect(fixture('django_settings.py').configs).toEqual([]);
  });

  test('a Python file with no Flask in it', () => {
    expect(readText('main.py', "from fastapi import FastAPI\nSECRET_KEY = 'keyboard cat'\napp = FastAPI()\n")).toEqual([]);
    expect(readText('util.py', "SECRET_KEY = 'keyboard cat'\n")).toEqual([]);
  });

  test('garbled source gives [] and does not throw', () => {
    expect(fixture('garbled.py').configs).toEqual([]);
    for (const text of ["from flask import Flask\napp.config['", 'Flask(((', "SESSION_TYPE = '''", 'flask\u0000\\\n)']) {
      expect(() => readText('odd.py', text)).not.toThrow();
    }
    for (const name of readdirSync(path.join(repoRoot, DIR))) {
      const text = readFileSync(path.join(repoRoot, DIR, name), 'utf8');
      for (let end = 0; end <= text.length; end += 5) expect(() => readText(name, text.slice(0, end))).not.toThrow();
    }
  });
});

describe('flaskReader.fromEnv', () => {
  const location = { file: 'docker-compose.yml', line: 12, column: 9 };

  test('SESSION_TYPE (or FLASK_SESSION_TYPE, from_prefixed_env) in the environment', () => {
    expect(flaskReader.fromEnv?.([{ name: 'SESSION_TYPE', value: 'filesystem', location }], 'web')).toEqual([
      {
        kind: 'session-config',
        framework: 'flask',
        frameworkName: 'Flask-Session',
        storage: 'file',
        storageDetail: 'SESSION_TYPE=filesystem',
        storeHosts: [],
        location,
        evidence: 'SESSION_TYPE=filesystem',
        appRoot: 'web',
        cookie: {},
      },
    ]);
    expect(flaskReader.fromEnv?.([{ name: 'FLASK_SESSION_TYPE', value: 'Redis', location }], 'web').map((config) => config.storage)).toEqual(['redis']);
  });

  test('no SESSION_TYPE, no config', () => {
    expect(flaskReader.fromEnv?.([{ name: 'SECRET_KEY', value: 'x', location }], 'web')).toEqual([]);
  });
});

describe('rule fixtures', () => {
  test.each(ruleFixtures(/^flask-/))('%s gives one config, located in it', (file) => {
    expect(readFixture(flaskReader, file).map((config) => config.location.file)).toEqual([file]);
  });
});
