import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import { laravelReader } from '../../../src/parsers/apps/laravel.js';
import { parseErrorOf, readFixture, readText, ruleFixtures } from './read.js';

const dir = 'fixtures/parsers/apps/laravel';
const at = (file: string, line: number, column = 1) => ({ file: `${dir}/${file}`, line, column });

describe('laravel reader', () => {
  it('wants env files and config/session.php', () => {
    for (const name of ['.env', '.env.example', '.env.production', 'production.env', 'session.php']) expect(laravelReader.wants(name), name).toBe(true);
    for (const name of ['env.ts', 'environment.yml', 'sessions.php', '.envrc']) expect(laravelReader.wants(name), name).toBe(false);
  });

  it('reads a committed .env: driver, store host, lifetime, cookie and the APP_KEY literal', () => {
    expect(readFixture(laravelReader, `${dir}/.env`)).toEqual([
      {
        kind: 'session-config',
        framework: 'laravel',
        frameworkName: 'Laravel',
        storage: 'redis',
        storageDetail: 'SESSION_DRIVER=redis: Redis at redis',
        storeHosts: ['redis'],
        // `# SESSION_DRIVER=file` on line 10 is a comment.
        location: at('.env', 11),
        evidence: 'SESSION_DRIVER=redis',
        appRoot: dir,
        cookie: {
          name: 'acme_shop_session',
          secure: { value: true, location: at('.env', 14), evidence: 'SESSION_SECURE_COOKIE=true' },
          httpOnly: { value: true },
          sameSite: { value: 'lax' },
        },
        lifetime: { value: 3600, location: at('.env', 12), evidence: 'SESSION_LIFETIME=60' },
        secret: {
          source: 'literal',
          what: 'Laravel APP_KEY (encrypts the session cookie and every other cookie)',
          location: at('.env', 3),
          evidence: 'APP_KEY=base64:***',
        },
      },
    ]);
  });

  it('never copies the APP_KEY or a Redis password into what it returns', () => {
    const text = JSON.stringify(readFixture(laravelReader, `${dir}/.env`));
    expect(text).not.toContain('Zm9vYmFy');
    expect(text).not.toContain('p@ss');
  });

  it('reads .env.example as the template it is: its (empty) APP_KEY is no secret', () => {
    const [config] = readFixture(laravelReader, `${dir}/.env.example`);
    expect(config.storage).toBe('file');
    expect(config.storageDetail).toBe('SESSION_DRIVER=file: files in storage/framework/sessions on each node');
    expect(config.cookie).toEqual({ name: 'laravel_session', secure: { value: false }, httpOnly: { value: true }, sameSite: { value: 'lax' } });
    expect(config.lifetime).toEqual({ value: 7200, location: at('.env.example', 12), evidence: 'SESSION_LIFETIME=120' });
    expect(config.secret).toBeUndefined();
    // A real key in a template is still not this app's key.
    expect(readText(laravelReader, '.env.example', 'SESSION_DRIVER=file\nAPP_KEY=base64:abc\n')[0].secret).toBeUndefined();
  });

  it('reads `export` lines, quotes, and env values the way Laravel turns them into cookie flags', () => {
    const [config] = readFixture(laravelReader, `${dir}/production.env`);
    expect(config.storage).toBe('memcached');
    expect(config.storeHosts).toEqual(['memcached.internal']);
    expect(config.evidence).toBe('export SESSION_DRIVER=memcached');
    expect(config.cookie).toEqual({
      name: 'acme_shop_admin_session',
      // "off" is a non-empty string, and PHP takes every non-empty string but "0" as true.
      secure: { value: true, location: at('production.env', 7), evidence: 'export SESSION_SECURE_COOKIE=off' },
      httpOnly: { value: false, location: at('production.env', 5), evidence: 'export SESSION_HTTP_ONLY=false' },
      sameSite: { value: 'strict', location: at('production.env', 6), evidence: 'export SESSION_SAME_SITE=strict' },
    });
    expect(config.lifetime).toEqual({ value: 7200 });
    expect(config.secret?.evidence).toBe('export APP_KEY="base64:***"');
  });

  it('turns SESSION_SECURE_COOKIE values into booleans as env() and PHP do', () => {
    const secure = (value: string) => readText(laravelReader, '.env', `SESSION_DRIVER=redis\nSESSION_SECURE_COOKIE=${value}\n`)[0].cookie.secure?.value;
    expect(['true', '(true)', '1', 'yes', 'false', '(false)', '0', 'null', '(null)', '', 'empty'].map(secure)).toEqual([
      true, true, true, true, false, false, false, false, false, false, false,
    ]);
  });

  it('gives nothing for an env file without Laravel session keys (SESSION_SECRET is not one)', () => {
    expect(readFixture(laravelReader, `${dir}/tools.env`)).toEqual([]);
    // AdonisJS also has an APP_KEY, but not Laravel's base64: form.
    expect(readText(laravelReader, '.env', 'APP_KEY=u7e3Zk9dQ2pLx8\nHOST=0.0.0.0\n')).toEqual([]);
    // A broken line in somebody else's env file is not ours to report.
    expect(readText(laravelReader, '.env', 'NODE_ENV=production\nGREETING="hello\n')).toEqual([]);
  });

  it('throws ParseError for a broken line in a Laravel env file (phpdotenv would refuse it)', () => {
    const error = parseErrorOf(laravelReader, `${dir}/broken.env`);
    expect(error).toBeInstanceOf(ParseError);
    expect([error.file, error.line]).toEqual([`${dir}/broken.env`, 2]);
    expect(() => readText(laravelReader, '.env', 'SESSION_DRIVER=file\nthis is not an assignment\n')).toThrow(ParseError);
  });

  it('leaves storage unknown when the env file does not set SESSION_DRIVER', () => {
    const [config] = readText(laravelReader, '.env', 'APP_NAME=Shop\nSESSION_LIFETIME=30\n');
    expect(config.storage).toBe('unknown');
    expect(config.storageDetail).toBe('SESSION_DRIVER not set here: config/session.php decides (file up to Laravel 10, database from Laravel 11)');
    expect(config.location).toEqual({ file: '.env', line: 2, column: 1 });
    expect(config.lifetime?.value).toBe(1800);
  });

  it('reports an APP_KEY alone, pointing at its line without showing it', () => {
    const [config] = readText(laravelReader, '.env', 'APP_ENV=production\nAPP_KEY=base64:c2VjcmV0c2VjcmV0\n');
    expect(config.evidence).toBe('APP_KEY=base64:***');
    expect(config.secret).toMatchObject({ source: 'literal', location: { line: 2 }, evidence: 'APP_KEY=base64:***' });
    const [sample] = readText(laravelReader, '.env', 'SESSION_DRIVER=cookie\nAPP_KEY=SomeRandomString\n');
    expect(sample.secret).toMatchObject({ source: 'sample', evidence: 'APP_KEY=SomeRandomString' });
    expect(readText(laravelReader, '.env', 'SESSION_DRIVER=cookie\nAPP_KEY=${LARAVEL_KEY}\n')[0].secret).toBeUndefined();
  });

  it('maps every driver Laravel ships', () => {
    const storage = (driver: string) => readText(laravelReader, '.env', `SESSION_DRIVER=${driver}\n`)[0].storage;
    expect(['file', 'cookie', 'database', 'redis', 'memcached', 'array', 'apc', 'dynamodb', 'mongodb'].map(storage)).toEqual([
      'file', 'cookie', 'database', 'redis', 'memcached', 'memory', 'memory', 'shared', 'unknown',
    ]);
    const [viaUrl] = readText(laravelReader, '.env', 'SESSION_DRIVER=redis\nREDIS_URL=redis://default:pw@sessions.internal:6379/0\n');
    expect(viaUrl.storeHosts).toEqual(['sessions.internal']);
  });

  it('keeps the server lifetime when sessions also expire on browser close', () => {
    const [config] = readText(laravelReader, '.env', 'SESSION_DRIVER=database\nSESSION_LIFETIME=120\nSESSION_EXPIRE_ON_CLOSE=true\n');
    expect(config.lifetime?.value).toBe(7200);
  });

  it('reads config/session.php: the Laravel 11 default driver is database', () => {
    const [config] = readFixture(laravelReader, `${dir}/config/session.php`);
    expect(config.storage).toBe('database');
    expect(config.storageDetail).toBe('config/session.php driver database unless SESSION_DRIVER is set: the sessions table');
    expect(config.location).toEqual(at('config/session.php', 17, 5));
    expect(config.evidence).toBe("'driver' => env('SESSION_DRIVER', 'database'),");
    expect(config.cookie).toEqual({
      secure: { value: false, location: at('config/session.php', 44, 5), evidence: "'secure' => env('SESSION_SECURE_COOKIE')," },
      httpOnly: { value: true, location: at('config/session.php', 46, 5), evidence: "'http_only' => env('SESSION_HTTP_ONLY', true)," },
      sameSite: { value: 'lax', location: at('config/session.php', 48, 5), evidence: "'same_site' => env('SESSION_SAME_SITE', 'lax')," },
    });
    expect(config.lifetime).toEqual({ value: 7200, location: at('config/session.php', 19, 5), evidence: "'lifetime' => (int) env('SESSION_LIFETIME', 120)," });
    expect(config.appRoot).toBe(dir);
  });

  it('reads config/session.php: up to Laravel 10 the default driver is file, and literals are fixed', () => {
    const [config] = readFixture(laravelReader, `${dir}/legacy/config/session.php`);
    expect(config.storage).toBe('file');
    expect(config.cookie.name).toBe('legacy_session');
    expect(config.cookie.secure).toEqual({ value: true, location: at('legacy/config/session.php', 32, 5), evidence: "'secure' => true," });
    // composer.json is one folder up: the app root is the project, not config/.
    expect(config.appRoot).toBe(dir);
  });

  it('gives nothing for a session.php that is not Laravel config', () => {
    expect(readText(laravelReader, 'session.php', '<?php\nsession_start();\n$_SESSION["n"] = 1;\n')).toEqual([]);
  });

  it('reads a deployment environment (fromEnv)', () => {
    const location = { file: 'deploy/docker-compose.yml', line: 12, column: 7 };
    const configs = laravelReader.fromEnv!(
      [
        { name: 'SESSION_DRIVER', value: 'file', location },
        { name: 'APP_KEY', value: 'base64:ZGVwbG95a2V5', location: { ...location, line: 13 } },
      ],
      'app',
    );
    expect(configs).toHaveLength(1);
    expect(configs[0]).toMatchObject({ storage: 'file', location, evidence: 'SESSION_DRIVER=file', appRoot: 'app' });
    expect(configs[0].secret).toEqual({
      source: 'literal',
      what: 'Laravel APP_KEY (encrypts the session cookie and every other cookie)',
      location: { ...location, line: 13 },
      evidence: 'APP_KEY=base64:***',
    });
    expect(laravelReader.fromEnv!([{ name: 'NODE_ENV', value: 'production', location }], 'app')).toEqual([]);
  });
});

describe('laravel reader: rule fixtures', () => {
  it.each(ruleFixtures(/^laravel-/))('%s gives one config, located in it', (file) => {
    expect(readFixture(laravelReader, file).map((config) => config.location.file)).toEqual([file]);
  });
});
