import { describe, expect, it } from 'vitest';
import { CredentialReader } from '../../src/logs/read-credentials.js';
import { cookieValue } from '../../src/logs/read-cookies.js';
import { eventOf } from '../../src/logs/read-events.js';
import { parseRequestLine } from '../../src/logs/read-request.js';
import { parseClfTime, parseIsoTime, parseTimeValue } from '../../src/logs/read-time.js';
import { TokenClaimsCache } from '../../src/logs/read-token.js';
import { newRecord } from '../../src/logs/formats/parser.js';
import { JWT_USER_42 } from './read-helpers.js';

describe('time parsing', () => {
  it('reads CLF, HAProxy, ISO and epoch times', () => {
    expect(parseClfTime('10/Oct/2000:13:55:36 -0700')).toBe(Date.parse('2000-10-10T13:55:36-07:00'));
    expect(parseClfTime('10/Oct/2000:13:55:36 -0700')).toBe(Date.parse('2000-10-10T13:55:36-07:00')); // cached
    expect(parseClfTime('06/Feb/2009:12:14:14.655')).toBe(Date.parse('2009-02-06T12:14:14.655Z'));
    expect(parseClfTime('06/Foo/2009:12:14:14')).toBeNaN();
    expect(parseIsoTime('2018-07-02T22:23:00.186641Z')).toBe(Date.parse('2018-07-02T22:23:00.186Z'));
    expect(parseIsoTime('2000-10-10T13:55:36-07:00')).toBe(Date.parse('2000-10-10T13:55:36-07:00'));
    expect(parseIsoTime('2000-10-10T13:55:36+0530')).toBe(Date.parse('2000-10-10T13:55:36+05:30'));
    expect(parseTimeValue(1531171074631)).toBe(1531171074631);
    expect(parseTimeValue(1531171074.631)).toBeCloseTo(1531171074631, 0);
    expect(parseTimeValue('1531171074')).toBe(1531171074000);
    expect(parseTimeValue('17/May/2015:10:05:03 +0000')).toBe(Date.parse('2015-05-17T10:05:03Z'));
    expect(parseTimeValue('yesterday')).toBeNaN();
    expect(parseTimeValue(undefined)).toBeNaN();
  });
});

describe('credentials', () => {
  it('finds a cookie at a real boundary only', () => {
    expect(cookieValue('xsid=1; sid=2', 'sid')).toBe('2');
    expect(cookieValue('sid="q"', 'sid')).toBe('q');
    expect(cookieValue('a=1', 'sid')).toBeUndefined();
  });

  it('decodes jti/sub, caches by payload, and ignores what is not a JWS', () => {
    const cache = new TokenClaimsCache(2);
    expect(cache.claims(JWT_USER_42)).toEqual({ jti: '0f8fad5b-d9cb-469f-a165-70867728950e', sub: 'user-42', sid: undefined });
    expect(cache.claims(JWT_USER_42)).toBe(cache.claims(JWT_USER_42));
    expect(cache.claims('a.b.c')).toBeNull();
    expect(cache.claims('eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..iv.ciphertext.tag')).toBeNull();
    expect(cache.claims('opaque-token')).toBeNull();
  });

  it('takes the session from common cookie names when --session-cookie is not given', () => {
    const record = newRecord('x');
    new CredentialReader().cookieHeader('_ga=GA1.2; PHPSESSID=abc123; theme=dark', record);
    expect(record.session).toBe('abc123');
    const bearer = newRecord('x');
    new CredentialReader('sid').authorization(`Bearer ${JWT_USER_42}`, bearer);
    expect(bearer).toMatchObject({ jti: '0f8fad5b-d9cb-469f-a165-70867728950e', sub: 'user-42' });
    const basic = newRecord('x');
    new CredentialReader('sid').authorization('Basic dXNlcjpwYXNz', basic);
    expect(basic.sub).toBeUndefined();
  });

  it('names a stateless session (a JWT cookie) by its claims, never by the token', () => {
    const record = newRecord('x');
    new CredentialReader('auth').cookieHeader(`auth=${JWT_USER_42}`, record);
    expect(record.session).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(record.sub).toBe('user-42');
  });
});

describe('events', () => {
  it('maps messages to events, auth failures before logins', () => {
    expect(eventOf('user logged out')).toBe('logout');
    expect(eventOf('Logout')).toBe('logout');
    expect(eventOf('session.revoked')).toBe('revoke');
    expect(eventOf('JsonWebTokenError: invalid signature')).toBe('invalid-token');
    expect(eventOf('jwt expired')).toBe('invalid-token');
    expect(eventOf('Session not found')).toBe('session-not-found');
    expect(eventOf('login')).toBe('login');
    expect(eventOf('user logged in')).toBe('login');
    expect(eventOf('login failed')).toBeUndefined();
    expect(eventOf('request completed')).toBeUndefined();
  });
});

describe('request line', () => {
  it('splits method and path, dropping query and absolute-form host', () => {
    const record = newRecord('x');
    const line = 'GET http://shop.example.com:80/a/b?c=d HTTP/1.1';
    parseRequestLine(line, 0, line.length, record);
    expect(record).toMatchObject({ method: 'GET', path: '/a/b' });
    const bare = newRecord('x');
    parseRequestLine('-', 0, 1, bare);
    expect(bare.method).toBeUndefined();
  });
});
