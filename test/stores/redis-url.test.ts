// --redis URL parsing and password redaction: no server needed.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseHostPort, parseRedisUrl, redactUrl } from '../../src/stores/redis/url.js';

describe('parseRedisUrl', () => {
  it('reads host, port, db and defaults', () => {
    expect(parseRedisUrl('redis://10.0.0.5', { env: {} })).toMatchObject({ host: '10.0.0.5', port: 6379, db: 0, tls: undefined, source: 'redis://10.0.0.5:6379' });
    expect(parseRedisUrl('redis://cache.internal:6380/3', { env: {} })).toMatchObject({ host: 'cache.internal', port: 6380, db: 3, source: 'redis://cache.internal:6380/3' });
    expect(parseRedisUrl('redis://[::1]:7000', { env: {} })).toMatchObject({ host: '::1', port: 7000, source: 'redis://[::1]:7000' });
  });

  it('takes user and password from the URL, keeps the user in source, never the password', () => {
    const target = parseRedisUrl('redis://auditor:s3cr%40t@h:1/2', { env: {} });
    expect(target).toMatchObject({ username: 'auditor', password: 's3cr@t', source: 'redis://auditor@h:1/2' });
    expect(JSON.stringify(target.source)).not.toContain('s3cr');
    expect(parseRedisUrl('redis://:only-pass@h', { env: {} })).toMatchObject({ username: undefined, password: 'only-pass', source: 'redis://h:6379' });
  });

  it('falls back to --redis-user and REDISCLI_AUTH; the URL wins', () => {
    expect(parseRedisUrl('redis://h', { user: 'ro', env: { REDISCLI_AUTH: 'envpw' } })).toMatchObject({ username: 'ro', password: 'envpw', source: 'redis://ro@h:6379' });
    expect(parseRedisUrl('redis://u:urlpw@h', { user: 'ro', env: { REDISCLI_AUTH: 'envpw' } })).toMatchObject({ username: 'u', password: 'urlpw' });
  });

  it('rediss:// carries TLS options; TLS options on redis:// are refused', () => {
    expect(parseRedisUrl('rediss://h:6380', { tls: { ca: '/ca.pem', insecure: true }, env: {} })).toMatchObject({ tls: { ca: '/ca.pem', insecure: true }, source: 'rediss://h:6380' });
    expect(parseRedisUrl('rediss://h', { env: {} }).tls).toEqual({});
    expect(() => parseRedisUrl('redis://h', { tls: { ca: '/ca.pem' }, env: {} })).toThrow(/use rediss:\/\//);
  });

  it('rejects bad URLs with a usage error that does not repeat the password', () => {
    for (const bad of ['http://u:pw-secret@h', 'redis://u:pw-secret@h/abc', 'h:6379', 'redis://u:pw-secret@:6379']) {
      let error: unknown;
      try {
        parseRedisUrl(bad, { env: {} });
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(UsageError);
      expect((error as Error).message).not.toContain('pw-secret');
    }
    expect(() => parseRedisUrl('h:6379', { env: {} })).toThrow(/missing scheme/);
  });
});

describe('redactUrl', () => {
  it.each([
    ['redis://u:secret@h:1/0', 'redis://u@h:1/0'],
    ['redis://:secret@h', 'redis://h'],
    ['rediss://u@h:6380', 'rediss://u@h:6380'],
    ['redis://h:6379', 'redis://h:6379'],
    ['redis://u:p@ss/w@rd@h:1', 'redis://u@h:1'], // unencoded @ and / in the password
    ['redis://h:1?password=secret&db=2', 'redis://h:1?db=2'],
    ['redis://h:1?db=2&password=secret', 'redis://h:1?db=2'],
    ['not a url:secret@x', 'not a url@x'],
  ])('%s -> %s', (input, output) => {
    expect(redactUrl(input)).toBe(output);
    expect(redactUrl(input)).not.toContain('secret');
  });
});

describe('parseHostPort', () => {
  it('reads HOST:PORT with a default port', () => {
    expect(parseHostPort('10.0.0.1:26380', 26379, '--sentinel')).toEqual({ host: '10.0.0.1', port: 26380 });
    expect(parseHostPort('sentinel-a', 26379, '--sentinel')).toEqual({ host: 'sentinel-a', port: 26379 });
    expect(parseHostPort('[::1]:26379', 26379, '--sentinel')).toEqual({ host: '::1', port: 26379 });
    expect(() => parseHostPort('a:b:c', 26379, '--sentinel')).toThrow(UsageError);
  });
});

describe('commandError', () => {
  it('reads every way ioredis says the connection went away as "connection lost"', async () => {
    const { commandError } = await import('../../src/stores/redis/errors.js');
    for (const message of ['Connection is closed.', 'Command aborted due to connection close', 'read ECONNRESET', "Stream isn't writeable"]) {
      expect(commandError('redis://127.0.0.1:1', 'pipeline', new Error(message)).message).toBe('connection lost');
    }
  });
});
