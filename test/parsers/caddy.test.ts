import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { caddyParser } from '../../src/parsers/caddy.js';
import { detects, parseFixture, parseText, parseErrorOf } from '../support/parse.js';

const summary = (file: string) =>
  parseFixture(caddyParser, file).map((a) => ({
    line: a.location.line,
    column: a.location.column,
    mechanism: a.mechanism,
    pool: a.pool,
    detail: a.detail,
  }));

const parseError = (text: string, file = 'Caddyfile'): ParseError => parseErrorOf(caddyParser, file, text);

const site = (body: string, address = 'example.com') => `${address} {\n\treverse_proxy a:80 b:80 {\n${body}\n\t}\n}\n`;

describe('caddy parser: Caddyfile', () => {
  it('finds every sticky lb_policy, through snippets, handle blocks and fallbacks', () => {
    expect(summary('fixtures/parsers/caddy/Caddyfile')).toEqual([
      {
        line: 19,
        column: 3,
        mechanism: 'lb-cookie',
        pool: 'reverse_proxy node1:80 node2:80 node3:80 @ example.com',
        detail: 'lb_policy cookie api_sticky',
      },
      { line: 23, column: 4, mechanism: 'client-ip', pool: 'reverse_proxy ws1:8080 ws2:8080 @ example.com', detail: 'lb_policy ip_hash' },
      {
        line: 8,
        column: 2,
        mechanism: 'lb-cookie',
        pool: 'reverse_proxy app1:8080 app2:8080 @ shop.example.com, www.shop.example.com',
        detail: 'lb_policy cookie shop_lb',
      },
      {
        line: 43,
        column: 3,
        mechanism: 'lb-cookie',
        pool: 'reverse_proxy 10.0.0.1:8080 10.0.0.2:8080 @ http://internal.example.com',
        detail: 'lb_policy cookie srv_id <secret>',
      },
      { line: 49, column: 3, mechanism: 'header', pool: 'reverse_proxy app1:9000 app2:9000 @ :8080', detail: 'lb_policy header X-Upstream' },
      { line: 58, column: 3, mechanism: 'query', pool: 'reverse_proxy api1:80 api2:80 @ api.example.com', detail: 'lb_policy query tenant' },
    ]);
  });

  it('sets the cookie attributes Caddy uses: HttpOnly always, Secure on TLS sites, no expiry without max_age', () => {
    const found = parseFixture(caddyParser, 'fixtures/parsers/caddy/Caddyfile');
    const cookies = found.filter((a) => a.cookie).map((a) => a.cookie);
    expect(cookies).toEqual([
      { name: 'api_sticky', maxAgeSeconds: null, lifetimeText: 'session cookie', httpOnly: true, secure: true },
      { name: 'shop_lb', maxAgeSeconds: 7200, lifetimeText: 'max_age 2h', httpOnly: true, secure: true },
      { name: 'srv_id', maxAgeSeconds: null, lifetimeText: 'session cookie', httpOnly: true, secure: false },
    ]);
    const internal = found.find((a) => a.pool.endsWith('@ http://internal.example.com'))!;
    expect(internal.evidence).toBe('lb_policy cookie srv_id "<secret>"');
    expect(found[2].evidence).toBe('lb_policy cookie {args[0]} {');
  });

  it('reads a site without braces', () => {
    expect(summary('fixtures/parsers/caddy/single.caddy')).toEqual([
      { line: 5, column: 2, mechanism: 'client-ip', pool: 'reverse_proxy app1:3000 app2:3000 @ localhost', detail: 'lb_policy client_ip_hash' },
    ]);
  });

  it('maps each policy', () => {
    const mechanisms = (body: string) => parseText(caddyParser, 'Caddyfile', site(body)).map((a) => a.mechanism);
    expect(mechanisms('\t\tlb_policy ip_hash')).toEqual(['client-ip']);
    expect(mechanisms('\t\tlb_policy client_ip_hash')).toEqual(['client-ip']);
    expect(mechanisms('\t\tlb_policy header X-Forwarded-For')).toEqual(['client-ip']);
    expect(mechanisms('\t\tlb_policy header Host')).toEqual([]);
    expect(mechanisms('\t\tlb_policy query sid')).toEqual(['query']);
    expect(mechanisms('\t\tlb_policy cookie')).toEqual(['lb-cookie']);
    expect(mechanisms('\t\tlb_policy query sid {\n\t\t\tfallback ip_hash\n\t\t}')).toEqual(['query', 'client-ip']);
    for (const plain of ['random', 'random_choose 2', 'first', 'round_robin', 'weighted_round_robin 5 1', 'least_conn', 'uri_hash']) {
      expect(mechanisms(`\t\tlb_policy ${plain}`), plain).toEqual([]);
    }
    expect(mechanisms('\t\thealth_uri /healthz')).toEqual([]);
  });

  it('names the default cookie "lb" and reads max_age', () => {
    const [plain] = parseText(caddyParser, 'Caddyfile', site('\t\tlb_policy cookie'));
    expect(plain.cookie).toEqual({ name: 'lb', maxAgeSeconds: null, lifetimeText: 'session cookie', httpOnly: true, secure: true });
    const [aged] = parseText(caddyParser, 'Caddyfile', site('\t\tlb_policy cookie sticky {\n\t\t\tmax_age 2d\n\t\t}'));
    expect(aged.cookie).toMatchObject({ name: 'sticky', maxAgeSeconds: 172800, lifetimeText: 'max_age 2d' });
  });

  it('tells Secure from the site address', () => {
    const secure = (address: string, globals = '') =>
      parseText(caddyParser, 'Caddyfile', globals + site('\t\tlb_policy cookie', address))[0].cookie?.secure;
    expect(secure('example.com')).toBe(true);
    expect(secure('https://example.com:8443')).toBe(true);
    expect(secure('http://example.com')).toBe(false);
    expect(secure('example.com:80')).toBe(false);
    expect(secure(':8080')).toBe(false);
    expect(secure('{$SITE_ADDRESS}')).toBeUndefined();
    expect(secure('example.com', '{\n\tauto_https off\n}\n')).toBeUndefined();
    expect(secure(':8080', '{\n\tservers {\n\t\ttrusted_proxies static private_ranges\n\t}\n}\n')).toBeUndefined();
  });

  it('handles addresses across lines, named routes, snippet arguments and php_fastcgi', () => {
    const text = [
      '(lb) {',
      '\tlb_policy {args[0]}',
      '}',
      'a.example.com,',
      '    b.example.com {',
      '\tphp_fastcgi php1:9000 php2:9000 {',
      '\t\timport lb ip_hash',
      '\t}',
      '}',
      '&(app-proxy) {',
      '\treverse_proxy app-01:8080 app-02:8080 {',
      '\t\tlb_policy cookie',
      '\t}',
      '}',
    ].join('\n');
    expect(parseText(caddyParser, 'Caddyfile', text).map((a) => [a.location.line, a.mechanism, a.pool])).toEqual([
      [2, 'client-ip', 'php_fastcgi php1:9000 php2:9000 @ a.example.com, b.example.com'],
      [12, 'lb-cookie', 'reverse_proxy app-01:8080 app-02:8080 @ &(app-proxy)'],
    ]);
  });

  it('finds nothing in commented-out or non-sticky configs', () => {
    expect(parseFixture(caddyParser, 'fixtures/rules/sticky-session/caddy-commented.ok.Caddyfile')).toEqual([]);
    expect(parseFixture(caddyParser, 'fixtures/rules/sticky-session/caddy-uri-hash.ok.Caddyfile')).toEqual([]);
  });

  it('throws located parse errors', () => {
    const close = parseError('example.com {\n\treverse_proxy a:80\n}\n}\n');
    expect([close.message, close.file, close.line, close.column]).toEqual(['unexpected "}"', 'Caddyfile', 4, 1]);
    const open = parseError('example.com {\n\treverse_proxy a:80 {\n\t\tlb_policy ip_hash\n}\n');
    expect([open.message, open.line, open.column]).toEqual(['unclosed "{"', 1, 13]);
    const quote = parseError('example.com {\n\trespond "hello\n}\n');
    expect([quote.message, quote.line, quote.column]).toEqual(['unterminated string', 2, 10]);
    const heredoc = parseError('example.com {\n\trespond <<HTML\n\t\t<p>hi</p>\n}\n');
    expect([heredoc.message, heredoc.line, heredoc.column]).toEqual(['unterminated heredoc "HTML"', 2, 10]);
    const header = parseError(site('\t\tlb_policy header'));
    expect([header.message, header.line, header.column]).toEqual(['lb_policy header needs a header field', 3, 13]);
    const maxAge = parseError(site('\t\tlb_policy cookie {\n\t\t\tmax_age soon\n\t\t}'));
    expect([maxAge.message, maxAge.line, maxAge.column]).toEqual(['invalid duration "soon"', 4, 12]);
    const global = parseError('a.example.com {\n}\n{\n\tdebug\n}\n');
    expect([global.message, global.line, global.column]).toEqual(['unexpected "{"', 3, 1]);
    const cycle = parseError('(a) {\n\timport a\n}\nexample.com {\n\timport a\n}\n');
    expect(cycle.message).toBe('import cycle through snippet "a"');
  });

  it('keeps placeholders, quoted braces and heredoc bodies out of the block structure', () => {
    const text =
      'example.com {\n\theader X-Host {host}\n\trespond "}" 200\n\trespond /doc <<EOF\n\t\t} {\n\t\tEOF\n\treverse_proxy a:80 b:80 {\n\t\tlb_policy ip_hash\n\t}\n}\n';
    expect(parseText(caddyParser, 'Caddyfile', text).map((a) => a.location.line)).toEqual([8]);
  });
});

describe('caddy parser: JSON', () => {
  it('reads selection policies in routes and subroutes, with fallbacks', () => {
    expect(summary('fixtures/parsers/caddy/caddy.json')).toEqual([
      {
        line: 20,
        column: 31,
        mechanism: 'lb-cookie',
        pool: 'reverse_proxy 10.0.0.1:8080 10.0.0.2:8080 @ shop.example.com',
        detail: 'policy cookie shop_lb',
      },
      { line: 41, column: 23, mechanism: 'header', pool: 'reverse_proxy 10.0.1.1:8080 10.0.1.2:8080 @ api.example.com', detail: 'policy header X-Tenant' },
      {
        line: 43,
        column: 37,
        mechanism: 'client-ip',
        pool: 'reverse_proxy 10.0.1.1:8080 10.0.1.2:8080 @ api.example.com',
        detail: 'policy client_ip_hash',
      },
      { line: 70, column: 61, mechanism: 'lb-cookie', pool: 'reverse_proxy app1:9000 app2:9000 @ server plain', detail: 'policy cookie lb' },
    ]);
    const cookies = parseFixture(caddyParser, 'fixtures/parsers/caddy/caddy.json').flatMap((a) => a.cookie ?? []);
    expect(cookies).toEqual([
      { name: 'shop_lb', maxAgeSeconds: 3600, lifetimeText: 'max_age 1h', httpOnly: true, secure: true },
      { name: 'lb', maxAgeSeconds: null, lifetimeText: 'session cookie', httpOnly: true, secure: false },
    ]);
  });

  it('reads max_age given in nanoseconds', () => {
    const [found] = parseFixture(caddyParser, 'fixtures/rules/sticky-cookie-lifetime/caddy-json-cookie-1h.ok.json');
    expect(found.cookie?.maxAgeSeconds).toBe(3600);
    expect(found.evidence).toBe('"selection_policy": { "policy": "cookie", "name": "srv_id", "max_age": 3600000000000 }');
  });

  it('keeps the cookie secret out of detail and evidence', () => {
    const text =
      '{"apps": {"http": {"servers": {"s": {"listen": [":443"], "routes": [{"match": [{"host": ["a.example.com"]}], "handle": [\n' +
      '{"handler": "reverse_proxy", "load_balancing": {"selection_policy": {"policy": "cookie", "name": "srv", "secret": "hunter2"}}}\n' +
      ']}]}}}}}\n';
    const [found] = parseText(caddyParser, 'caddy.json', text);
    expect(found.detail).toBe('policy cookie srv');
    expect(found.evidence).not.toContain('hunter2');
    expect(found.cookie).toMatchObject({ name: 'srv', secure: true, httpOnly: true });
  });

  it('throws located errors for broken JSON and bad durations', () => {
    const broken = parseError('{\n  "apps": {\n    "http": {\n      "servers": {,\n', 'caddy.json');
    expect(broken.line).toBe(4);
    const bad = parseError(
      '{"apps": {"http": {"servers": {"s": {"routes": [{"handle": [\n{"handler": "reverse_proxy", "load_balancing": {"selection_policy": {"policy": "cookie", "max_age": "soon"}}}\n]}]}}}}}\n',
      'caddy.json',
    );
    expect([bad.message, bad.line]).toEqual(['invalid max_age "soon"', 2]);
  });
});

describe('caddy parser: detection', () => {
  it('knows Caddyfiles by name and Caddy JSON by its apps.http', () => {
    for (const name of ['Caddyfile', 'deploy/Caddyfile', 'site.Caddyfile', 'site.caddyfile', 'Caddyfile.prod', 'app.caddy']) {
      expect(detects(caddyParser, name, 'example.com'), name).toBe(true);
    }
    for (const name of ['Caddyfile.md.bak.txt.json', 'nginx.conf', 'haproxy.cfg', 'caddy.yaml', 'README.md']) {
      expect(detects(caddyParser, name, 'example.com {\n}\n'), name).toBe(false);
    }
    expect(detects(caddyParser, 'caddy.json', '{}')).toBe(true);
    expect(detects(caddyParser, 'config/proxy.json', '{"apps": {"http": {"servers": {}}}}')).toBe(true);
    expect(detects(caddyParser, 'package.json', '{"name": "x", "scripts": {"http": {}}}')).toBe(false);
    expect(detects(caddyParser, 'template.json', '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}')).toBe(false);
  });
});
