import { describe, expect, it } from 'vitest';
import { runLogs } from '../../src/commands/logs.js';
import { LogAnalyser } from '../../src/logs/analyse.js';
import type { LogReadSummary, LogRecord, ReadLogs } from '../../src/logs/record.js';
import type { LogBurst, LogHops, LogModelNode, LogRevokedUse, LogSession, LogSource, LogUpstream } from '../../src/model/index.js';
import type { RuleOptions } from '../../src/rules/types.js';

// The log analysis on LogRecords made here (the readers have their own tests): planted patterns must be
// found, clean traffic must raise nothing, and memory must stay bounded whatever the number of ids.

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const MIN = 60_000;

/** Like a reader: ONE record object, reset and refilled for every line. */
function feeder(analyser: LogAnalyser, file = 'access.log') {
  const record: LogRecord = { file, line: 0, time: Number.NaN };
  let line = 0;
  return (fields: Partial<LogRecord>) => {
    for (const key of Object.keys(record) as (keyof LogRecord)[]) if (key !== 'file') delete record[key];
    Object.assign(record, { file, line: ++line, time: Number.NaN, status: 200 }, fields);
    analyser.add(record);
  };
}

const SUMMARY: LogReadSummary = { inputs: [{ file: 'access.log', format: 'nginx', lines: 0, parsed: 0, skipped: 0 }], hasRequestIdField: false };

function nodesOf<K extends LogModelNode['kind']>(analyser: LogAnalyser, kind: K, summary = SUMMARY): Extract<LogModelNode, { kind: K }>[] {
  return analyser.finish(summary).nodes.filter((node): node is Extract<LogModelNode, { kind: K }> => node.kind === kind);
}

/** Clean traffic: users each with their own IP, user agent, session and node, a few 401s. */
function cleanTraffic(add: (fields: Partial<LogRecord>) => void, minutes = 20, users = 30) {
  for (let second = 0; second < minutes * 60; second += 2) {
    const user = (second / 2) % users;
    add({
      time: T0 + second * 1000,
      ip: `198.51.100.${user + 10}`,
      userAgent: `Browser/${user}`,
      session: `session-${user}`,
      node: `10.0.1.${11 + (user % 3)}:8080`,
      path: '/account',
      status: second % 97 === 0 ? 401 : 200,
      requestId: `req-${second}`,
    });
  }
}

describe('clean traffic', () => {
  it('raises nothing through the rules', async () => {
    const { report } = await runLogs({
      inputs: ['access.log'],
      read: { format: 'nginx' },
      readLogs: fakeReader((add) => cleanTraffic(add)),
    });
    expect(report.findings.map((finding) => `${finding.ruleId}: ${finding.message}`)).toEqual([]);
    expect(report.logs.requests).toBe(600);
    expect(report.logs.timeline.buckets).toBe(20);
    expect(report.logs.timeline.nodes.map((node) => node.name).sort()).toEqual(['10.0.1.11:8080', '10.0.1.12:8080', '10.0.1.13:8080']);
  });
});

describe('session-reuse-many-ips', () => {
  it('flags one session used from many IPs within the window, and copies what it keeps', () => {
    const analyser = new LogAnalyser();
    const add = feeder(analyser);
    cleanTraffic(add, 5);
    const ips = ['203.0.113.5', '203.0.113.77', '192.0.2.44', '45.33.12.9', '2001:db8::7'];
    ips.forEach((ip, index) => add({ time: T0 + (60 + index * 30) * 1000, ip, userAgent: 'Browser/3', session: 'session-3' }));
    const sessions = nodesOf(analyser, 'log-session');
    expect(sessions).toHaveLength(1);
    const [session] = sessions as LogSession[];
    expect(session.ipsInWindow).toBe(6);
    expect(session.ips).toEqual(expect.arrayContaining([...ips, '198.51.100.13']));
    expect(session.digest).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(JSON.stringify(session)).not.toContain('session-3');
    expect(session.location.line).toBeGreaterThan(0);
  });

  it('does not flag the same IPs spread over more than the window', () => {
    const analyser = new LogAnalyser({ ruleOptions: { logWindow: 600 } });
    const add = feeder(analyser);
    ['203.0.113.5', '203.0.113.77', '192.0.2.44', '45.33.12.9', '198.51.100.1'].forEach((ip, index) =>
      add({ time: T0 + index * 15 * MIN, ip, userAgent: 'Browser/1', session: 'laptop' }),
    );
    expect(nodesOf(analyser, 'log-session')).toEqual([]);
  });

  it('flags a jti sent by several user agents', () => {
    const analyser = new LogAnalyser();
    const add = feeder(analyser);
    ['curl/8.5.0', 'python-requests/2.31.0', 'okhttp/4.12.0'].forEach((userAgent, index) => add({ time: T0 + index * 1000, ip: '198.51.100.9', userAgent, jti: 'jti-1' }));
    const [session] = nodesOf(analyser, 'log-session');
    expect(session).toMatchObject({ idKind: 'jti', userAgentsInWindow: 3, ipsInWindow: 1 });
    expect(session.userAgents).toEqual(['curl/8.5.0', 'python-requests/2.31.0', 'okhttp/4.12.0']);
  });

  it('keeps memory bounded: 1M distinct sessions keep the table at its capacity', () => {
    const analyser = new LogAnalyser({ maxTracked: 5000 });
    const add = feeder(analyser);
    for (let index = 0; index < 1_000_000; index++) add({ time: T0 + index, ip: '198.51.100.1', session: `s${index}` });
    const size = analyser.sessions.size;
    expect(size.sessions).toBe(5000);
    expect(analyser.sessions.evicted).toBe(1_000_000 - 5000);
    expect(analyser.finish(SUMMARY).section.tracking).toMatchObject({ sessions: 1_000_000, capacity: 5000, evicted: 995_000 });
  });

  it('still finds a reused session among many others past the capacity (active ids survive eviction)', () => {
    const analyser = new LogAnalyser({ maxTracked: 1000 });
    const add = feeder(analyser);
    for (let index = 0; index < 50_000; index++) {
      add({ time: T0 + index * 10, ip: `10.0.${index % 250}.${index % 200}`, session: `one-off-${index}` });
      if (index % 500 === 0) add({ time: T0 + index * 10, ip: `203.0.113.${(index / 500) % 8}`, session: 'stolen' });
    }
    const [session] = nodesOf(analyser, 'log-session');
    expect(session?.ipsInWindow).toBeGreaterThan(3);
  });
});

describe('session-hops-nodes', () => {
  /** Five users; every third request goes to another node. With per-node sessions that request is a 401 and the user gets a new session there. */
  function hopping(lostAfterHop: boolean) {
    const analyser = new LogAnalyser();
    const add = feeder(analyser);
    const sessions = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ id: `${name}-0`, node: 0, renewals: 0 }));
    for (let round = 0; round < 12; round++) {
      sessions.forEach((user, index) => {
        const hop = round % 3 === 2;
        if (hop) user.node = (user.node + 1) % 3;
        add({ time: T0 + (round * 5 + index) * 1000, ip: `198.51.100.${index}`, session: user.id, node: `app${user.node}`, status: hop && lostAfterHop ? 401 : 200 });
        if (hop && lostAfterHop) user.id = `${user.id}-${++user.renewals}`;
      });
    }
    return analyser;
  }

  it('judges hops followed by 401 on the new node as per-node sessions', () => {
    const [hops] = nodesOf(hopping(true), 'log-hops') as LogHops[];
    expect(hops.verdict).toBe('local');
    expect(hops.hopsLost).toBeGreaterThan(0);
    expect(hops.examples[0].lost).toBe(true);
  });

  it('judges hops that lose nothing as a shared store', () => {
    const [hops] = nodesOf(hopping(false), 'log-hops') as LogHops[];
    expect(hops).toMatchObject({ verdict: 'shared', verdictFrom: 'logs', hopsLost: 0 });
  });

  it('takes the verdict from --sessions when given', () => {
    const analyser = new LogAnalyser({ ruleOptions: { logSessions: 'local' } });
    const add = feeder(analyser);
    add({ time: T0, session: 'a', node: 'app1' });
    add({ time: T0 + 1000, session: 'a', node: 'app2' });
    expect(nodesOf(analyser, 'log-hops')[0]).toMatchObject({ verdict: 'local', verdictFrom: 'flag', hops: 1 });
  });

  it('says nothing when every session stays on its node', () => {
    const analyser = new LogAnalyser();
    cleanTraffic(feeder(analyser));
    expect(nodesOf(analyser, 'log-hops')).toEqual([]);
  });
});

describe('token-used-after-logout', () => {
  function logoutThen(use: Partial<LogRecord>) {
    const analyser = new LogAnalyser();
    const add = feeder(analyser);
    add({ time: T0, ip: '198.51.100.1', jti: 'jti-9', path: '/api/orders' });
    add({ time: T0 + 1000, ip: '198.51.100.1', jti: 'jti-9', method: 'POST', path: '/api/auth/logout', status: 204 });
    add({ time: T0 + 60_000, ip: '203.0.113.9', jti: 'jti-9', path: '/api/orders', ...use });
    return nodesOf(analyser, 'log-revoked-use') as LogRevokedUse[];
  }

  it('flags a jti accepted after its logout', () => {
    const [use] = logoutThen({ status: 200 });
    expect(use).toMatchObject({ idKind: 'jti', uses: 1, status: 200, logout: { line: 2 }, location: { line: 3 } });
    expect(use.logoutHow).toBe('POST /api/auth/logout 204');
  });

  it('does not flag a jti refused after logout, or a static file', () => {
    expect(logoutThen({ status: 401 })).toEqual([]);
    expect(logoutThen({ status: 200, path: '/static/app.js' })).toEqual([]);
  });

  it('flags a use read before its logout when it is later in time (one file per node, read one after the other)', () => {
    const analyser = new LogAnalyser();
    const api1 = feeder(analyser, 'api-1.log');
    for (let minute = 0; minute < 10; minute++) api1({ time: T0 + minute * MIN, jti: 'jti-9', path: '/api/orders', node: 'api-1' });
    const api2 = feeder(analyser, 'api-2.log');
    api2({ time: T0 + 90_000, jti: 'jti-9', method: 'POST', path: '/api/auth/logout', status: 204, node: 'api-2' });
    const [use] = nodesOf(analyser, 'log-revoked-use') as LogRevokedUse[];
    expect(use).toMatchObject({ idKind: 'jti', readBeforeLogout: true, useTime: T0 + 9 * MIN, logout: { file: 'api-2.log', line: 1 }, location: { file: 'api-1.log', line: 10 } });
  });

  it('does not flag uses read before a logout that are earlier in time', () => {
    const analyser = new LogAnalyser();
    const api1 = feeder(analyser, 'api-1.log');
    for (let minute = 0; minute < 10; minute++) api1({ time: T0 + minute * MIN, jti: 'jti-9', path: '/api/orders' });
    feeder(analyser, 'api-2.log')({ time: T0 + 20 * MIN, jti: 'jti-9', method: 'POST', path: '/api/auth/logout', status: 204 });
    expect(nodesOf(analyser, 'log-revoked-use')).toEqual([]);
  });

  it("does not take the logout request's own access line (same request id, logged after the app's event) for a use", () => {
    const analyser = new LogAnalyser();
    const add = feeder(analyser, 'app.log');
    add({ time: T0, jti: 'jti-9', requestId: 'r1', event: 'logout', status: undefined, node: 'api-1' });
    add({ time: T0 + 4, jti: 'jti-9', requestId: 'r1', method: 'DELETE', path: '/api/session', status: 204, node: 'api-1' });
    expect(nodesOf(analyser, 'log-revoked-use')).toEqual([]);
    add({ time: T0 + 60_000, jti: 'jti-9', requestId: 'r2', path: '/api/orders', status: 200 });
    expect(nodesOf(analyser, 'log-revoked-use')).toHaveLength(1);
  });

  it("does not take the logout request's line in another log (no request id, stamped to the second) for a use", () => {
    for (const order of ['app first', 'access first']) {
      const analyser = new LogAnalyser();
      const app = () => feeder(analyser, 'app.log')({ time: T0 + 500, jti: 'jti-9', event: 'logout', status: undefined });
      const access = () => feeder(analyser, 'access.log')({ time: T0 + 1000, jti: 'jti-9', method: 'DELETE', path: '/api/session', status: 204 });
      for (const step of order === 'app first' ? [app, access] : [access, app]) step();
      expect(nodesOf(analyser, 'log-revoked-use'), order).toEqual([]);
    }
  });

  it('flags a session after a logout event only when the log names a signed-in user', () => {
    for (const [user, expected] of [[undefined, 0], ['alice', 1]] as const) {
      const analyser = new LogAnalyser();
      const add = feeder(analyser);
      add({ time: T0, session: 'sess-1', user: 'alice', event: 'logout', status: undefined });
      add({ time: T0 + 5000, session: 'sess-1', user, status: 200, path: '/account' });
      expect(nodesOf(analyser, 'log-revoked-use')).toHaveLength(expected);
    }
  });
});

describe('auth-failures-on-one-node', () => {
  it('gives each node its failures against the others', () => {
    const analyser = new LogAnalyser();
    const add = feeder(analyser);
    for (let index = 0; index < 300; index++) {
      const node = `app${index % 3}`;
      add({ time: T0 + index * 1000, ip: '198.51.100.1', node, status: node === 'app2' && index % 2 === 0 ? 401 : 200 });
    }
    const nodes = nodesOf(analyser, 'log-node') as LogUpstream[];
    const bad = nodes.find((node) => node.name === 'app2')!;
    expect(bad).toMatchObject({ requests: 100, authFailures: 50, othersRequests: 200, othersAuthFailures: 0, nodes: 3 });
  });

  it('fires only for the concentrated node', async () => {
    const { report } = await runLogs({
      inputs: ['access.log'],
      read: { format: 'nginx' },
      readLogs: fakeReader((add) => {
        for (let index = 0; index < 300; index++) {
          const node = `app${index % 3}`;
          add({ time: T0 + index * 1000, node, status: node === 'app2' && index % 2 === 0 ? 401 : index % 50 === 0 ? 403 : 200 });
        }
      }),
    });
    expect(report.findings.map((finding) => [finding.ruleId, finding.message.split(' ').slice(0, 2).join(' ')])).toEqual([['auth-failures-on-one-node', 'node app2']]);
  });
});

describe('logout-storm', () => {
  function storm(spike: boolean) {
    const analyser = new LogAnalyser();
    const add = feeder(analyser);
    for (let minute = 0; minute < 30; minute++) {
      const node = minute >= 14 ? 'app-new' : 'app-old';
      for (let index = 0; index < 40; index++) {
        const failing = (spike && minute === 15 && index < 30) || index === 39;
        add({ time: T0 + minute * MIN + index * 1000, ip: `198.51.100.${index}`, node, status: failing ? 401 : 200 });
      }
    }
    return nodesOf(analyser, 'log-burst') as LogBurst[];
  }

  it('finds a spike of 401s across clients and names the node that just started', () => {
    const bursts = storm(true);
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({ start: T0 + 15 * MIN, failures: 31, clients: 31, bucketSeconds: 60 });
    expect(bursts[0].joined.map((join) => join.node)).toEqual(['app-new']);
  });

  it('says nothing of a steady failure rate', () => {
    expect(storm(false)).toEqual([]);
  });
});

describe('missing-correlation-id', () => {
  it('counts requests without an id, per input', () => {
    const analyser = new LogAnalyser();
    const add = feeder(analyser);
    for (let index = 0; index < 10; index++) add({ time: T0, requestId: index === 4 ? '-' : `r${index}` });
    const [source] = nodesOf(analyser, 'log-source', { ...SUMMARY, hasRequestIdField: true }) as LogSource[];
    expect(source).toMatchObject({ requests: 10, withoutRequestId: 1, hasRequestIdField: true, location: { line: 5 } });
  });

  it('judges each input by its own format: one whose every line lacks the id is the finding', () => {
    const analyser = new LogAnalyser();
    feeder(analyser, 'node1.log')({ time: T0, requestId: 'r1' });
    const node2 = feeder(analyser, 'node2.log');
    for (let index = 0; index < 3; index++) node2({ time: T0, requestId: '-' });
    const input = { format: 'nginx' as const, lines: 1, parsed: 1, skipped: 0 };
    const summary = { inputs: [{ file: 'node1.log', ...input }, { file: 'node2.log', ...input }], hasRequestIdField: true, requestIdInputs: ['node1.log', 'node2.log'] };
    const sources = nodesOf(analyser, 'log-source', summary) as LogSource[];
    expect(sources.find((source) => source.file === 'node2.log')).toMatchObject({ hasRequestIdField: true, withoutRequestId: 3 });
  });

  it('does not judge a format without a request id field', () => {
    const analyser = new LogAnalyser();
    feeder(analyser)({ time: T0 });
    expect(nodesOf(analyser, 'log-source')[0]).toMatchObject({ hasRequestIdField: false });
  });
});

describe('timeline', () => {
  it('keeps a bounded number of buckets: three days of minutes become wider buckets', () => {
    const analyser = new LogAnalyser({ maxBuckets: 1440 });
    const add = feeder(analyser);
    for (let minute = 0; minute < 3 * 1440; minute++) add({ time: T0 + minute * MIN, node: 'app1', status: minute % 10 === 0 ? 401 : 200 });
    const { timeline } = analyser.finish(SUMMARY).section;
    expect(timeline.bucketSeconds).toBe(240);
    expect(timeline.buckets).toBeLessThanOrEqual(1440);
    expect(timeline.nodes[0].requests.reduce((a, b) => a + b, 0)).toBe(3 * 1440);
    expect(timeline.nodes[0].failures.reduce((a, b) => a + b, 0)).toBe(432);
    expect(analyser.timeline.bucketCount).toBeLessThanOrEqual(1440);
  });

  it('caps the nodes: past 256 the rest count as (other)', () => {
    const analyser = new LogAnalyser();
    const add = feeder(analyser);
    for (let index = 0; index < 300; index++) add({ time: T0 + index * 1000, node: `10.1.${index >> 8}.${index & 255}:80` });
    const { nodes, section } = analyser.finish(SUMMARY);
    expect(section.timeline.nodes.map((node) => node.name)).toContain('(other)');
    expect(section.timeline.total.requests.reduce((sum, value) => sum + value, 0)).toBe(300);
    expect(nodes.filter((node) => node.kind === 'log-node')).toHaveLength(256);
  });

  it('handles inputs out of time order (one file per node)', () => {
    const analyser = new LogAnalyser();
    const add = feeder(analyser);
    for (let minute = 10; minute < 20; minute++) add({ time: T0 + minute * MIN, node: 'app1' });
    for (let minute = 0; minute < 10; minute++) add({ time: T0 + minute * MIN, node: 'app2' });
    const { timeline } = analyser.finish(SUMMARY).section;
    expect(timeline.start).toBe(T0);
    expect(timeline.buckets).toBe(20);
    expect(timeline.nodes.find((node) => node.name === 'app2')!.requests.slice(0, 10)).toEqual(new Array(10).fill(1));
  });

  it('logs without any time: no timeline, the rest still judged (the whole input is one window)', () => {
    const analyser = new LogAnalyser();
    const add = feeder(analyser);
    for (let index = 0; index < 6; index++) add({ ip: `203.0.113.${index}`, session: 'shared', node: `app${index % 2}` });
    const { nodes, section } = analyser.finish(SUMMARY);
    expect(section.timeline).toMatchObject({ start: null, buckets: 0 });
    expect(section.from).toBeNull();
    expect(nodes.find((node) => node.kind === 'log-session')).toMatchObject({ ipsInWindow: 6 });
    expect(nodes.filter((node) => node.kind === 'log-node').map((node) => (node as LogUpstream).firstTime)).toEqual([Number.NaN, Number.NaN]);
  });

  it('lines without a time take the time of the line before', () => {
    const analyser = new LogAnalyser();
    const add = feeder(analyser);
    add({ time: T0 });
    add({ time: Number.NaN });
    expect(analyser.finish(SUMMARY).section.timeline.total.requests).toEqual([2]);
  });
});

/** A ReadLogs that feeds records made by `fill` (what tests of runLogs use instead of files). */
function fakeReader(fill: (add: (fields: Partial<LogRecord>) => void) => void, partial: Partial<RuleOptions> = {}): ReadLogs {
  void partial;
  return async (inputs, _options, onRecord) => {
    const record: LogRecord = { file: inputs[0], line: 0, time: Number.NaN };
    let line = 0;
    fill((fields) => {
      for (const key of Object.keys(record) as (keyof LogRecord)[]) if (key !== 'file') delete record[key];
      Object.assign(record, { file: inputs[0], line: ++line, time: Number.NaN, status: 200 }, fields);
      onRecord(record);
    });
    return { inputs: [{ file: inputs[0], format: 'nginx', lines: line, parsed: line, skipped: 0 }], hasRequestIdField: false };
  };
}
