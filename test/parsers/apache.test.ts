import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { Affinity } from '../../src/model/index.js';
import { apacheParser } from '../../src/parsers/apache.js';
import { detects, parseErrorOf, parseFixture, parseText } from '../support/parse.js';

const DIR = 'fixtures/parsers/apache';

function summary(affinities: Affinity[]): string[] {
  return affinities.map((a) => `${a.location.file}:${a.location.line}:${a.location.column} ${a.pool} ${a.mechanism} | ${a.detail}`);
}

function parse(text: string, fileName = 'parsers/apache/inline.conf'): Affinity[] {
  return parseText(apacheParser, fileName, text);
}

const errorOf = (text: string): ParseError => parseErrorOf(apacheParser, 'parsers/apache/broken.conf', text);

const ROUTEID = 'Header add Set-Cookie "ROUTEID=.%{BALANCER_WORKER_ROUTE}e; path=/" env=BALANCER_ROUTE_CHANGED';

describe('apache parser: multi-feature fixture with includes', () => {
  const affinities = parseFixture(apacheParser, `${DIR}/conf/httpd.conf`);

  it('finds every stickysession, in file order, included files with their own file/line', () => {
    expect(summary(affinities)).toEqual([
      `${DIR}/conf.d/routeid.conf:10:9 balancer://appcluster lb-cookie | stickysession=ROUTEID (routes: 1, 2)`,
      `${DIR}/conf.d/secure.conf:10:9 balancer://securecluster lb-cookie | stickysession=LBROUTE (routes: s1, s2)`,
      `${DIR}/conf/httpd.conf:31:1 balancer://mycluster app-cookie | stickysession=JSESSIONID|jsessionid nofailover=On (routes: tomcat1, tomcat2, tomcat3)`,
      `${DIR}/conf/httpd.conf:43:1 balancer://shopcluster app-cookie | stickysession=SHOPSESSION (routes: shop1, shop2)`,
    ]);
    for (const affinity of affinities) expect(affinity.format).toBe('apache');
  });

  it('routes alone (balancer://hotcluster) and commented-out ProxySet are not affinity', () => {
    expect(affinities.map((a) => a.pool)).not.toContain('balancer://hotcluster');
  });

  const byPool = (pool: string) => affinities.find((a) => a.pool === pool)!;

  it('the ROUTEID idiom is a balancer cookie, with attributes from the Set-Cookie header and its location', () => {
    expect(byPool('balancer://appcluster').cookie).toEqual({
      name: 'ROUTEID',
      maxAgeSeconds: null,
      lifetimeText: 'session cookie (no Max-Age or Expires)',
      secure: false,
      httpOnly: false,
      location: { file: `${DIR}/conf.d/routeid.conf`, line: 6, column: 5 },
    });
    expect(byPool('balancer://securecluster').cookie).toEqual({
      name: 'LBROUTE',
      maxAgeSeconds: 3600,
      lifetimeText: 'Max-Age=3600',
      secure: true,
      httpOnly: true,
      location: { file: `${DIR}/conf.d/secure.conf`, line: 5, column: 9 },
    });
  });

  it("a back-end session cookie carries only its name: its lifetime and flags are the application's", () => {
    expect(byPool('balancer://mycluster').cookie).toEqual({ name: 'JSESSIONID' });
  });

  it('evidence is the directive on one line, continuation lines joined', () => {
    expect(byPool('balancer://appcluster').evidence).toBe('ProxySet stickysession=ROUTEID');
    expect(byPool('balancer://shopcluster').evidence).toBe(
      'ProxySet "balancer://${CLUSTER}" lbmethod=byrequests stickysession=SHOPSESSION',
    );
  });
});

describe('apache parser: balancer settings', () => {
  it('ProxySet inside <Proxy>, ProxySet naming the balancer and ProxyPass each switch it on', () => {
    const text = [
      '<Proxy "balancer://a">',
      '    BalancerMember "http://a1" route=a1',
      '    ProxySet stickysession=JSESSIONID',
      '</Proxy>',
      'ProxySet "balancer://B" stickysession=sid',
      'ProxyPass "/c" "balancer://c/app" stickysession=PHPSESSID nofailover=Off',
      '<Location "/d">',
      '    ProxyPass "balancer://d/" stickysession=D',
      '</Location>',
      'ProxyPassMatch "^/e/(.*)$" "balancer://e/$1" stickysession=E',
      'BalancerMember balancer://c http://c1:8080 route=c1',
    ].join('\n');
    expect(summary(parse(text))).toEqual([
      'parsers/apache/inline.conf:3:5 balancer://a app-cookie | stickysession=JSESSIONID (routes: a1)',
      'parsers/apache/inline.conf:5:1 balancer://B app-cookie | stickysession=sid',
      'parsers/apache/inline.conf:6:1 balancer://c app-cookie | stickysession=PHPSESSID nofailover=Off (routes: c1)',
      'parsers/apache/inline.conf:8:5 balancer://d app-cookie | stickysession=D',
      'parsers/apache/inline.conf:10:1 balancer://e app-cookie | stickysession=E',
    ]);
  });

  it('a stickysession naming only a URL parameter is a query affinity', () => {
    const [found] = parse('ProxyPass "/" "balancer://x/" stickysession=|jsessionid');
    expect(found.mechanism).toBe('query');
    expect(found.cookie).toBeUndefined();
  });

  it('nothing without stickysession, on non-balancer workers, or commented out', () => {
    const text = [
      '<Proxy balancer://x>',
      '  BalancerMember http://a route=1',
      '  BalancerMember http://b route=2',
      '  ProxySet lbmethod=bytraffic',
      '  # ProxySet stickysession=ROUTEID',
      '</Proxy>',
      'ProxyPass / balancer://x/',
      'ProxyPass /y http://backend/ stickysession=JSESSIONID',
      '#ProxyPass /z balancer://x/ stickysession=JSESSIONID',
      'ProxySet stickysession=outside-any-section',
    ].join('\n');
    expect(parse(text)).toEqual([]);
  });

  it('the ROUTEID cookie: Max-Age wins over Expires, flags from attributes, a far Expires is long', () => {
    const cookieOf = (setCookie: string) =>
      parse(`Header add Set-Cookie "${setCookie}" env=BALANCER_ROUTE_CHANGED\nProxyPass / balancer://x/ stickysession=ROUTEID`)[0].cookie;
    expect(cookieOf('ROUTEID=.%{BALANCER_WORKER_ROUTE}e; Max-Age=600; Expires=Fri, 31 Dec 2100 23:59:59 GMT; Secure')).toMatchObject({
      maxAgeSeconds: 600,
      lifetimeText: 'Max-Age=600',
      secure: true,
      httpOnly: false,
    });
    const far = cookieOf('ROUTEID=.%{BALANCER_WORKER_ROUTE}e; Expires=Fri, 31 Dec 2100 23:59:59 GMT; HttpOnly');
    expect(far?.maxAgeSeconds).toBeGreaterThan(86400 * 365);
    expect([far?.secure, far?.httpOnly]).toEqual([false, true]);
    expect(cookieOf('ROUTEID=.%{BALANCER_WORKER_ROUTE}e; Max-Age=%{ENV}e')?.maxAgeSeconds).toBeUndefined();
  });

  it('Header always edit Set-Cookie adding Secure/HttpOnly hardens the ROUTEID cookie', () => {
    const text = `${ROUTEID}\nHeader always edit Set-Cookie ^(.*)$ $1;HttpOnly;Secure\nProxyPass / balancer://x/ stickysession=ROUTEID`;
    expect(parse(text)[0].cookie).toMatchObject({ secure: true, httpOnly: true });
  });

  it('Define values are substituted in order', () => {
    const text = 'Define LB one\nProxySet balancer://${LB} stickysession=A\nDefine LB two\nProxySet balancer://${LB} stickysession=B\nUnDefine LB\nProxySet balancer://${LB} stickysession=C';
    expect(parse(text).map((a) => a.pool)).toEqual(['balancer://one', 'balancer://two', 'balancer://${LB}']);
  });
});

describe('apache parser: includes', () => {
  it('includes a folder, follows includes relative to the main file, skips missing ones', () => {
    const text = 'Include ../apache/conf.d\nInclude /nonexistent/httpd/conf.modules.d/*.conf\nIncludeOptional missing.conf\n';
    expect(parse(text, 'parsers/apache/conf/folder.conf').map((a) => a.pool)).toEqual([
      'balancer://appcluster',
      'balancer://securecluster',
    ]);
  });

  it('an include cycle is followed once', () => {
    const text = 'Include inline.conf\nProxyPass / balancer://x/ stickysession=S\n';
    expect(summary(parse(text))).toEqual(['parsers/apache/inline.conf:2:1 balancer://x app-cookie | stickysession=S']);
  });
});

describe('apache parser: syntax', () => {
  it('quotes, continuation lines, # not at line start, CRLF', () => {
    const text = '# c\r\nProxyPass "/a b" \\\r\n   "balancer://x/" stickysession=JSESSIONID#x\r\n';
    const [found] = parse(text);
    expect(found.location).toEqual({ file: 'parsers/apache/inline.conf', line: 2, column: 1 });
    expect(found.cookie?.name).toBe('JSESSIONID#x');
    expect(found.evidence).toBe('ProxyPass "/a b" "balancer://x/" stickysession=JSESSIONID#x');
  });

  const errors: Array<[string, string, string, number, number]> = [
    ['mismatched close', '<VirtualHost *:80>\n  <Proxy balancer://x>\n  </VirtualHost>\n', 'expected "</Proxy>" (opened at line 2) but saw "</VirtualHost>"', 3, 3],
    ['close without open', 'ServerName x\n</Proxy>\n', '"</Proxy>" without matching "<Proxy>" section', 2, 1],
    ['section never closed', '<VirtualHost *:80>\n  ServerName x\n', '"<VirtualHost>" is never closed', 1, 1],
    ['section missing >', '<Proxy balancer://x\n</Proxy>\n', '"<Proxy" is missing its closing ">"', 1, 1],
    ['empty section', '  <>\n', 'empty section name "<>"', 1, 3],
  ];
  for (const [name, text, message, line, column] of errors) {
    it(`ParseError: ${name}`, () => {
      const error = errorOf(text);
      expect([error.message, error.file, error.line, error.column]).toEqual([message, 'parsers/apache/broken.conf', line, column]);
    });
  }

  it('too deep nesting is a ParseError, not a stack overflow', () => {
    expect(errorOf('<IfModule x>\n'.repeat(500)).message).toBe('sections nested too deeply');
  });
});

describe('apache parser: detection', () => {
  const yes: Array<[string, string]> = [
    ['httpd.conf', 'ServerRoot "/etc/httpd"\n'],
    ['apache2.conf', '# empty\n'],
    ['.htaccess', 'RewriteEngine On\n'],
    ['conf/extra/httpd-vhosts.conf', '<VirtualHost *:80>\n</VirtualHost>\n'],
    ['etc/apache2/sites-available/000-default.conf', '<VirtualHost *:80>\n\tDocumentRoot /var/www/html\n</VirtualHost>\n'],
    ['etc/httpd/conf.d/proxy.conf', 'ProxyPass "/" "balancer://mycluster/" stickysession=JSESSIONID|jsessionid\n'],
    ['balancer.conf', '<Proxy balancer://x>\n  BalancerMember http://a\n</Proxy>\n'],
    ['modules.conf', 'LoadModule proxy_module modules/mod_proxy.so\n'],
    ['site.conf', 'ServerName www.example.com\nDocumentRoot /srv/www\n'],
  ];
  for (const [file, text] of yes) it(`detects ${file}`, () => expect(detects(apacheParser, file, text)).toBe(true));

  const no: Array<[string, string]> = [
    ['nginx.conf', 'events {}\n'],
    ['site.conf', 'server {\n  listen 80;\n  server_name example.com;\n}\n'],
    ['httpd.conf', 'http {\n  server {\n    listen 80;\n  }\n}\n'],
    ['supervisord.conf', '[program:app]\ncommand=/usr/bin/app\n'],
    ['redis.conf', 'port 6379\n'],
    ['haproxy.cfg', 'listen stats\n  bind :8404\n'],
    ['apache2/README.md', '<VirtualHost *:80>\n</VirtualHost>\n'],
    ['docker-compose.yml', 'services:\n  web:\n    image: httpd\n'],
    ['php-fpm.d/www.conf', '[www]\nuser = www-data\nlisten = 127.0.0.1:9000\n'],
    ['app.conf', 'listen 8080\nservername example\n'],
  ];
  for (const [file, text] of no) it(`does not detect ${file}`, () => expect(detects(apacheParser, file, text)).toBe(false));
});
