/**
 * Apache httpd: mod_proxy_balancer session affinity (`stickysession=` on ProxySet / ProxyPass),
 * including the mod_headers ROUTEID cookie idiom, following `Include` / `IncludeOptional`.
 */
import path from 'node:path';
import type { Affinity, AffinityCookie, AffinityMechanism, Location } from '../model/index.js';
import { affinityAt } from './affinity-at.js';
import { resolveInclude, type IncludeState } from './conf-includes.js';
import { parseApache, type ApacheNode } from './apache-lexer.js';
import type { ConfigParser, ParseInput } from './types.js';

/** A node with the file it was read from; Include directives are replaced by the included files' nodes. */
interface Item {
  node: ApacheNode;
  src: ParseInput;
  children?: Item[];
}

// ---------------------------------------------------------------- detection

const STRONG_NAMES = new Set(['httpd.conf', 'apache2.conf', 'apache.conf', '.htaccess']);
const APACHE_DIRS = new Set(['apache', 'apache2', 'httpd']);
const SECTION_RE = /^[ \t]*<\/?(?:VirtualHost|Proxy|ProxyMatch|Directory|DirectoryMatch|Location|LocationMatch|Files|FilesMatch|IfModule|IfDefine)\b/im;
// Directive lines as httpd's docs spell them, without a trailing `;` (nginx ends every directive with one)
// and not `key = value` (php-fpm pools have `listen = 127.0.0.1:9000`).
const DIRECTIVE_RE =
  /^[ \t]*(?:ProxyPass|ProxyPassMatch|ProxyPassReverse|ProxySet|BalancerMember|LoadModule|ServerName|ServerAlias|DocumentRoot|RewriteEngine|ServerRoot|Listen)[ \t]+[^=;\s][^;\n]*$/m;
/** A line ending in `{` opens an nginx (or other brace-format) block; httpd has none. */
const BRACES_RE = /\{[ \t]*$/m;

function detect(input: ParseInput): boolean {
  const segments = input.file.toLowerCase().split('/');
  const base = segments[segments.length - 1];
  const folders = segments.slice(0, -1);
  const text = input.text.length > 200_000 ? input.text.slice(0, 200_000) : input.text;
  if (BRACES_RE.test(text)) return false;
  if (STRONG_NAMES.has(base) || /^httpd-[\w.-]*\.conf$/.test(base)) return true;
  const inApacheDir = folders.some((folder) => APACHE_DIRS.has(folder));
  const named = /\.(?:conf|vhost)$/.test(base) || (inApacheDir && !base.includes('.'));
  if (!named) return false;
  return SECTION_RE.test(text) || DIRECTIVE_RE.test(text);
}

// ---------------------------------------------------------------- includes and Define

interface LoadState extends IncludeState {
  defines: Map<string, string>;
  serverRoot?: string;
  root: ParseInput;
}

function substitute(args: string[], defines: Map<string, string>): string[] {
  if (defines.size === 0) return args;
  return args.map((arg) => arg.replace(/\$\{([^}]+)\}/g, (whole, name: string) => defines.get(name) ?? whole));
}

/** Walks in file order, as httpd does, so `Define` applies to what follows it, and splices includes in place. */
function expand(list: ApacheNode[], src: ParseInput, state: LoadState): Item[] {
  const out: Item[] = [];
  for (const original of list) {
    const node = { ...original, args: substitute(original.args, state.defines) };
    const name = node.name.toLowerCase();
    if (name === 'define' && node.args[0]) state.defines.set(node.args[0], node.args[1] ?? '');
    else if (name === 'undefine' && node.args[0]) state.defines.delete(node.args[0]);
    else if (name === 'serverroot' && node.args[0]) state.serverRoot = node.args[0];
    if ((name === 'include' || name === 'includeoptional') && !node.children && node.args[0]) {
      for (const included of includeFiles(src, node, state)) {
        state.chain.push(included.absPath);
        out.push(...expand(parseApache(included.file, included.text), included, state));
        state.chain.pop();
      }
      continue;
    }
    out.push({ node, src, children: node.children ? expand(node.children, src, state) : undefined });
  }
  return out;
}

function includeFiles(src: ParseInput, node: ApacheNode, state: LoadState): ParseInput[] {
  // httpd resolves relative include paths against ServerRoot
  // (https://httpd.apache.org/docs/2.4/mod/core.html#include). A repository copy rarely sits at the
  // ServerRoot, so the copy's own folders come first: the including file's folder, the main file's
  // parent (the conf/httpd.conf layout, where ServerRoot is conf/..) and folder; the declared ServerRoot last.
  const rootDir = path.dirname(state.root.absPath);
  const bases = [path.dirname(rootDir), rootDir, ...(state.serverRoot ? [state.serverRoot] : [])];
  return resolveInclude(src, node.args[0], node.line, node.column, state, { bases, directories: true });
}

// ---------------------------------------------------------------- balancer settings

interface Sticky {
  key: string;
  pool: string;
  params: Map<string, string>;
  item: Item;
}

interface SetCookie {
  name: string;
  attributes: Map<string, string | true>;
  /** The value carries the worker route (%{BALANCER_WORKER_ROUTE}e), as in the mod_proxy_balancer example. */
  carriesRoute: boolean;
  item: Item;
}

interface Collected {
  routes: Map<string, string[]>;
  stickies: Sticky[];
  cookies: SetCookie[];
  /** `Header edit Set-Cookie ... "$1; Secure; HttpOnly"` hardens every cookie in the response. */
  editedSecure: boolean;
  editedHttpOnly: boolean;
}

/** `balancer://mycluster/app` or `balancer://mycluster$1` -> key `mycluster`, pool `balancer://mycluster`; an undefined `${VAR}` stays as written. */
function balancerOf(url: string): { key: string; pool: string } | undefined {
  const match = /^balancer:\/\/((?:[^/?$\s]|\$\{[^}/\s]*\})+)/i.exec(url);
  if (!match) return undefined;
  return { key: match[1].toLowerCase(), pool: `balancer://${match[1]}` };
}

function paramsOf(args: string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const arg of args) {
    const at = arg.indexOf('=');
    if (at <= 0) continue;
    params.set(arg.slice(0, at).toLowerCase(), arg.slice(at + 1).replace(/^(["'])(.*)\1$/, '$2'));
  }
  return params;
}

function parseSetCookie(value: string): Pick<SetCookie, 'name' | 'attributes' | 'carriesRoute'> | undefined {
  const [pair, ...rest] = value.replace(/^expr=/i, '').split(';');
  const at = pair.indexOf('=');
  const name = (at < 0 ? '' : pair.slice(0, at)).trim();
  if (name === '') return undefined;
  const attributes = new Map<string, string | true>();
  for (const part of rest) {
    const text = part.trim();
    if (text === '') continue;
    const eq = text.indexOf('=');
    if (eq < 0) attributes.set(text.toLowerCase(), true);
    else attributes.set(text.slice(0, eq).trim().toLowerCase(), text.slice(eq + 1).trim());
  }
  return { name, attributes, carriesRoute: /BALANCER_WORKER_ROUTE/i.test(pair) };
}

function header(item: Item, found: Collected): void {
  // Header [always|onsuccess] action header [value [replacement]] [early|env=...|expr=...]
  // (https://httpd.apache.org/docs/2.4/mod/mod_headers.html#header)
  const args = item.node.args;
  const at = /^(?:always|onsuccess)$/i.test(args[0] ?? '') ? 1 : 0;
  const action = (args[at] ?? '').toLowerCase();
  if ((args[at + 1] ?? '').toLowerCase() !== 'set-cookie') return;
  const value = args[at + 2];
  if (value === undefined) return;
  if (['add', 'set', 'append', 'merge', 'setifempty'].includes(action)) {
    const cookie = parseSetCookie(value);
    if (cookie) found.cookies.push({ ...cookie, item });
  } else if (action === 'edit' || action === 'edit*') {
    const replacement = args[at + 3] ?? '';
    if (/(?:^|;)\s*secure\s*(?:;|$)/i.test(replacement)) found.editedSecure = true;
    if (/(?:^|;)\s*httponly\s*(?:;|$)/i.test(replacement)) found.editedHttpOnly = true;
  }
}

function collect(items: Item[], found: Collected, section?: { key: string; pool: string }): void {
  for (const item of items) {
    const { node, children } = item;
    const name = node.name.toLowerCase();
    if (children) {
      const inner = name === 'proxy' ? balancerOf(node.args[0] ?? '') : undefined;
      collect(children, found, inner ?? section);
      continue;
    }
    const args = node.args;
    if (name === 'proxypass' || name === 'proxypassmatch') {
      const at = args.findIndex((arg) => /^balancer:\/\//i.test(arg));
      const balancer = at >= 0 ? balancerOf(args[at]) : undefined;
      if (balancer) found.stickies.push({ ...balancer, params: paramsOf(args.slice(at + 1)), item });
    } else if (name === 'proxyset') {
      const explicit = args[0]?.includes('://');
      const balancer = explicit ? balancerOf(args[0]) : section;
      if (balancer) found.stickies.push({ ...balancer, params: paramsOf(explicit ? args.slice(1) : args), item });
    } else if (name === 'balancermember') {
      const explicit = /^balancer:\/\//i.test(args[0] ?? '');
      const balancer = explicit ? balancerOf(args[0]) : section;
      const route = paramsOf(args.slice(explicit ? 2 : 1)).get('route');
      if (balancer && route) found.routes.set(balancer.key, [...new Set([...(found.routes.get(balancer.key) ?? []), route])]);
    } else if (name === 'header') {
      header(item, found);
    }
  }
}

// ---------------------------------------------------------------- affinities

function locationOf(item: Item): Location {
  return { file: item.src.file, line: item.node.line, column: item.node.column };
}

function evidence(item: Item): string {
  const lines = item.src.lines().slice(item.node.line - 1, item.node.endLine);
  return lines
    .map((line) => line.trim().replace(/\\$/, '').trim())
    .filter((line) => line !== '')
    .join(' ');
}

/**
 * Lifetime of a cookie set with Set-Cookie attributes: Max-Age wins over Expires (RFC 6265 §5.3);
 * with neither it is a session cookie (`null`).
 */
function lifetime(attributes: Map<string, string | true>): Pick<AffinityCookie, 'maxAgeSeconds' | 'lifetimeText'> {
  const maxAge = attributes.get('max-age');
  if (typeof maxAge === 'string') {
    return { maxAgeSeconds: /^-?\d+$/.test(maxAge) ? Math.max(0, Number(maxAge)) : undefined, lifetimeText: `Max-Age=${maxAge}` };
  }
  const expires = attributes.get('expires');
  if (typeof expires === 'string') {
    const at = Date.parse(expires);
    return {
      maxAgeSeconds: Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - Date.now()) / 1000)),
      lifetimeText: `Expires=${expires}`,
    };
  }
  return { maxAgeSeconds: null, lifetimeText: 'session cookie (no Max-Age or Expires)' };
}

function findCookie(cookies: SetCookie[], name: string): SetCookie | undefined {
  const exact = cookies.filter((cookie) => cookie.name === name);
  const candidates = exact.length > 0 ? exact : cookies.filter((cookie) => cookie.name.toLowerCase() === name.toLowerCase());
  return candidates.find((cookie) => cookie.carriesRoute) ?? candidates[0];
}

function affinityOf(sticky: Sticky, found: Collected): Affinity | undefined {
  const value = sticky.params.get('stickysession');
  if (!value) return undefined;
  // "JSESSIONID|jsessionid": the cookie name, then the URL path parameter (mod_proxy ProxyPass docs, stickysession).
  const [cookieName, urlName] = value.split('|').map((part) => part.trim());
  const routes = found.routes.get(sticky.key) ?? [];
  const nofailover = sticky.params.get('nofailover');
  const detail = [
    `stickysession=${value}`,
    nofailover !== undefined ? ` nofailover=${nofailover}` : '',
    routes.length > 0 ? ` (routes: ${routes.join(', ')})` : '',
  ].join('');
  const make = (mechanism: AffinityMechanism, cookie?: AffinityCookie): Affinity =>
    affinityAt(sticky.item.src, sticky.item.node, { format: 'apache', mechanism, pool: sticky.pool, detail, cookie, evidence: evidence(sticky.item) });
  if (!cookieName) return urlName ? make('query') : undefined;
  const setBy = findCookie(found.cookies, cookieName);
  // The back end's own session cookie (JSESSIONID...): its lifetime and flags are the application's.
  if (!setBy) return make('app-cookie', { name: cookieName });
  // httpd itself sets the cookie (mod_proxy_balancer docs, "Examples of a balancer configuration":
  // Header add Set-Cookie "ROUTEID=.%{BALANCER_WORKER_ROUTE}e; path=/" env=BALANCER_ROUTE_CHANGED).
  return make('lb-cookie', {
    name: setBy.name,
    ...lifetime(setBy.attributes),
    secure: setBy.attributes.has('secure') || found.editedSecure,
    httpOnly: setBy.attributes.has('httponly') || found.editedHttpOnly,
    location: locationOf(setBy.item),
  });
}

function parse(input: ParseInput): { affinities: Affinity[] } {
  const state: LoadState = { chain: [input.absPath], defines: new Map(), root: input };
  const items = expand(parseApache(input.file, input.text), input, state);
  const found: Collected = { routes: new Map(), stickies: [], cookies: [], editedSecure: false, editedHttpOnly: false };
  collect(items, found);
  const seen = new Set<string>();
  const affinities: Affinity[] = [];
  for (const sticky of found.stickies) {
    const affinity = affinityOf(sticky, found);
    if (!affinity) continue;
    const key = `${affinity.location.file}:${affinity.location.line}:${affinity.location.column}`;
    if (seen.has(key)) continue; // a file included twice reports each directive once
    seen.add(key);
    affinities.push(affinity);
  }
  return { affinities };
}

export const apacheParser: ConfigParser = {
  format: 'apache',
  detect,
  parse,
};
