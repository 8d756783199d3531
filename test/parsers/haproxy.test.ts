import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { haproxyParser } from '../../src/parsers/haproxy.js';
import { detects, parseFixture, parseText, parseErrorOf } from '../support/parse.js';

const summary = (file: string) =>
  parseFixture(haproxyParser, file).map((a) => ({ line: a.location.line, mechanism: a.mechanism, pool: a.pool, detail: a.detail }));

const parseError = (text: string, file = 'haproxy.cfg'): ParseError => parseErrorOf(haproxyParser, file, text);

describe('haproxy parser', () => {
  it('finds every kind of persistence in a full config', () => {
    expect(summary('fixtures/parsers/haproxy/haproxy.cfg')).toEqual([
      { line: 28, mechanism: 'lb-cookie', pool: 'backend web', detail: 'cookie SERVERID insert indirect nocache' },
      { line: 33, mechanism: 'client-ip', pool: 'backend api', detail: 'balance source (hash-type consistent)' },
      { line: 39, mechanism: 'app-cookie', pool: 'backend shop', detail: 'cookie JSESSIONID prefix nocache' },
      {
        line: 44,
        mechanism: 'lb-cookie',
        pool: 'backend secure_app',
        detail: 'cookie SRV insert indirect nocache httponly secure maxidle 30m maxlife 8h',
      },
      { line: 59, mechanism: 'client-ip', pool: 'backend smtp', detail: 'stick match src table pop' },
      {
        line: 65,
        mechanism: 'app-cookie',
        pool: 'backend sessions',
        detail: 'stick match req.cook(SessionId) (stick-table type string len 32 size 10k expire 4h)',
      },
      { line: 71, mechanism: 'app-cookie', pool: 'backend legacy', detail: 'appsession JSESSIONID len 52 timeout 3h' },
      { line: 76, mechanism: 'query', pool: 'backend search', detail: 'balance url_param userid' },
      { line: 81, mechanism: 'header', pool: 'backend tenants', detail: 'balance hdr(X-Tenant)' },
    ]);
  });

  it('reads cookie attributes: insert is a session cookie unless maxlife/maxidle bound it', () => {
    const byPool = new Map(parseFixture(haproxyParser, 'fixtures/parsers/haproxy/haproxy.cfg').map((a) => [a.pool, a]));
    const web = byPool.get('backend web')!;
    expect(web.location).toEqual({ file: 'fixtures/parsers/haproxy/haproxy.cfg', line: 28, column: 5 });
    expect(web.evidence).toBe('cookie SERVERID insert indirect nocache');
    expect(web.cookie).toEqual({ name: 'SERVERID', maxAgeSeconds: null, lifetimeText: 'session cookie', secure: false, httpOnly: false });
    expect(byPool.get('backend secure_app')!.cookie).toEqual({
      name: 'SRV',
      maxAgeSeconds: 28800,
      lifetimeText: 'maxlife 8h',
      secure: true,
      httpOnly: true,
    });
    // prefix: the application's own cookie; its flags and lifetime are the application's
    expect(byPool.get('backend shop')!.cookie).toEqual({ name: 'JSESSIONID' });
    expect(byPool.get('backend sessions')!.cookie).toEqual({ name: 'SessionId' });
    expect(byPool.get('backend legacy')!.cookie).toEqual({ name: 'JSESSIONID' });
    expect(byPool.get('backend api')!.cookie).toBeUndefined();
  });

  it('inherits balance and cookie from the defaults section before the proxy, or the one named by "from"', () => {
    expect(summary('fixtures/parsers/haproxy/inherit.cfg')).toEqual([
      { line: 5, mechanism: 'client-ip', pool: 'backend app1', detail: 'balance source' },
      { line: 6, mechanism: 'lb-cookie', pool: 'backend app1', detail: 'cookie LB insert secure httponly maxlife 1h' },
      { line: 14, mechanism: 'app-cookie', pool: 'backend app2', detail: 'cookie APP2 rewrite (no server line sets a cookie value)' },
      { line: 24, mechanism: 'client-ip', pool: 'backend app3', detail: 'balance source' },
      { line: 24, mechanism: 'client-ip', pool: 'listen db', detail: 'balance source' },
    ]);
  });

  it('follows .if/.elif/.else and backslash escapes', () => {
    const found = parseFixture(haproxyParser, 'fixtures/parsers/haproxy/conditional.cfg');
    expect(found.map((a) => [a.location.line, a.mechanism, a.detail])).toEqual([
      [12, 'header', 'balance hdr(X-Session)'],
      [21, 'header', 'stick on req.hdr(X User) (stick-table type string len 64 size 1m expire 1h)'],
    ]);
  });

  it('maps balance algorithms and stick samples to mechanisms', () => {
    const one = (lines: string) =>
      parseText(haproxyParser, 'x.cfg', `backend b\n${lines}\n    server s 10.0.0.1:80\n`).map((a) => [a.mechanism, a.detail, a.cookie?.name]);
    expect(one('    balance rdp-cookie')).toEqual([['app-cookie', 'balance rdp-cookie', 'mstshash']]);
    expect(one('    balance rdp-cookie(user)')).toEqual([['app-cookie', 'balance rdp-cookie(user)', 'user']]);
    expect(one('    balance hdr(X-Forwarded-For)')).toEqual([['client-ip', 'balance hdr(X-Forwarded-For)', undefined]]);
    expect(one('    balance hdr(host)')).toEqual([]);
    expect(one('    balance hash req.cookie(sid)')).toEqual([['app-cookie', 'balance hash req.cookie(sid)', 'sid']]);
    expect(one('    balance hash path')).toEqual([]);
    for (const plain of ['roundrobin', 'static-rr', 'leastconn', 'first', 'random', 'random(2)', 'uri', 'uri whole']) {
      expect(one(`    balance ${plain}`)).toEqual([]);
    }
    expect(one('    stick-table type ip size 1m\n    stick on src,ipmask(24)')).toEqual([
      ['client-ip', 'stick on src,ipmask(24) (stick-table type ip size 1m)', undefined],
    ]);
    expect(one('    stick-table type ip size 1m\n    stick on hdr(x-forwarded-for)')[0][0]).toBe('client-ip');
    expect(one('    stick-table type string size 1m\n    stick on url_param(sid)')[0][0]).toBe('query');
    expect(one('    stick-table type string size 1m\n    stick on cookie(PHPSESSID)')[0]).toEqual([
      'app-cookie',
      'stick on cookie(PHPSESSID) (stick-table type string size 1m)',
      'PHPSESSID',
    ]);
    expect(one('    stick-table type binary len 32 size 30k expire 30m\n    stick on payload_lv(43,1) if clienthello')[0][0]).toBe('stick-table');
    // store rules only fill the table; one match/on rule per mechanism makes one affinity
    expect(one('    stick-table type ip size 1m\n    stick store-request src')).toEqual([]);
    expect(one('    stick-table type ip size 1m\n    stick on src\n    stick match src')).toHaveLength(1);
  });

  it('reads attr flags, Max-Age and dynamic cookies', () => {
    const [withAttrs] = parseText(
      haproxyParser,
      'x.cfg',
      'backend b\n    cookie SRV insert attr "SameSite=None" attr Secure attr "Max-Age=600"\n    server a 10.0.0.1:80 cookie a\n',
    );
    expect(withAttrs.cookie).toEqual({ name: 'SRV', maxAgeSeconds: 600, lifetimeText: 'attr Max-Age=600', secure: true, httpOnly: false });
    const [idle] = parseText(haproxyParser, 'x.cfg', 'backend b\n    cookie SRV insert maxidle 2d\n    server a 10.0.0.1:80 cookie a\n');
    expect(idle.cookie?.maxAgeSeconds).toBe(172800);
    const [dynamic] = parseText(haproxyParser, 'x.cfg', 'backend b\n    cookie SRV insert dynamic\n    dynamic-cookie-key k\n    server a 10.0.0.1:80\n');
    expect(dynamic.detail).toBe('cookie SRV insert dynamic');
    const [missing] = parseText(haproxyParser, 'x.cfg', 'backend b\n    cookie SRV insert\n    server a 10.0.0.1:80\n');
    expect(missing.detail).toBe('cookie SRV insert (no server line sets a cookie value)');
  });

  it('ignores cookie persistence in an explicit tcp-mode proxy', () => {
    expect(parseText(haproxyParser, 'x.cfg', 'backend b\n    mode tcp\n    cookie SRV insert\n    server a 10.0.0.1:80 cookie a\n')).toEqual([]);
  });

  it('finds nothing in the negative rule fixtures', () => {
    for (const name of ['haproxy-roundrobin.ok.cfg', 'haproxy-rate-limit.ok.cfg', 'haproxy-commented-out.ok.cfg', 'haproxy-if-zero.ok.cfg']) {
      expect(parseFixture(haproxyParser, `fixtures/rules/sticky-session/${name}`), name).toEqual([]);
    }
  });

  it('detects haproxy.cfg and HAProxy-looking .cfg/.conf files only', () => {
    const config = 'global\n    daemon\n\nfrontend www\n    bind :80\n    default_backend app\n\nbackend app\n    server a 10.0.0.1:80\n';
    expect(detects(haproxyParser, 'haproxy.cfg', '')).toBe(true);
    expect(detects(haproxyParser, 'deploy/lb.cfg', config)).toBe(true);
    expect(detects(haproxyParser, 'etc/haproxy.conf', config)).toBe(true);
    expect(detects(haproxyParser, 'lb.txt', config)).toBe(false);
    expect(detects(haproxyParser, 'setup.cfg', '[metadata]\nname = pkg\n[options]\npackages = find:\n')).toBe(false);
    const nginx = 'http {\n    upstream app {\n        server 10.0.0.1:80;\n    }\n    server {\n        listen 80;\n    }\n}\n';
    expect(detects(haproxyParser, 'nginx.conf', nginx)).toBe(false);
    const nginxFlat = 'listen 80;\nserver_name x;\nserver 10.0.0.1:80;\nbackend b;\n';
    expect(detects(haproxyParser, 'site.conf', nginxFlat)).toBe(false);
    const apache = '<VirtualHost *:80>\n    ProxyPass / balancer://app/\n</VirtualHost>\nlisten 80\nserver x\n';
    expect(detects(haproxyParser, 'httpd.conf', apache)).toBe(false);
  });

  it('throws located parse errors', () => {
    const quote = parseError('backend app\n    http-request set-header X "unterminated\n');
    expect([quote.message, quote.file, quote.line, quote.column]).toEqual(['unterminated double-quoted string', 'haproxy.cfg', 2, 31]);
    const outside = parseError('# comment\n  bind :80\nbackend app\n');
    expect([outside.message, outside.line, outside.column]).toEqual(['"bind" outside of any section', 2, 3]);
    const noName = parseError('global\nbackend\n    server a 10.0.0.1:80\n');
    expect([noName.message, noName.line, noName.column]).toEqual(['"backend" needs a name', 2, 1]);
    const endif = parseError('backend app\n.endif\n');
    expect([endif.message, endif.line, endif.column]).toEqual(['".endif" without ".if"', 2, 1]);
    const open = parseError('backend app\n.if 1\n    balance source\n');
    expect([open.message, open.line]).toEqual(['missing ".endif"', 4]);
    const cookie = parseError('defaults\n    cookie\n');
    expect([cookie.message, cookie.line, cookie.column]).toEqual(['"cookie" needs a cookie name', 2, 5]);
    const modes = parseError('backend app\n    cookie SRV insert prefix\n');
    expect([modes.message, modes.line, modes.column]).toEqual(['"cookie": "prefix" cannot be combined with "insert"', 2, 23]);
    const stick = parseError('backend app\n    stick on if is_api\n');
    expect([stick.message, stick.line, stick.column]).toEqual(['"stick on" needs a sample expression', 2, 11]);
  });

  it('keeps quoted "#" and escaped spaces inside words', () => {
    const [found] = parseText(haproxyParser, 'x.cfg', 'backend b\n    balance hdr("X#Id") # trailing comment\n    server a 10.0.0.1:80\n');
    expect(found.detail).toBe('balance hdr(X#Id)');
    expect(found.evidence).toBe('balance hdr("X#Id") # trailing comment');
  });
});
