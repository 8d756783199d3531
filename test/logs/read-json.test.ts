import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, fixture } from './read-helpers.js';

describe('JSON lines', () => {
  it('reads pino / pino-http: request fields, headers, events', async () => {
    const { records, summary } = await collect([fixture('json/pino.log')]);
    expect(summary.inputs[0]).toMatchObject({ format: 'json', lines: 4, parsed: 4 });
    expect(summary.hasRequestIdField).toBe(true);
    expect(records[0]).toMatchObject({
      time: 1795860000631, ip: '::ffff:10.0.0.9', userAgent: 'curl/8.4.0', method: 'GET', path: '/api/cart', status: 200, node: 'shop-1',
      // express-session's signed cookie "s:<id>.<sig>" names the session as the application logs it.
      session: 'Qx7Yz', jti: '0f8fad5b-d9cb-469f-a165-70867728950e', sub: 'user-42', requestId: '1',
    });
    expect(records[1]).toMatchObject({ user: 'user-42', event: 'logout', requestId: 'req-2' });
    expect(records[2]).toMatchObject({ event: 'invalid-token', node: 'shop-2' });
    expect(records[3]).toMatchObject({ event: 'session-not-found', session: 'Qx7Yz' });
  });

  it('reads bunyan (ISO time, x-request-id header, event field)', async () => {
    const { records } = await collect([fixture('json/bunyan.log')]);
    expect(records[0]).toMatchObject({ time: Date.parse('2026-11-28T10:59:57.534Z'), ip: '120.0.0.1', path: '/path', node: 'account-7d9f', requestId: 'b7e1c2d3-0000-4000-8000-000000000001' });
    expect(records[1]).toMatchObject({ user: 'user-9', event: 'revoke' });
  });

  it('reads ECS, nested and dotted keys', async () => {
    const { records } = await collect([fixture('json/ecs.log')]);
    expect(records[0]).toMatchObject({ time: Date.parse('2026-11-28T11:00:33.782Z'), ip: '::ffff:127.0.0.1', userAgent: 'curl/8.1.2', method: 'GET', path: '/', status: 200, node: 'web-3', requestId: 'f2a9c3d4e5' });
    expect(records[0].event).toBeUndefined();
    expect(records[1]).toMatchObject({ node: 'web-3', user: 'user-5', requestId: '4bf92f3577b34da6a3ce929d0e0e4736', event: 'logout' });
  });

  it('reads logstash combined-log fields, nginx escape=json logs and Docker json-file', async () => {
    const logstash = await collect([fixture('json/logstash.log')]);
    expect(logstash.records[0]).toMatchObject({ ip: '83.149.9.216', method: 'GET', path: '/presentations/kibana-search.png', status: 200, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36' });
    const nginx = await collect([fixture('json/nginx-escape-json.log')]);
    expect(nginx.records[0]).toMatchObject({ ip: '192.0.2.50', method: 'GET', path: '/api/orders', status: 200, node: '10.0.1.13:3000', session: '5f1e2d3c', requestId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', time: Date.parse('2026-11-28T11:10:00Z') });
    const docker = await collect([fixture('json/docker.log')]);
    expect(docker.records[0]).toMatchObject({ time: 1795860100000, ip: '10.1.0.4', path: '/cart', status: 200, node: 'cart-0' });
  });

  it('reads a dotted top-level key when an object of its first segment is there too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logs-'));
    const file = path.join(dir, 'ecs.log');
    // ecs-logging writes "log.level" dotted beside a "log" object; here "trace.id" beside "trace".
    writeFileSync(file, `${JSON.stringify({ '@timestamp': '2026-11-28T12:00:00Z', trace: { flags: '01' }, 'trace.id': 'T1', ctx: 'x', 'ctx.sid': 'S9' })}\n`);
    const { records } = await collect([file], { fields: { session: 'ctx.sid' } });
    expect(records[0]).toMatchObject({ requestId: 'T1', session: 'S9' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops control characters from values a report prints (no terminal escapes from a log)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logs-'));
    const file = path.join(dir, 'app.log');
    writeFileSync(file, `${JSON.stringify({ time: 1767607200000, hostname: '\u001b]0;owned\u0007\u001b[31mapi-1', ip: '10.0.0.1\u001b[2J', user_agent: 'ua\u009b1m', url: '/a\u001b[0m', status: 200 })}\n`);
    const { records } = await collect([file]);
    expect(records[0]).toMatchObject({ node: '?]0;owned??[31mapi-1', ip: '10.0.0.1?[2J', userAgent: 'ua?1m', path: '/a' }); // '?' then starts a query
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps other field names with --field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'logs-'));
    const file = path.join(dir, 'app.log');
    writeFileSync(file, `${JSON.stringify({ when: '2026-11-28T12:00:00Z', ctx: { sess: 'S1', who: 'bob', pod: 'api-7' }, peer: '10.9.8.7', code: 403, rid: 'R1', hostname: 'ignored' })}\nnot json\n`);
    const { records, summary } = await collect([file], { fields: { time: 'when', session: 'ctx.sess', user: 'ctx.who', node: 'ctx.pod', ip: 'peer', status: 'code', requestId: 'rid' } });
    expect(records[0]).toMatchObject({ time: Date.parse('2026-11-28T12:00:00Z'), session: 'S1', user: 'bob', node: 'api-7', ip: '10.9.8.7', status: 403, requestId: 'R1' });
    expect(summary.inputs[0]).toMatchObject({ parsed: 1, skipped: 1, firstSkipped: { line: 2, reason: 'not a JSON object' } });
    expect(summary.hasRequestIdField).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
