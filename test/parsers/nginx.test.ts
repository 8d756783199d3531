import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { Affinity } from '../../src/model/index.js';
import { nginxParser } from '../../src/parsers/nginx.js';
import { detects, parseFixture, parseText, parseErrorOf } from '../support/parse.js';

const DIR = 'fixtures/parsers/nginx';

function summary(affinities: Affinity[]): string[] {
  return affinities.map((a) => `${a.location.file}:${a.location.line}:${a.location.column} ${a.pool} ${a.mechanism} | ${a.detail}`);
}

function one(text: string, fileName = 'parsers/nginx/inline.conf'): Affinity | undefined {
  const found = parseText(nginxParser, fileName, text);
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0];
}

const errorOf = (text: string, fileName = 'parsers/nginx/broken.conf'): ParseError => parseErrorOf(nginxParser, fileName, text);

describe('nginx parser: multi-feature fixture with includes', () => {
  const affinities = parseFixture(nginxParser, `${DIR}/nginx.conf`);

  it('finds every affinity, in order, with pools and locations (included files keep their own file/line)', () => {
    expect(summary(affinities)).toEqual([
      `${DIR}/nginx.conf:30:9 upstream backend client-ip | ip_hash`,
      `${DIR}/nginx.conf:45:9 upstream by_address client-ip | hash $remote_addr consistent`,
      `${DIR}/nginx.conf:54:9 upstream plus_cookie lb-cookie | sticky cookie srv_id expires=1h domain=.example.com path=/`,
      `${DIR}/nginx.conf:61:9 upstream plus_route route | sticky route $route_cookie $route_uri`,
      `${DIR}/nginx.conf:68:8 upstream plus_learn app-cookie | sticky learn create=$upstream_cookie_sessionid lookup=$cookie_sessionid zone=client_sessions:1m`,
      `${DIR}/nginx.conf:75:9 upstream by_session_cookie app-cookie | hash "\${cookie_PHPSESSID}" consistent`,
      `${DIR}/nginx.conf:81:9 upstream by_tenant header | hash $tenant_key`,
      `${DIR}/nginx.conf:87:9 upstream by_query query | hash user_$arg_username`,
      `${DIR}/nginx.conf:93:9 upstream by_forwarded client-ip | hash $scheme$http_x_forwarded_for$http_user_agent`,
      `${DIR}/snippets/shared-upstream.conf:2:5 upstream shared client-ip | hash $binary_remote_addr`,
      `${DIR}/conf.d/upstreams.conf:4:3 upstream legacy lb-cookie | sticky`,
      `${DIR}/conf.d/upstreams.conf:11:3 upstream legacy_hardened lb-cookie | sticky hash=sha1 name=srv domain=.example.com path=/ expires=1h secure httponly`,
      `${DIR}/conf.d/upstreams.conf:19:3 upstream plus_forever lb-cookie | sticky cookie srv_id expires=max httponly secure samesite=strict path=/`,
    ]);
    for (const affinity of affinities) {
      expect(affinity.kind).toBe('affinity');
      expect(affinity.format).toBe('nginx');
    }
  });

  it('does not report hashes on non-client keys or commented-out directives', () => {
    const pools = affinities.map((a) => a.pool);
    expect(pools).not.toContain('upstream cache_nodes');
    expect(pools).not.toContain('upstream round_robin');
  });

  const byPool = (pool: string) => affinities.find((a) => a.pool === pool)!;

  it('evidence is the trimmed line, or the whole directive on one line when it spans several', () => {
    expect(byPool('upstream backend').evidence).toBe('ip_hash;');
    expect(byPool('upstream plus_learn').evidence).toBe(
      'sticky learn create=$upstream_cookie_sessionid lookup=$cookie_sessionid zone=client_sessions:1m;',
    );
  });

  it('NGINX Plus sticky cookie: lifetime from expires=, flags false when not given', () => {
    expect(byPool('upstream plus_cookie').cookie).toEqual({
      name: 'srv_id',
      maxAgeSeconds: 3600,
      lifetimeText: 'expires=1h',
      secure: false,
      httpOnly: false,
    });
    expect(byPool('upstream plus_forever').cookie).toEqual({
      name: 'srv_id',
      maxAgeSeconds: 315360000,
      lifetimeText: 'expires=max',
      secure: true,
      httpOnly: true,
    });
  });

  it('nginx-sticky-module-ng: default name "route", session cookie without expires', () => {
    expect(byPool('upstream legacy').cookie).toEqual({
      name: 'route',
      maxAgeSeconds: null,
      lifetimeText: 'session cookie (no expires)',
      secure: false,
      httpOnly: false,
    });
    expect(byPool('upstream legacy_hardened').cookie).toEqual({
      name: 'srv',
      maxAgeSeconds: 3600,
      lifetimeText: 'expires=1h',
      secure: true,
      httpOnly: true,
    });
  });

  it("application cookies carry only the name: their lifetime and flags are the app's", () => {
    expect(byPool('upstream plus_learn').cookie).toEqual({ name: 'sessionid' });
    expect(byPool('upstream by_session_cookie').cookie).toEqual({ name: 'PHPSESSID' });
    expect(byPool('upstream by_tenant').cookie).toBeUndefined();
    expect(byPool('upstream plus_route').cookie).toBeUndefined();
  });
});

describe('nginx parser: includes', () => {
  it('follows an include cycle once and reports each file once', () => {
    expect(summary(parseFixture(nginxParser, `${DIR}/cycle/a.conf`))).toEqual([
      `${DIR}/cycle/a.conf:2:5 upstream cycle_a client-ip | ip_hash`,
      `${DIR}/cycle/b.conf:2:5 upstream cycle_b client-ip | hash $remote_addr`,
    ]);
  });

  it('reports a file included twice once', () => {
    const text = 'http {\n  include snippets/shared-upstream.conf;\n  include snippets/*.conf;\n}\n';
    expect(summary(parseText(nginxParser, 'parsers/nginx/twice.conf', text))).toEqual([
      `${DIR}/snippets/shared-upstream.conf:2:5 upstream shared client-ip | hash $binary_remote_addr`,
    ]);
  });

  it('skips includes that match nothing (files outside the repository)', () => {
    const text = 'include /nonexistent/nginx/mime.types;\ninclude missing.conf;\ninclude nothing/*.conf;\nupstream u { ip_hash; server a; }\n';
    expect(parseText(nginxParser, 'parsers/nginx/missing.conf', text).map((a) => a.pool)).toEqual(['upstream u']);
  });

  it('refuses patterns that would crawl the disk (braces, **, wildcards at the root)', () => {
    const text = 'include /*/x/*.conf;\ninclude "{a,b/*";\ninclude /etc/**/x.conf;\ninclude /proc/self/*;\n';
    expect(parseText(nginxParser, 'parsers/nginx/crawl.conf', text)).toEqual([]);
  });

  it('locates a syntax error inside an included file in that file', () => {
    const included = errorOf('include broken/*.conf;\n', 'parsers/nginx/includes-broken.conf');
    expect([included.file, included.line, included.column, included.message]).toEqual([
      'fixtures/parsers/nginx/broken/unclosed.conf',
      2,
      17,
      'missing "}" for block "upstream"',
    ]);
  });
});

describe('nginx parser: hash keys', () => {
  const cases: Array<[string, string | undefined, string?]> = [
    ['$remote_addr', 'client-ip'],
    ['$binary_remote_addr', 'client-ip'],
    ['$realip_remote_addr', 'client-ip'],
    ['$http_x_forwarded_for', 'client-ip'],
    ['$proxy_add_x_forwarded_for', 'client-ip'],
    ['$http_x_real_ip', 'client-ip'],
    ['$remote_addr$http_user_agent', 'client-ip'],
    ['$http_user_agent$remote_addr', 'header'],
    ['$cookie_sid', 'app-cookie', 'sid'],
    ['"${cookie_JSESSIONID}x"', 'app-cookie', 'JSESSIONID'],
    ['$http_x_session', 'header'],
    ['$arg_sid', 'query'],
    ['$request_uri', undefined],
    ['$uri', undefined],
    ['$host', undefined],
    ['$scheme$host$request_uri', undefined],
    ['static', undefined],
    ['"$args"', undefined],
  ];
  for (const [key, mechanism, cookie] of cases) {
    it(`hash ${key} -> ${mechanism ?? 'no affinity'}`, () => {
      const found = one(`upstream u {\n    hash ${key} consistent;\n    server a;\n}\n`);
      expect(found?.mechanism).toBe(mechanism);
      if (found) {
        expect(found.location).toEqual({ file: 'parsers/nginx/inline.conf', line: 2, column: 5 });
        expect(found.cookie?.name).toBe(cookie);
      }
    });
  }

  it('traces a variable through map and set to its source', () => {
    const text = [
      'map $cookie_sid $sticky_key { default $cookie_sid; }',
      'map $request_uri $cache_key { default $request_uri; }',
      'upstream a { hash $sticky_key; server a; }',
      'upstream b { hash $cache_key; server b; }',
      'upstream c { hash $from_set; server c; }',
      'map $loop_b $loop_a { default x; }',
      'map $loop_a $loop_b { default x; }',
      'upstream d { hash $loop_a; server d; }',
      'server { set $from_set $binary_remote_addr; }',
    ].join('\n');
    expect(parseText(nginxParser, 'parsers/nginx/maps.conf', text).map((a) => `${a.pool} ${a.mechanism} ${a.cookie?.name ?? ''}`)).toEqual([
      'upstream a app-cookie sid',
      'upstream c client-ip ',
    ]);
  });

  it('consistent_hash (third-party module) is read like hash', () => {
    expect(one('upstream u { consistent_hash $remote_addr; server a; }')?.mechanism).toBe('client-ip');
    expect(one('upstream u { consistent_hash $request_uri; server a; }')).toBeUndefined();
  });

  it('only directives inside an upstream block count', () => {
    expect(one('http { ip_hash; server { hash $remote_addr; } }')).toBeUndefined();
  });
});

describe('nginx parser: other sticky spellings', () => {
  it('NGINX Plus sticky learn on a header is a header affinity', () => {
    const found = one('upstream u { sticky learn create=$upstream_http_x_sid lookup=$http_x_sid zone=s:1m; }');
    expect(found?.mechanism).toBe('header');
  });

  it('Angie sticky cookie with max-age=', () => {
    const found = one('upstream u { zone backend 1m; server a; sticky cookie srv_id max-age=3600; }');
    expect(found?.cookie).toEqual({ name: 'srv_id', maxAgeSeconds: 3600, lifetimeText: 'max-age=3600', secure: false, httpOnly: false });
  });

  it('an expires= nginx cannot read as a duration leaves the lifetime unknown', () => {
    expect(one('upstream u { sticky cookie srv_id expires=$var; }')?.cookie?.maxAgeSeconds).toBeUndefined();
  });

  it('obsolete sticky_cookie_insert cannot set Secure/HttpOnly: flags undefined', () => {
    expect(one('upstream u { sticky_cookie_insert srv_id expires=1h; }')?.cookie).toEqual({
      name: 'srv_id',
      maxAgeSeconds: 3600,
      lifetimeText: 'expires=1h',
    });
  });

  it('Tengine session_sticky: insert mode is a balancer cookie, rewrite mode the application cookie', () => {
    expect(one('upstream u { session_sticky; server a; }')).toMatchObject({
      mechanism: 'lb-cookie',
      cookie: { name: 'route', maxAgeSeconds: null },
    });
    expect(one('upstream u { session_sticky cookie=uid maxage=2h mode=insert; }')?.cookie).toEqual({
      name: 'uid',
      maxAgeSeconds: 7200,
      lifetimeText: 'maxage=2h',
    });
    expect(one('upstream u { session_sticky cookie=JSESSIONID mode=rewrite; }')).toMatchObject({
      mechanism: 'app-cookie',
      cookie: { name: 'JSESSIONID' },
    });
  });
});

describe('nginx parser: tokenizer', () => {
  it('handles quotes, escapes, ${var}, # inside words and Lua blocks', () => {
    const text = [
      'http {',
      '  log_format main \'$remote_addr "$request" \\\'quoted\\\'\';',
      '  add_header X-Test "a;b{c}#d";',
      '  server { location /a#b { return 200 "${host}}"; } }',
      '  server { location / { access_by_lua_block { local t = { "}", [==[ } ]==] } -- } ',
      '    if x then return end } } }',
      '  upstream u { ip_hash; }',
      '}',
    ].join('\n');
    expect(summary(parseText(nginxParser, 'parsers/nginx/tokens.conf', text))).toEqual([
      'parsers/nginx/tokens.conf:7:16 upstream u client-ip | ip_hash',
    ]);
  });

  it('reads CRLF files with the right lines', () => {
    expect(one('# c\r\nupstream u {\r\n  ip_hash;\r\n}\r\n')?.location).toEqual({ file: 'parsers/nginx/inline.conf', line: 3, column: 3 });
  });

  const errors: Array<[string, string, string, number, number]> = [
    ['stray closing brace', 'upstream u { ip_hash; }\n}\n', 'unexpected "}"', 2, 1],
    ['missing semicolon before }', 'upstream u {\n  ip_hash\n}\n', 'missing ";" after directive "ip_hash"', 2, 10],
    ['missing semicolon at end of file', 'worker_processes 4', 'missing ";" after directive "worker_processes"', 1, 19],
    ['unterminated string', 'events {}\nadd_header X "abc;\n', 'unterminated string', 2, 14],
    ['unclosed block', 'http {\n  server {\n    listen 80;\n}\n', 'missing "}" for block "http"', 1, 6],
    ['block without a name', 'http {\n  { }\n}', 'unexpected "{"', 2, 3],
    ['empty directive', 'events { ; }', 'unexpected ";"', 1, 10],
    ['text glued to a string', 'add_header X "a"b;', 'unexpected "b" after string', 1, 17],
    ['unclosed Lua block', 'server {\n  content_by_lua_block {\n    ngx.say("x")\n', 'missing "}" for block "content_by_lua_block"', 2, 24],
  ];
  for (const [name, text, message, line, column] of errors) {
    it(`ParseError: ${name}`, () => {
      const error = errorOf(text);
      expect([error.message, error.file, error.line, error.column]).toEqual([message, 'parsers/nginx/broken.conf', line, column]);
    });
  }

  it('too deep nesting is a ParseError, not a stack overflow', () => {
    const error = errorOf('a {'.repeat(500));
    expect(error.message).toBe('blocks nested too deeply');
  });
});

describe('nginx parser: detection', () => {
  const yes: Array<[string, string]> = [
    ['nginx.conf', 'events {}'],
    ['deploy/nginx/nginx.conf', ''],
    ['etc/nginx/conf.d/upstream.conf', 'upstream backend {\n  server a:80;\n}\n'],
    ['conf.d/backend.conf', 'upstream backend {\n  ip_hash;\n  server a:80;\n}\n'],
    ['site.conf', 'server {\n  listen 80;\n  location / { proxy_pass http://x; }\n}\n'],
    ['proxy.conf', 'proxy_set_header Host $host;\nproxy_pass http://backend;\n'],
    ['default.conf.template', 'server {\n  listen ${NGINX_PORT};\n  server_name ${NGINX_HOST};\n}\n'],
    ['app.vhost', 'server {\n  listen 443 ssl;\n}\n'],
    ['etc/nginx/sites-enabled/default', 'server {\n\tlisten 80 default_server;\n\troot /var/www/html;\n}\n'],
  ];
  for (const [file, text] of yes) it(`detects ${file}`, () => expect(detects(nginxParser, file, text)).toBe(true));

  const no: Array<[string, string]> = [
    ['httpd.conf', '<VirtualHost *:80>\n  ProxyPass / balancer://x/\n</VirtualHost>\n'],
    ['site.conf', '<VirtualHost *:80>\n  ServerName example.com\n</VirtualHost>\nserver {\n}\n'],
    ['apache2/sites-available/000-default.conf', '<VirtualHost *:80>\n\tDocumentRoot /var/www/html\n</VirtualHost>\n'],
    ['named.conf', 'options {\n  directory "/var/named";\n};\nserver 10.0.0.1 {\n  keys { k; };\n};\n'],
    ['logstash.conf', 'input {\n  http {\n    port => 8080\n  }\n}\n'],
    ['supervisord.conf', '[program:app]\ncommand=/usr/bin/app\n'],
    ['redis.conf', 'port 6379\nmaxmemory 2gb\n'],
    ['haproxy.cfg', 'backend app\n  balance source\n  server a 10.0.0.1:80\n'],
    ['nginx/Dockerfile', 'FROM nginx\nRUN echo "server { listen 80; }" > /etc/nginx/conf.d/default.conf;\n'],
    ['nginx/README.md', 'server {\n  listen 80;\n}\n'],
    ['docker-compose.yml', 'services:\n  nginx:\n    image: nginx\n'],
    ['keepalived.conf', 'vrrp_instance VI_1 {\n  state MASTER\n}\nvirtual_server 10.0.0.1 80 {\n  lb_algo rr\n}\n'],
  ];
  for (const [file, text] of no) it(`does not detect ${file}`, () => expect(detects(nginxParser, file, text)).toBe(false));
});

describe('nginx parser: hash keys pin a client only when every variable is stable for it', () => {
  const mechanisms = (key: string, prelude = '') =>
    parseText(nginxParser, 'hash.conf', `${prelude}upstream app {\n    hash ${key} consistent;\n    server a:1;\n}\n`).map((a) => a.mechanism);

  it('reports client-derived keys, alone or with site constants', () => {
    expect(mechanisms('$remote_addr')).toEqual(['client-ip']);
    expect(mechanisms('$scheme$host$cookie_sid')).toEqual(['app-cookie']);
    expect(mechanisms('$remote_addr$remote_addr')).toEqual(['client-ip']);
  });

  it('does not report a key that also varies per request', () => {
    expect(mechanisms('$remote_addr$request_uri')).toEqual([]);
    expect(mechanisms('$request_id$remote_addr')).toEqual([]);
    expect(mechanisms('$undefined_by_anyone')).toEqual([]);
  });

  it('traces map and set to their sources', () => {
    expect(mechanisms('$session_key', 'map $cookie_sid $session_key {\n    default $cookie_sid;\n}\n')).toEqual(['app-cookie']);
    expect(mechanisms('$route_key', 'map $request_uri $route_key {\n    default 1;\n}\n')).toEqual([]);
    expect(mechanisms('$a$b', 'map $remote_addr $a { default 1; }\nmap $a $b { default 2; }\n')).toEqual(['client-ip']);
  });
});
