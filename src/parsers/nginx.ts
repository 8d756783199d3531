/**
 * nginx: session affinity in `upstream` blocks (ip_hash, hash on a client key, NGINX Plus / Angie
 * `sticky`, nginx-sticky-module-ng `sticky`, Tengine `session_sticky`), following `include`s; and the pools
 * requests go to: every `upstream` (members from its `server` lines) and every `proxy_pass` / `fastcgi_pass` /
 * `grpc_pass` / `uwsgi_pass` / `scgi_pass` / `memcached_pass` to a host that is not an upstream of the config.
 */
import path from 'node:path';
import type { Affinity, AffinityCookie, AffinityMechanism, Location, Pool, PoolMember } from '../model/index.js';
import { parseDuration } from '../util/duration.js';
import { affinityAt } from './affinity-at.js';
import { resolveInclude, type IncludeState } from './conf-includes.js';
import { keyVariables, type ClientVariable } from './nginx-hash-key.js';
import { parseNginx, type NginxDirective, type NginxWord } from './nginx-lexer.js';
import { member, poolAt, splitHostPort, uniqueMembers } from './pool-at.js';
import type { ConfigParser, ModelFragment, ParseInput } from './types.js';

/** A directive with the file it was read from; includes are replaced by the included files' directives. */
interface Node {
  d: NginxDirective;
  src: ParseInput;
  block?: Node[];
}

// ---------------------------------------------------------------- detection

const NAME_RE = /(?:\.conf|\.conf\.template|\.nginx|\.vhost)$/i;
const BLOCK_RE = /^[ \t]*(?:upstream|server|http|events|location|stream)\b[^;\n{]*\{/m;
const DIRECTIVE_RE = /^[ \t]*[a-z_]+[ \t][^\n]*;[ \t]*(?:#[^\n]*)?$/m;
const NGINX_ONLY_RE =
  /^[ \t]*(?:proxy_pass|fastcgi_pass|uwsgi_pass|grpc_pass|server_name|proxy_set_header|worker_processes|worker_connections|ip_hash|try_files|add_header|listen)(?:[ \t][^\n]*)?;/m;
const APACHE_RE = /<\/?(?:VirtualHost|Proxy|ProxyMatch|Directory|Location|IfModule)\b|^[ \t]*(?:ProxyPass|ProxyPassMatch|BalancerMember|LoadModule)[ \t]/im;
/** `};` closes a block in BIND and C-like configs, `=>` is Logstash; neither is valid nginx. */
const NOT_NGINX_RE = /^[ \t]*\};|^[^#\n]*=>/m;
const NO_EXTENSION_DIRS = new Set(['sites-available', 'sites-enabled', 'conf.d', 'nginx']);

function detect(input: ParseInput): boolean {
  const segments = input.file.toLowerCase().split('/');
  const base = segments[segments.length - 1];
  const folders = segments.slice(0, -1);
  const text = input.text.length > 200_000 ? input.text.slice(0, 200_000) : input.text;
  if (APACHE_RE.test(text)) return false;
  if (base === 'nginx.conf') return true;
  const named = NAME_RE.test(base);
  const bareName = !base.includes('.') && folders.some((folder) => NO_EXTENSION_DIRS.has(folder));
  if (!named && !bareName) return false;
  if (NOT_NGINX_RE.test(text)) return false;
  const strong = (BLOCK_RE.test(text) && DIRECTIVE_RE.test(text)) || NGINX_ONLY_RE.test(text);
  if (strong) return true;
  // conf.d snippets inside an nginx folder may hold a lone `upstream {}` or a few directives.
  return named && folders.includes('nginx') && (BLOCK_RE.test(text) || DIRECTIVE_RE.test(text) || text.trim() === '');
}

// ---------------------------------------------------------------- includes

function load(input: ParseInput): Node[] {
  const state: IncludeState = { chain: [input.absPath] };
  // nginx resolves relative include paths against its configuration prefix, which is the main file's
  // folder (https://nginx.org/en/docs/ngx_core_module.html#include); the including file's folder is tried first.
  const bases = [path.dirname(input.absPath)];
  return expand(parseNginx(input.file, input.text), input, state, bases);
}

function expand(list: NginxDirective[], src: ParseInput, state: IncludeState, bases: string[]): Node[] {
  const out: Node[] = [];
  for (const d of list) {
    if (d.name === 'include' && !d.block && d.args.length > 0) {
      const pattern = d.args[0];
      for (const included of resolveInclude(src, pattern.text, d.line, pattern.column, state, { bases })) {
        state.chain.push(included.absPath);
        out.push(...expand(parseNginx(included.file, included.text), included, state, bases));
        state.chain.pop();
      }
      continue;
    }
    out.push({ d, src, block: d.block ? expand(d.block, src, state, bases) : undefined });
  }
  return out;
}

// ---------------------------------------------------------------- hash keys

/** `map $src $var {}` and `set $var value;` definitions, so a hash on a derived variable is traced to its source. */
type VariableDefs = Map<string, string[]>;

function collectDefs(nodes: Node[], defs: VariableDefs): void {
  for (const { d, block } of nodes) {
    const target = d.name === 'map' ? d.args[1] : d.name === 'set' ? d.args[0] : undefined;
    const source = d.name === 'map' ? d.args[0] : d.name === 'set' ? d.args[1] : undefined;
    if (target && source && target.text.startsWith('$')) {
      const name = target.text.slice(1).replace(/^\{(.*)\}$/, '$1').toLowerCase();
      defs.set(name, [...(defs.get(name) ?? []), source.text]);
    }
    if (block) collectDefs(block, defs);
  }
}

/**
 * A key pins a client only when every variable in it is stable for that client (as the ingress
 * controllers judge it, see nginx-hash-key.ts): `$remote_addr$request_uri` spreads one client over
 * the backends by URI. Variables the config defines with `map`/`set` are traced to their sources; a
 * variable with no known source counts as per-request. The first client variable names the mechanism.
 */
function classifyKey(key: string, defs: VariableDefs): ClientVariable | undefined {
  const verdict = keyVerdict(key, defs, new Set());
  return verdict === 'spread' || verdict === 'neutral' ? undefined : verdict;
}

type KeyVerdict = ClientVariable | 'neutral' | 'spread';

function keyVerdict(key: string, defs: VariableDefs, seen: Set<string>): KeyVerdict {
  let first: ClientVariable | undefined;
  for (const variable of keyVariables(key)) {
    if (variable.kind === 'client') first ??= variable;
    if (variable.kind !== 'unknown') continue;
    const sources = defs.get(variable.name);
    if (!sources) return 'spread';
    if (seen.has(variable.name)) continue; // traced already (or a definition cycle)
    if (seen.size >= 8) return 'spread';
    seen.add(variable.name);
    for (const source of sources) {
      const traced = keyVerdict(source, defs, seen);
      if (traced === 'spread') return 'spread';
      if (traced !== 'neutral') first ??= traced;
    }
  }
  return first ?? 'neutral';
}

// ---------------------------------------------------------------- cookies

/**
 * `expires=max`: NGINX docs say the cookie then expires on "31 Dec 2037 23:55:55 GMT"; counted as
 * ten years, i.e. effectively unbounded.
 */
const EXPIRES_MAX_SECONDS = 315_360_000;

function param(args: NginxWord[], key: string): NginxWord | undefined {
  const prefix = `${key}=`;
  return args.find((arg) => arg.text.toLowerCase().startsWith(prefix));
}

function paramValue(args: NginxWord[], key: string): string | undefined {
  return param(args, key)?.text.slice(key.length + 1);
}

function flag(args: NginxWord[], name: string): boolean {
  return args.some((arg) => arg.text.toLowerCase() === name);
}

/** A cookie the balancer sets, its lifetime from `<key>=<time>` or, absent, a session cookie (`null`). */
function balancerCookie(name: string | undefined, args: NginxWord[], lifetimeKeys: string[], flags: boolean): AffinityCookie {
  const cookie: AffinityCookie = { name };
  const lifetime = lifetimeKeys.map((key) => param(args, key)).find((word) => word !== undefined);
  if (!lifetime) {
    cookie.maxAgeSeconds = null;
    cookie.lifetimeText = 'session cookie (no expires)';
  } else {
    const value = lifetime.text.slice(lifetime.text.indexOf('=') + 1);
    cookie.lifetimeText = lifetime.text;
    cookie.maxAgeSeconds = value.toLowerCase() === 'max' ? EXPIRES_MAX_SECONDS : parseDuration(value);
  }
  if (flags) {
    cookie.secure = flag(args, 'secure');
    cookie.httpOnly = flag(args, 'httponly');
  }
  return cookie;
}

// ---------------------------------------------------------------- upstream directives

interface Found {
  mechanism: AffinityMechanism;
  cookie?: AffinityCookie;
}

/** What a hash key pins a client by; for a cookie variable, the cookie's name. */
function keyAffinity(key: string, defs: VariableDefs): Found | undefined {
  const found = classifyKey(key, defs);
  if (!found) return undefined;
  return found.cookieName ? { mechanism: found.mechanism, cookie: { name: found.cookieName } } : { mechanism: found.mechanism };
}

function sticky(args: NginxWord[], defs: VariableDefs): Found {
  const method = args[0]?.text.toLowerCase();
  if (method === 'cookie') {
    // NGINX Plus (https://nginx.org/en/docs/http/ngx_http_upstream_module.html#sticky): without
    // expires= the cookie "expires at the end of a browser session"; omitted httponly/secure are not set.
    // Angie spells the lifetime max-age=.
    return { mechanism: 'lb-cookie', cookie: balancerCookie(args[1]?.text, args.slice(2), ['expires', 'max-age'], true) };
  }
  if (method === 'route') return { mechanism: 'route' };
  if (method === 'learn') {
    // The application creates the session cookie; nginx only learns it, so its flags and lifetime are the app's.
    for (const lookup of args.filter((arg) => arg.text.toLowerCase().startsWith('lookup='))) {
      const found = keyAffinity(lookup.text.slice(7), defs);
      if (found) return found;
    }
    return { mechanism: 'app-cookie' };
  }
  // nginx-sticky-module-ng (https://github.com/dvershinin/nginx-sticky-module-ng#usage): cookie
  // name defaults to "route"; without expires= "It's a session cookie"; secure/httponly are opt-in flags.
  return { mechanism: 'lb-cookie', cookie: balancerCookie(paramValue(args, 'name') || 'route', args, ['expires'], true) };
}

function upstreamAffinity(d: NginxDirective, defs: VariableDefs): Found | undefined {
  switch (d.name) {
    case 'ip_hash':
      return { mechanism: 'client-ip' };
    case 'hash':
    case 'consistent_hash': {
      const key = d.args[0];
      return key ? keyAffinity(key.text, defs) : undefined;
    }
    case 'sticky':
      return sticky(d.args, defs);
    case 'sticky_cookie_insert':
      // Obsolete NGINX Plus spelling of `sticky cookie` (same docs page); it cannot set Secure or HttpOnly.
      return { mechanism: 'lb-cookie', cookie: balancerCookie(d.args[0]?.text, d.args.slice(1), ['expires'], false) };
    case 'session_sticky': {
      // Tengine (https://tengine.taobao.org/document/http_upstream_session_sticky.html): cookie=route
      // mode=insert by default; maxage unset means a session cookie; it has no Secure/HttpOnly options.
      const name = paramValue(d.args, 'cookie') || 'route';
      const mode = (paramValue(d.args, 'mode') ?? 'insert').toLowerCase();
      if (mode !== 'insert') return { mechanism: 'app-cookie', cookie: { name } };
      return { mechanism: 'lb-cookie', cookie: balancerCookie(name, d.args, ['maxage'], false) };
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------- walk

/** A directive spread over several lines is shown joined on one; a one-line directive is its line (the default). */
function evidence(node: Node): string | undefined {
  const { d } = node;
  if (d.endLine === d.line) return undefined;
  return `${[d.nameWord, ...d.args].map((word) => word.raw).join(' ')};`;
}

// ---------------------------------------------------------------- pools

/** Directives that hand a request to a backend: their target is a pool when it is not an upstream's name. */
const PASS_DIRECTIVES = new Set(['proxy_pass', 'fastcgi_pass', 'grpc_pass', 'uwsgi_pass', 'scgi_pass', 'memcached_pass']);

interface Walk {
  defs: VariableDefs;
  affinities: Affinity[];
  /** In walk order; a proxy_pass-like target (`passHost`: its lower-case host) is kept until every upstream name is known. */
  pools: Array<{ pool: Pool; passHost?: string }>;
  upstreams: Set<string>;
}

/** An upstream `server` address: `host[:port]`, `[v6]:port`, `unix:/path` (kept whole). */
function serverMember(address: string): PoolMember {
  if (address.toLowerCase().startsWith('unix:')) return member(address);
  return splitHostPort(address);
}

/**
 * The target of `proxy_pass http://api:3000/path` (scheme optional: `fastcgi_pass 127.0.0.1:9000`, stream
 * `proxy_pass backend`), as `<directive> <scheme://>host[:port]` without the URI. A target with a variable is
 * resolved per request (`proxy_pass http://$backend`): no pool.
 */
function passTarget(d: NginxDirective): { name: string; member: PoolMember } | undefined {
  const text = d.args[0]?.text;
  if (!text || text.includes('$')) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  const rest = scheme ? text.slice(scheme[0].length) : text;
  const prefix = scheme ? scheme[0] : '';
  if (rest.toLowerCase().startsWith('unix:')) {
    // `http://unix:/tmp/backend.socket:/uri/`: the socket path ends at the next colon.
    const end = rest.indexOf(':', 5);
    const socket = end < 0 ? rest : rest.slice(0, end);
    return { name: `${d.name} ${prefix}${socket}`, member: member(socket) };
  }
  const hostPort = /^[^/?#]*/.exec(rest)?.[0] ?? '';
  if (hostPort === '') return undefined;
  return { name: `${d.name} ${prefix}${hostPort}`, member: splitHostPort(hostPort) };
}

// ---------------------------------------------------------------- walk

function walk(nodes: Node[], state: Walk, upstream?: Node): void {
  for (const node of nodes) {
    const { d, src, block } = node;
    if (d.name === 'upstream' && block) {
      const name = d.args[0]?.text ?? '';
      state.upstreams.add(name.toLowerCase());
      const members = block.filter((child) => child.d.name === 'server' && !child.block && child.d.args[0]);
      const pool = poolAt(src, d, {
        format: 'nginx',
        name: `upstream ${name}`.trim(),
        proxy: 'nginx',
        members: uniqueMembers(members.map((child) => serverMember(child.d.args[0].text))),
      });
      state.pools.push({ pool });
      walk(block, state, node);
      continue;
    }
    if (upstream && !block) {
      const found = upstreamAffinity(d, state.defs);
      if (found) {
        const pool = `upstream ${upstream.d.args[0]?.text ?? ''}`.trim();
        const detail = [d.nameWord, ...d.args].map((word) => word.raw).join(' ');
        state.affinities.push(affinityAt(src, d, { format: 'nginx', ...found, pool, detail, evidence: evidence(node) }));
      }
    }
    if (!block && PASS_DIRECTIVES.has(d.name)) {
      const target = passTarget(d);
      if (target) {
        const pool = poolAt(src, d, { format: 'nginx', name: target.name, proxy: 'nginx', members: [target.member] });
        state.pools.push({ pool, passHost: target.member.host.toLowerCase() });
      }
    }
    if (block) walk(block, state, upstream);
  }
}

/** Items once each by a key: a file included twice (two servers sharing a snippet) reports each directive once. */
function once<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const at = (location: Location) => `${location.file}:${location.line}:${location.column}`;

function parse(input: ParseInput): ModelFragment {
  const nodes = load(input);
  const defs: VariableDefs = new Map();
  collectDefs(nodes, defs);
  const state: Walk = { defs, affinities: [], pools: [], upstreams: new Set() };
  walk(nodes, state);
  const affinities = once(state.affinities, (affinity) => at(affinity.location));
  // nginx looks a proxy_pass host up among the upstream names first (case-insensitively; a name with a port
  // is a config error there), so only other hosts are pools of their own: one per target and file.
  const found = state.pools.filter(({ passHost }) => passHost === undefined || !state.upstreams.has(passHost));
  const key = ({ pool, passHost }: { pool: Pool; passHost?: string }) =>
    passHost === undefined ? at(pool.location) : `${pool.location.file}\0${pool.name}`;
  const pools = once(found, key).map(({ pool }) => pool);
  return { affinities, pools };
}

export const nginxParser: ConfigParser = {
  format: 'nginx',
  detect,
  parse,
};
