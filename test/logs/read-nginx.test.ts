import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileNginxFormat } from '../../src/logs/formats/nginx.js';
import { UsageError } from '../../src/errors.js';
import { collect, failure, fixture } from './read-helpers.js';

describe('nginx / Apache combined', () => {
  it('reads the combined format, auto-detected', async () => {
    const { records, summary } = await collect([fixture('nginx/combined.log')]);
    expect(summary.inputs).toEqual([{ file: fixture('nginx/combined.log'), format: 'nginx', lines: 5, parsed: 5, skipped: 0 }]);
    expect(summary.hasRequestIdField).toBe(false);
    expect(records[0]).toEqual({
      file: fixture('nginx/combined.log'), line: 1, time: Date.parse('2026-11-28T10:15:01Z'), ip: '192.0.2.10',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0', method: 'GET', path: '/api/cart', status: 200,
    });
    expect(records[1]).toMatchObject({ user: 'alice', method: 'POST', path: '/login', status: 302 });
    // +0100 zone, IPv6 client, "-" referer
    expect(records[2]).toMatchObject({ ip: '2001:db8::7', time: Date.parse('2026-11-28T10:15:03Z'), status: 404 });
    // A TLS handshake sent to a plain port: no method or path, still a record.
    expect(records[3]).toEqual({ file: fixture('nginx/combined.log'), line: 4, time: Date.parse('2026-11-28T10:15:04Z'), ip: '192.0.2.12', status: 400 });
  });

  it('reads the stock "main" format with CRLF line ends and no final newline', async () => {
    const { records, summary } = await collect([fixture('nginx/main-crlf.log')]);
    expect(summary.inputs[0]).toMatchObject({ format: 'nginx', lines: 2, parsed: 2, skipped: 0 });
    expect(records.map((record) => record.userAgent)).toEqual(['okhttp/4.12.0', 'okhttp/4.12.0']);
    expect(records[1]).toMatchObject({ line: 2, ip: '10.0.0.5', path: '/api/orders' });
  });

  it('reads Apache combined (escaped quotes) and common logs', async () => {
    const combined = await collect([fixture('apache/combined.log')], { format: 'apache' });
    expect(combined.summary.inputs[0]).toMatchObject({ format: 'apache', parsed: 2 });
    expect(combined.records[0]).toMatchObject({ ip: '127.0.0.1', user: 'frank', time: Date.parse('2000-10-10T20:55:36Z'), path: '/apache_pb.gif', status: 200, userAgent: 'Mozilla/4.08 [en] (Win98; I ;Nav)' });
    expect(combined.records[1].userAgent).toBe('agent \\"quoted\\" part');
    const common = await collect([fixture('apache/common.log')]);
    expect(common.summary.inputs[0]).toMatchObject({ format: 'nginx', parsed: 2 });
    expect(common.records[1]).toMatchObject({ status: 404, path: '/favicon.ico' });
  });
});

describe('--nginx-format', () => {
  const format = readFileSync(fixture('nginx/upstream.format'), 'utf8');

  it('compiles a log_format pasted from nginx.conf and reads upstream, request id, session and tokens', async () => {
    const { records, summary } = await collect([fixture('nginx/upstream.log')], { nginxFormat: format, sessionCookie: 'sid' });
    expect(summary.inputs[0]).toMatchObject({ format: 'nginx', lines: 4, parsed: 4, skipped: 0 });
    expect(summary.hasRequestIdField).toBe(true);
    expect(records[0]).toMatchObject({ node: '10.0.1.11:3000', session: 'AbCdEf123', requestId: '6a1f0c2d9b8e4f7a8c3d2e1f0a9b8c7d' });
    // After a retry $upstream_addr lists both: the last one answered.
    expect(records[1].node).toBe('10.0.1.12:3000');
    // Authorization: Bearer <jwt>: claims decoded, the token itself kept nowhere.
    expect(records[2]).toMatchObject({ status: 401, jti: '0f8fad5b-d9cb-469f-a165-70867728950e', sub: 'user-42' });
    expect(JSON.stringify(records)).not.toContain('eyJ');
    // A JWT in some other cookie; "-" upstream is no node.
    expect(records[3]).toMatchObject({ jti: 'jti-7', sub: 'user-7' });
    expect(records[3].node).toBeUndefined();
    expect(records[3].session).toBeUndefined();
  });

  it('reads $time_iso8601, $msec, $request_method/$uri, $http_x_forwarded_for and $cookie_NAME formats', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/logs-`);
    writeFileSync(`${dir}/a.log`, '2026-11-28T10:00:00+02:00|1795860000.250|PUT|/api/x?y=1|203.0.113.7, 10.0.0.1|204|JSESSIONID=ABC123\n');
    const { records } = await collect([`${dir}/a.log`], {
      nginxFormat: '$time_iso8601|$msec|$request_method|$uri|$http_x_forwarded_for|$status|JSESSIONID=$cookie_JSESSIONID',
    });
    // $msec comes later and wins; the client comes from X-Forwarded-For when $remote_addr is not logged.
    expect(records[0]).toMatchObject({ time: 1795860000250, method: 'PUT', path: '/api/x', ip: '203.0.113.7', status: 204, session: 'ABC123' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a format it cannot use with a UsageError', () => {
    expect(() => compileNginxFormat('just text')).toThrow(UsageError);
    expect(() => compileNginxFormat('just text')).toThrow(/no \$variables/);
    expect(() => compileNginxFormat('$remote_addr$status')).toThrow(/nothing between/);
    expect(compileNginxFormat("log_format x '$a ' '$b';").steps.map((step) => [step.name, step.after])).toEqual([['a', ' '], ['b', '']]);
    expect(compileNginxFormat('${remote_addr}-$status').steps.map((step) => step.name)).toEqual(['remote_addr', 'status']);
  });

  it('says at which line a log does not match the format given', async () => {
    const error = await failure(collect([fixture('nginx/combined.log')], { nginxFormat: '$status $remote_addr' }));
    expect(error.name).toBe('InputError');
    expect(error.text).toMatch(/combined\.log:1: does not match --nginx-format \(.+\); check --log-format or --nginx-format$/);
    expect(error.text).not.toContain('\n');
  });

  it('refuses --nginx-format with another --log-format', async () => {
    const error = await failure(collect([fixture('nginx/combined.log')], { format: 'json', nginxFormat: '$status' }));
    expect(error.name).toBe('UsageError');
  });
});

describe('Apache LogFormat given as --nginx-format', () => {
  it('translates %directives (headers, cookies, UNIQUE_ID, BALANCER_WORKER_NAME)', async () => {
    const format = readFileSync(fixture('apache/balancer.format'), 'utf8');
    const { records, summary } = await collect([fixture('apache/balancer.log')], { format: 'apache', nginxFormat: format, sessionCookie: 'ROUTEID' });
    expect(summary.inputs[0]).toMatchObject({ format: 'apache', parsed: 2, skipped: 0 });
    expect(summary.hasRequestIdField).toBe(true);
    expect(records[0]).toMatchObject({ ip: '192.0.2.30', time: Date.parse('2026-11-28T10:35:00Z'), path: '/shop/cart', status: 200, userAgent: 'Mozilla/5.0', requestId: 'ZWh0dHA6Ly9leGFtcGxlLmNvbQ', node: 'http://10.0.2.21:8080', session: '.node1' });
    expect(records[1].node).toBe('http://10.0.2.22:8080');
  });

  it('reads the common format string', () => {
    expect(compileNginxFormat('%h %l %u %t "%r" %>s %b').steps.map((step) => step.name)).toEqual(['remote_addr', 'remote_ident', 'remote_user', 'time_local', 'request', 'status', 'body_bytes_sent']);
  });
});

describe('--log-format nginx / apache', () => {
  it('tries the built-in shapes (main, combined, common) and nothing else', async () => {
    const common = await collect([fixture('apache/common.log')], { format: 'apache' });
    expect(common.summary.inputs[0]).toMatchObject({ format: 'apache', parsed: 2 });
    const error = await failure(collect([fixture('json/pino.log')], { format: 'nginx' }));
    expect(error.text).toMatch(/pino\.log:1: not in the nginx combined format \(nor main or common\); check --log-format or --nginx-format$/);
  });
});
