import { describe, expect, it } from 'vitest';
import { collect, fixture } from './read-helpers.js';

describe('AWS ALB access logs', () => {
  it('reads http, https, h2, ws and Lambda entries', async () => {
    const { records, summary } = await collect([fixture('alb/alb.log')]);
    expect(summary.inputs[0]).toMatchObject({ format: 'alb', lines: 5, parsed: 5, skipped: 0 });
    expect(summary.hasRequestIdField).toBe(true);
    expect(records[0]).toEqual({
      file: fixture('alb/alb.log'), line: 1, time: Date.parse('2026-11-28T10:49:59.364Z'), ip: '192.168.131.39', userAgent: 'curl/8.4.0',
      method: 'GET', path: '/', status: 200, node: '10.0.0.1:80', requestId: 'Root=1-6749b4f0-36d228ad5d99923122bbe354',
    });
    expect(records[1]).toMatchObject({ path: '/cart', node: '10.0.0.2:80', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' });
    expect(records[3]).toMatchObject({ status: 101, node: '10.0.1.192:8010' });
    expect(records[3].userAgent).toBeUndefined();
    // Lambda target: no target ip:port; the ELB's own status is what the client saw.
    expect(records[4]).toMatchObject({ status: 502, path: '/lambda' });
    expect(records[4].node).toBeUndefined();
  });

  it('reads Classic ELB entries (no type field, no trace id)', async () => {
    const { records, summary } = await collect([fixture('alb/classic-elb.log')]);
    expect(summary.inputs[0]).toMatchObject({ format: 'alb', parsed: 1 });
    expect(summary.hasRequestIdField).toBe(false);
    expect(records[0]).toMatchObject({ time: Date.parse('2026-11-28T10:55:43.945Z'), ip: '192.168.131.39', node: '10.0.0.1:80', status: 200, path: '/' });
  });
});
