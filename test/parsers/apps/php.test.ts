import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import { phpReader } from '../../../src/parsers/apps/php.js';
import { parseErrorOf, readFixture, readText, ruleFixtures } from './read.js';

const dir = 'fixtures/parsers/apps/php';
const at = (file: string, line: number, column = 1) => ({ file: `${dir}/${file}`, line, column });

describe('php reader', () => {
  it('wants php.ini, conf.d and .user.ini files and FPM pool files', () => {
    for (const name of ['php.ini', '.user.ini', '20-redis-session.ini', 'www.conf']) expect(phpReader.wants(name), name).toBe(true);
    for (const name of ['settings.py', '.env', 'php.ini.bak']) expect(phpReader.wants(name), name).toBe(false);
  });

  it('reads php.ini-production style settings, with PHP defaults where a line is commented out', () => {
    expect(readFixture(phpReader, `${dir}/php.ini`)).toEqual([
      {
        kind: 'session-config',
        framework: 'php',
        frameworkName: 'PHP sessions',
        storage: 'file',
        storageDetail: 'session.save_handler = files in /var/lib/php/sessions',
        storeHosts: [],
        location: at('php.ini', 10),
        evidence: 'session.save_handler = files',
        appRoot: '.',
        cookie: {
          name: 'PHPSESSID',
          // ;session.cookie_secure = is a comment: PHP's default "0" applies, with no line to point at.
          secure: { value: false },
          // `session.cookie_httponly =` sets it to the empty string: off.
          httpOnly: { value: false, location: at('php.ini', 24), evidence: 'session.cookie_httponly =' },
          // `session.cookie_samesite = None` unquoted is the empty string: no SameSite attribute.
        },
        lifetime: { value: 1440, location: at('php.ini', 30), evidence: 'session.gc_maxlifetime = 1440' },
      },
    ]);
  });

  it('reads a phpredis handler: hosts from save_path, never its auth password', () => {
    const [config] = readFixture(phpReader, `${dir}/conf.d/20-redis-session.ini`);
    expect(config.storage).toBe('redis');
    expect(config.storeHosts).toEqual(['redis', 'redis-replica']);
    expect(config.storageDetail).toBe('session.save_handler = redis (phpredis) at redis, redis-replica');
    expect(config.location).toEqual(at('conf.d/20-redis-session.ini', 4));
    expect(config.cookie).toEqual({
      name: 'SHOPSESSID',
      secure: { value: true, location: at('conf.d/20-redis-session.ini', 7), evidence: 'session.cookie_secure = On' },
      httpOnly: { value: true, location: at('conf.d/20-redis-session.ini', 8), evidence: 'session.cookie_httponly = 1' },
      sameSite: { value: 'Strict', location: at('conf.d/20-redis-session.ini', 9), evidence: 'session.cookie_samesite = "Strict"' },
    });
    expect(config.lifetime?.value).toBe(3600);
    expect(JSON.stringify(config)).not.toContain('s3cr3t');
  });

  it('reads PHP-FPM pool directives (php_admin_value[...], php_flag[...]) and skips commented ones', () => {
    const [config] = readFixture(phpReader, `${dir}/pool.d/www.conf`);
    expect(config.storage).toBe('memcached');
    expect(config.storeHosts).toEqual(['sessions-1', 'sessions-2']);
    expect(config.evidence).toBe('php_admin_value[session.save_handler] = memcached');
    expect(config.cookie.secure).toEqual({ value: true, location: at('pool.d/www.conf', 15), evidence: 'php_flag[session.cookie_secure] = on' });
    expect(config.cookie.httpOnly).toEqual({ value: false });
    // ;php_admin_value[session.gc_maxlifetime] = 60 is a comment: the default stays.
    expect(config.lifetime).toEqual({ value: 1440 });
  });

  it('gives nothing for a file whose session lines are all commented out', () => {
    expect(readFixture(phpReader, `${dir}/commented.ini`)).toEqual([]);
  });

  it('gives nothing for a .conf that is not an FPM pool, even when it is not INI at all', () => {
    expect(readText(phpReader, 'nginx.conf', 'server {\n  listen 80;\n  # session.cookie_secure is set by PHP\n}\n')).toEqual([]);
  });

  it('says sessions never expire when the files handler is never garbage-collected', () => {
    const [subdirs] = readFixture(phpReader, `${dir}/gc-subdirs.ini`);
    expect(subdirs.lifetime).toEqual({ value: null, location: at('gc-subdirs.ini', 4), evidence: 'session.save_path = "2;/var/lib/php/sessions"' });
    expect(subdirs.storageDetail).toContain('never garbage-collects');

    const [noGc] = readText(phpReader, 'php.ini', 'session.save_handler = files\nsession.gc_probability = 0\nsession.gc_maxlifetime = 600\n');
    expect(noGc.lifetime).toEqual({ value: null, location: { file: 'php.ini', line: 2, column: 1 }, evidence: 'session.gc_probability = 0' });

    // Redis keys carry a TTL whatever the collector does.
    const [redis] = readText(phpReader, 'php.ini', 'session.save_handler = redis\nsession.gc_probability = 0\nsession.gc_maxlifetime = 600\n');
    expect(redis.lifetime?.value).toBe(600);
  });

  it('does not take gc_maxlifetime = 0 for "never"', () => {
    // files: every session is garbage at the next collection.
    expect(readText(phpReader, 'php.ini', 'session.gc_maxlifetime = 0\n')[0].lifetime?.value).toBe(0);
    // phpredis reads a value <= 0 as 1440 (redis_session.c).
    expect(readText(phpReader, 'php.ini', 'session.save_handler = redis\nsession.gc_maxlifetime = 0\n')[0].lifetime?.value).toBe(1440);
  });

  it('defaults save_handler to files when a file only sets cookie flags', () => {
    const [config] = readText(phpReader, '.user.ini', '; per-folder overrides\nsession.cookie_secure = 1 ; https only\n');
    expect(config.storage).toBe('file');
    expect(config.storageDetail).toBe('session.save_handler not set: PHP default files in the system temp folder');
    expect(config.location).toEqual({ file: '.user.ini', line: 2, column: 1 });
    expect(config.cookie.secure?.value).toBe(true);
  });

  it('reads INI constants and quoting as PHP does', () => {
    const read = (line: string) => readText(phpReader, 'php.ini', `session.save_handler = redis\n${line}\n`)[0].cookie;
    expect(read('session.cookie_samesite = "None"').sameSite?.value).toBe('None');
    expect(read('session.cookie_samesite = None').sameSite).toBeUndefined();
    expect(read('session.cookie_secure = yes').secure?.value).toBe(true);
    expect(read('session.cookie_secure = "off"').secure?.value).toBe(false);
    expect(read('session.cookie_secure = 0').secure?.value).toBe(false);
    expect(read('session.cookie_httponly = True').httpOnly?.value).toBe(true);
  });

  it('reads other handlers', () => {
    expect(readText(phpReader, 'php.ini', 'session.save_handler = user\n')[0].storage).toBe('unknown');
    expect(readText(phpReader, 'php.ini', 'session.save_handler = mm\n')[0].storage).toBe('memory');
    const [cluster] = readText(phpReader, 'php.ini', 'session.save_handler = rediscluster\nsession.save_path = "seed[]=node-1:7000&seed[]=node-2:7001&timeout=2&auth=pw"\n');
    expect(cluster.storage).toBe('redis');
    expect(cluster.storeHosts).toEqual(['node-1', 'node-2']);
    const [memcache] = readText(phpReader, 'php.ini', 'session.save_handler = memcache\nsession.save_path = "tcp://mc-1:11211?persistent=1&weight=1, unix:///var/run/memcached.sock"\n');
    expect(memcache.storeHosts).toEqual(['mc-1']);
  });

  it('throws ParseError with the line for broken INI syntax', () => {
    const missingEquals = parseErrorOf(phpReader, `${dir}/broken.ini`);
    expect(missingEquals).toBeInstanceOf(ParseError);
    expect([missingEquals.file, missingEquals.line]).toEqual([`${dir}/broken.ini`, 3]);
    expect(parseErrorOf(phpReader, `${dir}/unclosed.ini`).line).toBe(1);
    expect(() => readText(phpReader, 'php.ini', 'session.save_handler = files\nsession.save_path = "/tmp\n')).toThrow(ParseError);
  });

  it('lets a double-quoted value run over several lines, as PHP does', () => {
    const [config] = readText(phpReader, 'php.ini', 'session.save_handler = files\nsession.save_path = "/var/lib/\nphp"\nsession.gc_maxlifetime = 60\n');
    expect(config.lifetime).toEqual({ value: 60, location: { file: 'php.ini', line: 4, column: 1 }, evidence: 'session.gc_maxlifetime = 60' });
  });
});

describe('php reader: rule fixtures', () => {
  it.each(ruleFixtures(/^php-/))('%s gives one config, located in it', (file) => {
    expect(readFixture(phpReader, file).map((config) => config.location.file)).toEqual([file]);
  });
});
