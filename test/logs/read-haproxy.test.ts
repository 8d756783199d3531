import { describe, expect, it } from 'vitest';
import { collect, fixture } from './read-helpers.js';

describe('HAProxy httplog', () => {
  it('reads lines with and without the syslog prefix', async () => {
    const { records, summary } = await collect([fixture('haproxy/httplog.log')], { sessionCookie: 'SESSIONID' });
    // The tcplog line at the end is counted, not fatal.
    expect(summary.inputs[0]).toMatchObject({ format: 'haproxy', lines: 5, parsed: 4, skipped: 1, firstSkipped: { line: 5 } });
    expect(records[0]).toEqual({
      file: fixture('haproxy/httplog.log'), line: 1, time: Date.parse('2026-11-28T10:40:00.655Z'), ip: '10.0.1.2', method: 'GET', path: '/index.html', status: 200, node: 'static/srv1',
    });
    // Captured cookie, and captured request headers told apart by shape: bearer token, unique id.
    expect(records[1]).toMatchObject({ node: 'app/app2', session: '7d1c0f3e9a', jti: '0f8fad5b-d9cb-469f-a165-70867728950e', sub: 'user-42', requestId: '4f9c2b1a-6d3e-4c8b-9a7f-1e2d3c4b5a69' });
    expect(summary.hasRequestIdField).toBe(true);
    // No syslog prefix (log stdout), TLS frontend "https-in~", no captured headers.
    expect(records[2]).toMatchObject({ line: 3, ip: '10.0.1.4', node: 'app/app1', method: 'POST', path: '/login', status: 302, session: '9e2d1a4b7c' });
    // <NOSRV>: no server answered; <BADREQ>: no request line.
    expect(records[3]).toEqual({ file: fixture('haproxy/httplog.log'), line: 4, time: Date.parse('2026-11-28T10:40:03Z'), ip: '10.0.1.5', status: 400 });
  });

  it('ignores a captured cookie that is not the session cookie', async () => {
    const { records } = await collect([fixture('haproxy/httplog.log')], { sessionCookie: 'other', format: 'haproxy' });
    expect(records[1].session).toBeUndefined();
  });
});
