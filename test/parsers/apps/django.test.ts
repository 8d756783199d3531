import { describe, expect, it } from 'vitest';
import { djangoReader } from '../../../src/parsers/apps/django.js';
import { readFixture, readText, ruleFixtures } from './read.js';

const dir = 'fixtures/parsers/apps/django';
const at = (file: string, line: number, column = 1) => ({ file: `${dir}/${file}`, line, column });
const settings = (body: string) => readText(djangoReader, 'settings.py', `INSTALLED_APPS = ["django.contrib.sessions"]\n${body}\n`);

describe('django reader', () => {
  it('wants Python files', () => {
    expect(djangoReader.wants('settings.py')).toBe(true);
    expect(djangoReader.wants('production.py')).toBe(true);
    expect(djangoReader.wants('settings.pyc')).toBe(false);
  });

  it('reads a startproject settings module: cache sessions in Redis, cookie flags, age arithmetic, the insecure key', () => {
    expect(readFixture(djangoReader, `${dir}/shop/settings.py`)).toEqual([
      {
        kind: 'session-config',
        framework: 'django',
        frameworkName: 'Django',
        storage: 'redis',
        storageDetail: "SESSION_ENGINE cache: CACHES['default'] RedisCache (redis://redis:6379/1): Redis",
        storeHosts: ['redis'],
        location: at('shop/settings.py', 50),
        evidence: 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
        appRoot: dir,
        cookie: {
          name: 'sessionid',
          // The indented `SESSION_COOKIE_SECURE = False` under `if DEBUG:` is conditional: not taken.
          secure: { value: true, location: at('shop/settings.py', 52), evidence: 'SESSION_COOKIE_SECURE = True' },
          // `# SESSION_COOKIE_HTTPONLY = False` is a comment: Django's default True.
          httpOnly: { value: true },
          sameSite: { value: 'Strict', location: at('shop/settings.py', 54), evidence: 'SESSION_COOKIE_SAMESITE = "Strict"' },
        },
        lifetime: { value: 604800, location: at('shop/settings.py', 51), evidence: 'SESSION_COOKIE_AGE = 60 * 60 * 24 * 7  # one week' },
        secret: {
          source: 'sample',
          what: 'Django SECRET_KEY (signs sessions)',
          location: at('shop/settings.py', 13),
          evidence: "SECRET_KEY = 'django-insecure-***'",
        },
      },
    ]);
    expect(JSON.stringify(readFixture(djangoReader, `${dir}/shop/settings.py`))).not.toMatch(/hunter2|7x\$k2m/);
  });

  it('follows `from .base import *`: inherited CACHES and names, overridden SECRET_KEY', () => {
    const [config] = readFixture(djangoReader, `${dir}/config/settings/production.py`);
    expect(config.storage).toBe('database');
    expect(config.storageDetail).toBe(
      "SESSION_ENGINE cached_db (the database, read through CACHES['default'] PyMemcacheCache (cache-1.internal:11211, cache-2.internal:11211): Memcached)",
    );
    expect(config.storeHosts).toEqual(['cache-1.internal', 'cache-2.internal']);
    expect(config.location).toEqual(at('config/settings/production.py', 7));
    // TWO_HOURS comes from base.py.
    expect(config.lifetime).toEqual({ value: 7200, location: at('config/settings/production.py', 8), evidence: 'SESSION_COOKIE_AGE = TWO_HOURS' });
    expect(config.cookie.httpOnly).toEqual({ value: true, location: at('config/settings/production.py', 10), evidence: 'SESSION_COOKIE_HTTPONLY = True' });
    // os.environ["DJANGO_SECRET_KEY"] replaces base.py's literal fallback.
    expect(config.secret).toBeUndefined();
  });

  it('reads the base module on its own: default-less db engine and a sample fallback key', () => {
    const [config] = readFixture(djangoReader, `${dir}/config/settings/base.py`);
    expect(config.storage).toBe('database');
    expect(config.cookie.secure).toEqual({ value: false });
    expect(config.lifetime).toEqual({ value: 1209600 });
    expect(config.secret).toEqual({
      source: 'sample',
      what: 'Django SECRET_KEY (signs sessions), its fallback when DJANGO_SECRET_KEY is unset',
      location: at('config/settings/base.py', 13),
      evidence: 'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "change-me")',
    });
  });

  it('says so when SESSION_ENGINE comes from the environment, and leaves out what it cannot know', () => {
    const [config] = readFixture(djangoReader, `${dir}/env_engine/settings.py`);
    expect(config.storage).toBe('unknown');
    expect(config.storageDetail).toBe('SESSION_ENGINE comes from the environment (SESSION_ENGINE, default django.contrib.sessions.backends.db)');
    expect(config.location).toEqual(at('env_engine/settings.py', 5));
    // `os.environ.get(...) == "1"` is computed: no secure value, not the default.
    expect(config.cookie.secure).toBeUndefined();
    expect(config.secret).toBeUndefined();
  });

  it('finds a per-process key and the default LocMemCache when CACHES is not set', () => {
    const [config] = readFixture(djangoReader, `${dir}/random_key/settings.py`);
    expect(config.storage).toBe('memory');
    expect(config.storageDetail).toBe("SESSION_ENGINE cache: CACHES not set, so Django's default LocMemCache: the memory of each process");
    expect(config.secret).toEqual({
      source: 'per-node',
      what: 'Django SECRET_KEY (signs sessions): get_random_secret_key() makes a new one in each process',
      location: at('random_key/settings.py', 3),
      evidence: 'SECRET_KEY = get_random_secret_key()',
    });
    // A conditional expression is not evaluated.
    expect(config.lifetime).toBeUndefined();
  });

  it('ignores Python files that are not settings modules', () => {
    expect(readFixture(djangoReader, `${dir}/not_settings.py`)).toEqual([]);
    expect(readFixture(djangoReader, `${dir}/manage.py`)).toEqual([]);
    expect(readText(djangoReader, 'views.py', 'from .models import *\n\n\ndef index(request):\n    return None\n')).toEqual([]);
  });

  it('uses Django defaults in a module that sets no session setting', () => {
    const [config] = settings('DEBUG = False');
    expect(config).toMatchObject({
      storage: 'database',
      storageDetail: 'SESSION_ENGINE not set: Django default db (the django_session table)',
      location: { file: 'settings.py', line: 1, column: 1 },
      cookie: { name: 'sessionid', secure: { value: false }, httpOnly: { value: true }, sameSite: { value: 'Lax' } },
      lifetime: { value: 1209600 },
    });
  });

  it('maps engines and cache backends', () => {
    const storage = (body: string) => {
      const [config] = settings(body);
      return [config.storage, config.storageDetail];
    };
    expect(storage('SESSION_ENGINE = "django.contrib.sessions.backends.file"\nSESSION_FILE_PATH = "/srv/sessions"')).toEqual([
      'file',
      'SESSION_ENGINE file: files in /srv/sessions on each node',
    ]);
    expect(storage('SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"')[0]).toBe('cookie');
    expect(storage('SESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}')).toEqual([
      'memory',
      "SESSION_ENGINE cache: CACHES['default'] DummyCache: stores nothing, so every session is lost at once",
    ]);
    expect(storage('SESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/var/tmp/django_cache"}}')[0]).toBe('file');
    expect(storage('SESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_table"}}')[0]).toBe('database');
    expect(storage('SESSION_ENGINE = "user_sessions.backends.db"')).toEqual(['unknown', 'SESSION_ENGINE user_sessions.backends.db (a third-party engine)']);
  });

  it('decodes string escapes as Python does: \\x41 is A, an unknown \\s keeps its backslash', () => {
    const [config] = settings('SESSION_ENGINE = "django.contrib.sessions.backends.file"\n' + String.raw`SESSION_FILE_PATH = "D:\sessions\x41"`);
    expect(config.storageDetail).toBe(String.raw`SESSION_ENGINE file: files in D:\sessionsA on each node`);
  });

  it('uses SESSION_CACHE_ALIAS and django-redis LOCATION lists', () => {
    const [config] = settings(
      [
        'SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
        'SESSION_CACHE_ALIAS = "sessions"',
        'CACHES = {',
        '    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},',
        '    "sessions": {',
        '        "BACKEND": "django_redis.cache.RedisCache",',
        '        "LOCATION": ["redis://sessions-1:6379/0", "redis://sessions-2:6379/0"],',
        '    },',
        '}',
      ].join('\n'),
    );
    expect(config.storage).toBe('redis');
    expect(config.storeHosts).toEqual(['sessions-1', 'sessions-2']);
  });

  it('classifies SECRET_KEY values', () => {
    const secret = (line: string) => settings(line)[0].secret;
    expect(secret("SECRET_KEY = 'q8#t0v!x2z$w4y&u6s*r1p^o3n'")).toMatchObject({ source: 'literal', evidence: "SECRET_KEY = '***'" });
    expect(secret('SECRET_KEY = env("SECRET_KEY", default=get_random_secret_key())')).toMatchObject({ source: 'per-node' });
    expect(secret('SECRET_KEY = os.getenv("SECRET_KEY") or "dev"')).toMatchObject({ source: 'sample' });
    expect(secret('SECRET_KEY = config("SECRET_KEY")')).toBeUndefined();
    expect(secret('SECRET_KEY = ""')).toBeUndefined();
  });

  it('reads timedelta and int() ages, and gives up quietly on code it cannot follow', () => {
    expect(settings('from datetime import timedelta\nSESSION_COOKIE_AGE = int(timedelta(hours=8).total_seconds())')[0].lifetime?.value).toBe(28800);
    expect(settings('SESSION_COOKIE_AGE = compute_age()')[0].lifetime).toBeUndefined();
    expect(() => settings('SESSION_ENGINE = "django.contrib.sessions.backends.cache\nCACHES = {')).not.toThrow();
    expect(() => settings('CACHES = {"default": {**BASE, "BACKEND": [x for x in y]}}\nSESSION_ENGINE = (')).not.toThrow();
  });
});

describe('django reader: rule fixtures', () => {
  it.each(ruleFixtures(/^django-/))('%s gives one config, located in it', (file) => {
    expect(readFixture(djangoReader, file).map((config) => config.location.file)).toEqual([file]);
  });
});
