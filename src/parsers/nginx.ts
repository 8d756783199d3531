/**
 * nginx: session affinity in `upstream` blocks (ip_hash, hash on a client key, NGINX Plus / Angie
 * `sticky`, nginx-sticky-module-ng `sticky`, Tengine `session_sticky`), following `include`s.
 */
import path from 'node:path';
import type { Affinity, AffinityCookie, AffinityMechanism } from '../model/index.js';
import { parseDuration } from '../util/duration.js';
import { affinityAt } from './affinity-at.js';
import { resolveInclude, type IncludeState } from './conf-includes.js';
import { keyVariables, type ClientVariable } from './nginx-hash-key.js';
import { parseNginx, type NginxDirective, type NginxWord } from './nginx-lexer.js';
import type { ConfigParser, ParseInput } from './types.js';

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

function walk(nodes: Node[], defs: VariableDefs, out: Affinity[], upstream?: Node): void {
  for (const node of nodes) {
    const { d, src, block } = node;
    if (d.name === 'upstream' && block) {
      walk(block, defs, out, node);
      continue;
    }
    if (upstream && !block) {
      const found = upstreamAffinity(d, defs);
      if (found) {
        const pool = `upstream ${upstream.d.args[0]?.text ?? ''}`.trim();
        const detail = [d.nameWord, ...d.args].map((word) => word.raw).join(' ');
        out.push(affinityAt(src, d, { format: 'nginx', ...found, pool, detail, evidence: evidence(node) }));
      }
    }
    if (block) walk(block, defs, out, upstream);
  }
}

function parse(input: ParseInput): { affinities: Affinity[] } {
  const nodes = load(input);
  const defs: VariableDefs = new Map();
  collectDefs(nodes, defs);
  const found: Affinity[] = [];
  walk(nodes, defs, found);
  // A file included twice (two servers sharing a snippet) reports each directive once.
  const seen = new Set<string>();
  const affinities = found.filter((affinity) => {
    const key = `${affinity.location.file}:${affinity.location.line}:${affinity.location.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { affinities };
}

export const nginxParser: ConfigParser = {
  format: 'nginx',
  detect,
  parse,
};
