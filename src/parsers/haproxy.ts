import path from 'node:path';
import { ParseError } from '../errors.js';
import type { Affinity, AffinityCookie, AffinityMechanism, Pool, PoolMember } from '../model/index.js';
import { parseDuration } from '../util/duration.js';
import { affinityAt } from './affinity-at.js';
import { splitHaproxyLine, type HaproxyWord } from './haproxy-lexer.js';
import { member, poolAt, portNumber, uniqueMembers } from './pool-at.js';
import type { ConfigParser, ModelFragment, ParseInput } from './types.js';

/**
 * HAProxy (haproxy.cfg). The grammar is line based, so it is hand-written (no kept-up npm parser
 * keeps line numbers): words per line (haproxy-lexer.ts), sections opened by a header keyword,
 * `.if`/`.elif`/`.else`/`.endif` blocks (HAProxy >= 2.4). Affinity is read per `backend`/`listen`,
 * with `balance`, `cookie` and `hash-type` inherited from the `defaults` section before it (or the
 * one named by `from`), as the configuration manual describes for "defaults". Each `backend` (and each
 * `listen` with servers) is also a pool, its members the `server` / `server-template` addresses.
 */

interface Statement {
  keyword: string;
  args: string[];
  words: HaproxyWord[];
  line: number;
  column: number;
}

interface Section {
  kind: string;
  name?: string;
  from?: string;
  body: Statement[];
  /** The header line. */
  line: number;
  column: number;
}

/** Settings a `defaults` section hands down to the proxies after it. */
interface Defaults {
  balance?: Statement;
  cookie?: Statement;
  hashType?: Statement;
  mode?: Statement;
}

const SECTION_KEYWORDS = new Set([
  'global',
  'defaults',
  'frontend',
  'backend',
  'listen',
  'peers',
  'resolvers',
  'userlist',
  'mailers',
  'program',
  'http-errors',
  'ring',
  'cache',
  'log-forward',
  'fcgi-app',
  'crt-store',
  'traces',
  'acme',
]);
const NAMED_PROXIES = new Set(['frontend', 'backend', 'listen']);

/** Headers that carry the client address: hashing them is client-IP affinity, not header affinity. */
const CLIENT_IP_HEADERS = new Set(['x-forwarded-for', 'x-real-ip', 'true-client-ip', 'cf-connecting-ip', 'x-client-ip']);
const HEADER_FETCHES = new Set(['hdr', 'req.hdr', 'req.fhdr', 'fhdr', 'hdr_ip', 'req.hdr_ip', 'res.hdr', 'res.fhdr', 'shdr', 'res.hdr_ip']);
const COOKIE_FETCHES = new Set([
  'cookie',
  'cook',
  'req.cook',
  'req.cookie',
  'res.cook',
  'scook',
  'set-cookie',
  'cook_val',
  'req.cook_val',
  'res.cook_val',
  'scook_val',
]);
const RDP_FETCHES = new Set(['rdp_cookie', 'req.rdp_cookie', 'req_rdp_cookie']);
const QUERY_FETCHES = new Set(['url_param', 'urlp']);

export const haproxyParser: ConfigParser = {
  format: 'haproxy',
  detect: detectHaproxy,
  parse: parseHaproxy,
};

// --- detection -------------------------------------------------------------------------------

const SECTION_HEADER = /^(?:global|defaults|frontend|backend|listen)(?:[ \t]+[^\s;{}#]+){0,4}[ \t]*(?:#[^\n]*)?$/m;
const HAPROXY_KEYWORD = /^[ \t]*(?:bind|server|balance|default_backend|use_backend|mode[ \t]+(?:http|tcp))[ \t]/m;
/** nginx / Caddy / Varnish blocks, Apache containers: never in haproxy.cfg. */
const OTHER_FORMAT = /^[ \t]*[\w@.:*-][^\n{};#]*\{[ \t]*$|^[ \t]*<\/?(?:VirtualHost|Directory|IfModule|Location|Proxy|Files)\b/im;

function detectHaproxy(input: ParseInput): boolean {
  const base = path.posix.basename(input.file.replace(/\\/g, '/')).toLowerCase();
  if (base === 'haproxy.cfg') return true;
  if (!base.endsWith('.cfg') && !base.endsWith('.conf')) return false;
  const text = input.text;
  return SECTION_HEADER.test(text) && HAPROXY_KEYWORD.test(text) && !OTHER_FORMAT.test(text) && countSemicolonLines(text) < 3;
}

/** nginx ends directives with ";"; HAProxy lines practically never do. */
function countSemicolonLines(text: string): number {
  let count = 0;
  for (let at = text.indexOf(';\n'); at !== -1 && count < 3; at = text.indexOf(';\n', at + 2)) count++;
  return count;
}

// --- reading ---------------------------------------------------------------------------------

interface Condition {
  /** This branch is read: its own condition holds and every enclosing block is read. */
  active: boolean;
  /** The enclosing blocks are read. */
  enclosing: boolean;
  taken: boolean;
  sawElse: boolean;
}

function readSections(input: ParseInput): Section[] {
  const lines = input.lines();
  const sections: Section[] = [];
  const conditions: Condition[] = [];
  let current: Section | undefined;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    const lineNumber = index + 1;
    if (/^[ \t]*\./.test(raw)) {
      handleConditional(raw, lineNumber, input.file, conditions);
      continue;
    }
    if (conditions.length > 0 && !conditions[conditions.length - 1].active) continue;
    const words = splitHaproxyLine(raw, lineNumber, input.file);
    if (words.length === 0) continue;
    const keyword = words[0].text;
    const statement: Statement = {
      keyword,
      args: words.slice(1).map((w) => w.text),
      words,
      line: lineNumber,
      column: words[0].column,
    };
    if (SECTION_KEYWORDS.has(keyword)) {
      const name = words[1]?.text;
      if (NAMED_PROXIES.has(keyword) && (name === undefined || name === '' || name === 'from')) {
        throw new ParseError(`"${keyword}" needs a name`, input.file, lineNumber, words[0].column);
      }
      const fromAt = keyword === 'defaults' && name === 'from' ? 1 : 2;
      const hasFrom = words[fromAt]?.text === 'from';
      if (hasFrom && !words[fromAt + 1]) {
        throw new ParseError('"from" needs the name of a defaults section', input.file, lineNumber, words[fromAt].column);
      }
      current = {
        kind: keyword,
        name: fromAt === 1 ? undefined : name,
        from: hasFrom ? words[fromAt + 1].text : undefined,
        body: [],
        line: lineNumber,
        column: words[0].column,
      };
      sections.push(current);
      continue;
    }
    if (!current) throw new ParseError(`"${keyword}" outside of any section`, input.file, lineNumber, words[0].column);
    current.body.push(statement);
  }
  if (conditions.length > 0) throw new ParseError('missing ".endif"', input.file, lines.length, 1);
  return sections;
}

/** `.if` blocks (HAProxy >= 2.4): only a literal 0/false is known to be off; anything else is taken as on. */
function handleConditional(raw: string, line: number, file: string, conditions: Condition[]): void {
  const words = splitHaproxyLine(raw, line, file);
  const directive = words[0]?.text ?? '';
  const column = words[0]?.column ?? 1;
  const condition = words
    .slice(1)
    .map((w) => w.text)
    .join(' ')
    .trim();
  const holds = condition !== '' && condition !== '0' && condition.toLowerCase() !== 'false';
  const top = conditions[conditions.length - 1];
  switch (directive) {
    case '.if': {
      const enclosing = top ? top.active : true;
      conditions.push({ active: enclosing && holds, enclosing, taken: holds, sawElse: false });
      return;
    }
    case '.elif':
      if (!top || top.sawElse) throw new ParseError('".elif" without ".if"', file, line, column);
      top.active = top.enclosing && !top.taken && holds;
      top.taken ||= holds;
      return;
    case '.else':
      if (!top || top.sawElse) throw new ParseError('".else" without ".if"', file, line, column);
      top.active = top.enclosing && !top.taken;
      top.taken = true;
      top.sawElse = true;
      return;
    case '.endif':
      if (!top) throw new ParseError('".endif" without ".if"', file, line, column);
      conditions.pop();
      return;
    default:
      return; // .diag, .notice, .warning, .alert, .line: messages only
  }
}

// --- analysis --------------------------------------------------------------------------------

function parseHaproxy(input: ParseInput): ModelFragment {
  const sections = readSections(input);
  const affinities: Affinity[] = [];
  const pools: Pool[] = [];
  const named = new Map<string, Defaults>();
  let lastDefaults: Defaults = {};

  for (const section of sections) {
    if (section.kind === 'defaults') {
      // A new defaults section starts from nothing, or from the one named by "from".
      const state: Defaults = { ...(section.from ? (named.get(section.from) ?? {}) : {}) };
      for (const statement of section.body) collectInheritable(statement, state, input.file);
      lastDefaults = state;
      if (section.name) named.set(section.name, state);
      continue;
    }
    if (section.kind !== 'backend' && section.kind !== 'listen') continue;
    const inherited = section.from ? (named.get(section.from) ?? {}) : lastDefaults;
    const own: Defaults = {};
    for (const statement of section.body) collectInheritable(statement, own, input.file);
    const effective: Defaults = { ...inherited, ...definedOnly(own) };
    const pool = `${section.kind} ${section.name}`;
    const before = affinities.length;
    const make: Make = (statement, mechanism, detail, cookie) => affinityAt(input, statement, { format: 'haproxy', mechanism, pool, detail, cookie });

    if (effective.balance) {
      const found = balanceAffinity(effective.balance, effective.hashType);
      if (found) affinities.push(make(effective.balance, found.mechanism, found.detail, found.cookie));
    }
    const httpMode = effective.mode?.args[0] !== 'tcp';
    if (effective.cookie && httpMode) {
      affinities.push(cookieAffinity(effective.cookie, section.body, input.file, make));
    }
    for (const statement of section.body) {
      if (statement.keyword === 'appsession' && statement.args[0] && httpMode) {
        // appsession (HAProxy < 1.6) learns the application's own session cookie; the cookie's lifetime is the app's.
        affinities.push(make(statement, 'app-cookie', `appsession ${statement.args.join(' ')}`, { name: statement.args[0] }));
      }
    }
    affinities.push(...stickAffinities(section.body, input.file, make));
    // Every backend is a pool; a listen section is one when it has servers (or affinity), not when it only serves stats.
    const members = serverMembers(section.body);
    if (section.kind === 'backend' || members.length > 0 || affinities.length > before) {
      pools.push(poolAt(input, section, { format: 'haproxy', name: pool, proxy: 'HAProxy', members }));
    }
  }
  return { affinities, pools };
}

/**
 * `server NAME ADDRESS ...` and `server-template PREFIX NUM ADDRESS ...` (one member: the name the
 * template resolves). Addresses per the manual's "Address formats" section.
 */
function serverMembers(body: Statement[]): PoolMember[] {
  const found: PoolMember[] = [];
  for (const statement of body) {
    const address = statement.keyword === 'server' ? statement.args[1] : statement.keyword === 'server-template' ? statement.args[2] : undefined;
    const member = address ? haproxyAddress(address) : undefined;
    if (member) found.push(member);
  }
  return uniqueMembers(found);
}

/** Socket families that are not a host: kept whole as the host. */
const SOCKET_PREFIX = /^(?:unix|abns|abnsz|fd|sockpair|uxst|uxdg)@/i;
const IP_PREFIX = /^(?:ipv4|ipv6|tcp|tcp4|tcp6|udp|udp4|udp6|quic4|quic6|rhttp)@/i;

/**
 * `host:port`, `[v6]:port`, `host` (the port then follows the client's), `/path` and `unix@path` (sockets),
 * `ipv4@`/`ipv6@` prefixes. Unbracketed IPv6 takes the port after the last colon, as HAProxy reads it
 * (`::1:80`). A port range or a `+1000` offset is no fixed port: the member has no port.
 */
function haproxyAddress(text: string): PoolMember | undefined {
  if (text.startsWith('/') || SOCKET_PREFIX.test(text)) return { host: text };
  const address = text.replace(IP_PREFIX, '');
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(address);
  if (bracketed) return bracketed[1] ? member(bracketed[1], portNumber(bracketed[2])) : undefined;
  const colon = address.lastIndexOf(':');
  const host = colon < 0 ? address : address.slice(0, colon);
  if (host === '' || host === '*') return undefined;
  return member(host, colon < 0 ? undefined : portNumber(address.slice(colon + 1)));
}

function definedOnly(settings: Defaults): Defaults {
  const out: Defaults = {};
  for (const key of Object.keys(settings) as Array<keyof Defaults>) if (settings[key]) out[key] = settings[key];
  return out;
}

function collectInheritable(statement: Statement, into: Defaults, file: string): void {
  switch (statement.keyword) {
    case 'balance':
      into.balance = statement;
      break;
    case 'cookie':
      parseCookie(statement, file); // a broken cookie line is an error even in a defaults section
      into.cookie = statement;
      break;
    case 'hash-type':
      into.hashType = statement;
      break;
    case 'mode':
      into.mode = statement;
      break;
  }
}

type Make = (statement: Statement, mechanism: AffinityMechanism, detail: string, cookie?: AffinityCookie) => Affinity;

interface Found {
  mechanism: AffinityMechanism;
  detail: string;
  cookie?: AffinityCookie;
}

/** `balance` algorithms that hash something the client carries; roundrobin, leastconn, uri, ... are not affinity. */
function balanceAffinity(statement: Statement, hashType: Statement | undefined): Found | undefined {
  const algorithm = statement.args[0] ?? '';
  const lower = algorithm.toLowerCase();
  const consistent = hashType?.args.includes('consistent') ? ' (hash-type consistent)' : '';
  const detail = `balance ${statement.args.join(' ')}${consistent}`;
  if (lower === 'source') return { mechanism: 'client-ip', detail };
  const header = /^hdr\((.*)\)$/i.exec(algorithm);
  if (header) {
    const name = header[1].trim().toLowerCase();
    if (name === '' || name === 'host') return undefined; // one value per site, not per client
    return { mechanism: CLIENT_IP_HEADERS.has(name) ? 'client-ip' : 'header', detail };
  }
  if (lower === 'url_param') return statement.args[1] ? { mechanism: 'query', detail } : undefined;
  const rdp = /^rdp-cookie(?:\((.*)\))?$/i.exec(algorithm);
  if (rdp) {
    // The manual: rdp-cookie without a name uses "mstshash".
    return { mechanism: 'app-cookie', detail, cookie: { name: rdp[1]?.trim() || 'mstshash' } };
  }
  if (lower === 'hash' && statement.args[1]) {
    const sample = classifySample(statement.args[1]);
    if (!sample || (sample.mechanism === 'header' && sample.name?.toLowerCase() === 'host')) return undefined;
    return { mechanism: sample.mechanism, detail, ...(sample.mechanism === 'app-cookie' ? { cookie: { name: sample.name } } : {}) };
  }
  return undefined;
}

/** What a sample expression (`src`, `req.cook(sid)`, `hdr(x-user),lower`) is keyed on; undefined if not client-derived as far as we know. */
function classifySample(expression: string): { mechanism: AffinityMechanism; name?: string } | undefined {
  const fetch = firstFetch(expression);
  const match = /^([a-z0-9_.-]+)(?:\(([^()]*)\))?$/i.exec(fetch);
  if (!match) return undefined;
  const fn = match[1].toLowerCase();
  const arg = (match[2] ?? '').split(',')[0].trim();
  if (fn === 'src') return { mechanism: 'client-ip' };
  if (HEADER_FETCHES.has(fn)) {
    if (!arg) return undefined;
    return CLIENT_IP_HEADERS.has(arg.toLowerCase()) ? { mechanism: 'client-ip' } : { mechanism: 'header', name: arg };
  }
  if (COOKIE_FETCHES.has(fn)) return arg ? { mechanism: 'app-cookie', name: arg } : undefined;
  if (RDP_FETCHES.has(fn)) return { mechanism: 'app-cookie', name: arg || 'mstshash' };
  if (QUERY_FETCHES.has(fn)) return arg ? { mechanism: 'query', name: arg } : undefined;
  return undefined;
}

/** The fetch of a sample expression, without its converters (`src,ipmask(24)` -> `src`). */
function firstFetch(expression: string): string {
  let depth = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) return expression.slice(0, i);
  }
  return expression;
}

interface CookieDeclaration {
  name: string;
  mode: 'insert' | 'prefix' | 'rewrite' | 'passive';
  secure: boolean;
  httpOnly: boolean;
  dynamic: boolean;
  maxlife?: string;
  maxidle?: string;
  attrs: string[];
}

const COOKIE_VALUE_OPTIONS = new Set(['domain', 'maxidle', 'maxlife', 'attr']);

function parseCookie(statement: Statement, file: string): CookieDeclaration {
  const name = statement.args[0];
  if (name === undefined || name === '') throw new ParseError('"cookie" needs a cookie name', file, statement.line, statement.column);
  const declaration: CookieDeclaration = { name, mode: 'passive', secure: false, httpOnly: false, dynamic: false, attrs: [] };
  for (let i = 1; i < statement.args.length; i++) {
    const option = statement.args[i].toLowerCase();
    const column = statement.words[i + 1].column;
    if (option === 'insert' || option === 'prefix' || option === 'rewrite') {
      if (declaration.mode !== 'passive' && declaration.mode !== option) {
        throw new ParseError(`"cookie": "${option}" cannot be combined with "${declaration.mode}"`, file, statement.line, column);
      }
      declaration.mode = option;
    } else if (option === 'secure') declaration.secure = true;
    else if (option === 'httponly') declaration.httpOnly = true;
    else if (option === 'dynamic') declaration.dynamic = true;
    else if (COOKIE_VALUE_OPTIONS.has(option)) {
      const value = statement.args[i + 1];
      if (value === undefined) throw new ParseError(`"cookie ${option}" needs a value`, file, statement.line, column);
      if (option === 'maxlife') declaration.maxlife = value;
      else if (option === 'maxidle') declaration.maxidle = value;
      else if (option === 'attr') declaration.attrs.push(value);
      i++;
    }
  }
  return declaration;
}

function cookieAffinity(statement: Statement, body: Statement[], file: string, make: Make): Affinity {
  const declaration = parseCookie(statement, file);
  const serversSetCookie = body.some(serverHasCookie);
  const note = serversSetCookie || declaration.dynamic ? '' : ' (no server line sets a cookie value)';
  const detail = `cookie ${statement.args.join(' ')}${note}`;
  if (declaration.mode !== 'insert') {
    // prefix / rewrite / no mode: the application sets the cookie and HAProxy edits or reads it; its attributes are the app's.
    return make(statement, 'app-cookie', detail, { name: declaration.name });
  }
  const attrFlag = (flag: string) => declaration.attrs.some((attr) => attr.trim().toLowerCase() === flag);
  return make(statement, 'lb-cookie', detail, {
    name: declaration.name,
    ...insertedLifetime(declaration),
    secure: declaration.secure || attrFlag('secure'),
    httpOnly: declaration.httpOnly || attrFlag('httponly'),
  });
}

/**
 * The configuration manual, "cookie ... insert": "The cookie will only be a session cookie and will
 * not be stored on the client's disk." maxlife / maxidle (given in seconds unless a unit is written)
 * make HAProxy ignore the cookie after that time; "attr Max-Age=N" sets a browser lifetime.
 */
function insertedLifetime(declaration: CookieDeclaration): Pick<AffinityCookie, 'maxAgeSeconds' | 'lifetimeText'> {
  if (declaration.maxlife !== undefined) {
    return { maxAgeSeconds: parseDuration(declaration.maxlife, 's'), lifetimeText: `maxlife ${declaration.maxlife}` };
  }
  const maxAge = declaration.attrs.map((attr) => /^\s*max-age\s*=\s*(\d+)\s*$/i.exec(attr)).find(Boolean);
  if (maxAge) return { maxAgeSeconds: Number(maxAge[1]), lifetimeText: `attr ${maxAge[0].trim()}` };
  const expires = declaration.attrs.find((attr) => /^\s*expires\s*=/i.test(attr));
  if (expires) return { maxAgeSeconds: undefined, lifetimeText: `attr ${expires.trim()}` };
  if (declaration.maxidle !== undefined) {
    return { maxAgeSeconds: parseDuration(declaration.maxidle, 's'), lifetimeText: `maxidle ${declaration.maxidle} (idle timeout)` };
  }
  return { maxAgeSeconds: null, lifetimeText: 'session cookie' };
}

function serverHasCookie(statement: Statement): boolean {
  const first = statement.keyword === 'server' ? 2 : statement.keyword === 'server-template' ? 3 : -1;
  if (first < 0) return false;
  for (let i = first; i < statement.args.length - 1; i++) if (statement.args[i] === 'cookie') return true;
  return false;
}

/**
 * `stick on` / `stick match` route by a stick table; `stick store-*` alone only fills a table (which
 * another backend may match on), so only on/match make this proxy sticky. Rules keyed the same way
 * form one affinity, located at the first of them. `track-sc*` rules (rate limiting) are not stick rules.
 */
function stickAffinities(body: Statement[], file: string, make: Make): Affinity[] {
  const stickTable = body.find((statement) => statement.keyword === 'stick-table');
  const groups = new Map<string, { statement: Statement; mechanism: AffinityMechanism; detail: string; name?: string }>();
  for (const statement of body) {
    if (statement.keyword !== 'stick') continue;
    const kind = statement.args[0];
    if (kind !== 'on' && kind !== 'match' && kind !== 'store-request' && kind !== 'store-response') continue;
    const pattern = statement.args[1];
    if (pattern === undefined || pattern === 'if' || pattern === 'unless' || pattern === 'table') {
      throw new ParseError(`"stick ${kind}" needs a sample expression`, file, statement.line, statement.words[1].column);
    }
    if (kind !== 'on' && kind !== 'match') continue;
    const sample = classifySample(pattern);
    const mechanism = sample?.mechanism ?? 'stick-table';
    const key = `${mechanism}:${sample?.name ?? ''}`;
    if (groups.has(key)) continue;
    const tableAt = statement.args.indexOf('table', 2);
    const table = tableAt > 0 ? statement.args[tableAt + 1] : undefined;
    const where = table ? ` table ${table}` : stickTable ? ` (${['stick-table', ...stickTable.args].join(' ')})` : '';
    groups.set(key, { statement, mechanism, detail: `stick ${kind} ${pattern}${where}`, name: sample?.name });
  }
  return [...groups.values()].map((group) =>
    make(group.statement, group.mechanism, group.detail, group.mechanism === 'app-cookie' ? { name: group.name } : undefined),
  );
}
