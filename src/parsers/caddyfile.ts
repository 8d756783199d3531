import { ParseError } from '../errors.js';
import type { Affinity } from '../model/index.js';
import { parseDuration } from '../util/duration.js';
import { affinityAt } from './affinity-at.js';
import { policyMeaning } from './caddy-common.js';
import { tokenizeCaddyfile, type CaddyToken } from './caddyfile-lexer.js';
import type { ModelFragment, ParseInput } from './types.js';

/**
 * The Caddyfile: tokens (caddyfile-lexer.ts) grouped into statements and `{ }` blocks, then read
 * like Caddy's parse.go: an optional global options block first, snippets `(name) { }`, site blocks
 * `<addresses...> { }` (or one site without braces), `import <snippet> [args...]` spliced in place.
 * Imports of other files are not followed: those files are read on their own when scanned.
 */

interface Statement {
  tokens: CaddyToken[];
  /** The `{` token when the statement opens a block. */
  open?: CaddyToken;
  block?: Statement[];
}

interface Globals {
  trustedProxies: boolean;
  autoHttpsOff: boolean;
  httpPort: string;
  httpsPort: string;
}

interface Site {
  label: string;
  addresses: string[];
  body: Statement[];
}

const MAX_IMPORT_DEPTH = 16;
/** Real Caddyfiles nest a handful of blocks; the walks below recurse once per level. */
const MAX_NESTING = 100;
/** Snippets importing each other twice per level would otherwise grow exponentially before hitting the depth limit. */
const MAX_IMPORTS = 10_000;

export function parseCaddyfile(input: ParseInput): ModelFragment {
  const statements = buildStatements(tokenizeCaddyfile(input.text, input.file), input.file);
  const lines = input.lines();
  const snippets = new Map<string, Statement[]>();
  const sites: Site[] = [];
  const globals: Globals = { trustedProxies: false, autoHttpsOff: false, httpPort: '80', httpsPort: '443' };

  let importBudget = MAX_IMPORTS;
  /** The statements an `import <snippet> [args...]` stands for; [] for a file import. */
  const expandImport = (statement: Statement, depth: number): Statement[] => {
    const [head, nameToken, ...argTokens] = statement.tokens;
    if (!nameToken) throw new ParseError('"import" needs a snippet name or file', input.file, head.line, head.column);
    const snippet = snippets.get(nameToken.text);
    if (!snippet) return [];
    if (depth > MAX_IMPORT_DEPTH || --importBudget < 0) {
      throw new ParseError(`import cycle through snippet "${nameToken.text}"`, input.file, head.line, head.column);
    }
    const args = argTokens.map((t) => t.text);
    return snippet.map((s) => substitute(s, args));
  };

  // Statements still to read, last first (imports push their snippet's statements back on top).
  const pending = [...statements].reverse();
  const pendingAddresses: CaddyToken[] = [];
  let first = true;
  while (pending.length > 0) {
    const statement = pending.pop()!;
    const head = statement.tokens[0];
    if (!head) {
      // a block with no keys: the global options block, allowed only first
      if (!first || pendingAddresses.length > 0) throw new ParseError('unexpected "{"', input.file, statement.open!.line, statement.open!.column);
      readGlobals(statement.block ?? [], globals);
      first = false;
      continue;
    }
    first = false;
    if (head.text === 'import' && !head.quoted && pendingAddresses.length === 0) {
      pending.push(...expandImport(statement, 0).reverse());
      continue;
    }
    if (statement.tokens.length === 1 && /^\(.+\)$/.test(head.text) && statement.block && pendingAddresses.length === 0) {
      snippets.set(head.text.slice(1, -1), statement.block);
      continue;
    }
    for (const token of statement.tokens) pendingAddresses.push(token);
    if (statement.block) {
      sites.push(makeSite(pendingAddresses.splice(0), statement.block));
      continue;
    }
    if (statement.tokens[statement.tokens.length - 1].text.endsWith(',')) {
      continue; // "a.example.com,\n b.example.com {": the addresses go on
    }
    // One site without braces: these are its addresses and the rest of the file is its body.
    sites.push(makeSite(pendingAddresses.splice(0), pending.reverse().splice(0)));
  }
  if (pendingAddresses.length > 0) {
    const last = pendingAddresses[pendingAddresses.length - 1];
    throw new ParseError('expected another address after ","', input.file, last.line, last.column);
  }

  const affinities: Affinity[] = [];
  for (const site of sites) walk(site.body, site, siteTls(site, globals), 0);
  return { affinities };

  /** Directives of a site, into handle/route/... blocks and imported snippets. */
  function walk(body: Statement[], site: Site, tls: boolean | undefined, depth: number): void {
    for (const statement of body) {
      const head = statement.tokens[0];
      if (!head) continue;
      if (head.text === 'import' && !head.quoted) {
        walk(expandImport(statement, depth + 1), site, tls, depth + 1);
      } else if ((head.text === 'reverse_proxy' || head.text === 'php_fastcgi') && !head.quoted) {
        affinities.push(...proxyAffinities(statement, site, tls, depth));
      } else if (statement.block) {
        walk(statement.block, site, tls, depth);
      }
    }
  }

  function proxyAffinities(statement: Statement, site: Site, tls: boolean | undefined, depth: number): Affinity[] {
    const [directive, ...args] = statement.tokens.map((t) => t.text);
    const matcherFirst = args.length > 0 && (args[0] === '*' || args[0].startsWith('/') || args[0].startsWith('@'));
    const upstreams = matcherFirst ? args.slice(1) : args;
    let policy: Statement | undefined;
    const readBlock = (block: Statement[], level: number): void => {
      for (const sub of block) {
        const name = sub.tokens[0]?.text;
        if (name === 'import' && !sub.tokens[0].quoted) readBlock(expandImport(sub, level + 1), level + 1);
        else if (name === 'to') upstreams.push(...sub.tokens.slice(1).map((t) => t.text));
        else if (name === 'lb_policy') policy = sub;
      }
    };
    readBlock(statement.block ?? [], depth);
    if (!policy) return [];
    const pool = `${directive} ${upstreams.join(' ') || '(dynamic upstreams)'} @ ${site.label}`;
    return policyAffinities(policy, pool, tls, 0);
  }

  /** The policy of `lb_policy <name> [args...] [{ ... }]` (or of a `fallback` inside it), and its fallbacks. */
  function policyAffinities(statement: Statement, pool: string, tls: boolean | undefined, level: number): Affinity[] {
    const [where, nameToken, ...args] = statement.tokens;
    if (!nameToken) throw new ParseError(`"${where.text}" needs a policy name`, input.file, where.line, where.column);
    const policy = nameToken.text;
    const out: Affinity[] = [];
    let maxAge: CaddyToken | undefined;
    for (const sub of statement.block ?? []) {
      const [name, value] = sub.tokens;
      if (name?.text === 'max_age' && policy === 'cookie') {
        if (!value) throw new ParseError('"max_age" needs a duration', input.file, name.line, name.column);
        maxAge = value;
      }
      if (name?.text === 'fallback' && level < 8) out.push(...policyAffinities(sub, pool, tls, level + 1));
    }
    if ((policy === 'header' || policy === 'query') && args.length === 0) {
      const what = policy === 'header' ? 'a header field' : 'a query key';
      throw new ParseError(`lb_policy ${policy} needs ${what}`, input.file, nameToken.line, nameToken.column);
    }
    if (policy === 'cookie' && args.length > 2) {
      throw new ParseError('lb_policy cookie takes at most a name and a secret', input.file, args[2].line, args[2].column);
    }
    let maxAgeSeconds: number | undefined;
    if (maxAge) {
      // caddy.ParseDuration: Go durations plus "d" for days; max_age must be positive.
      maxAgeSeconds = parseDuration(maxAge.text);
      if (maxAgeSeconds === undefined || maxAgeSeconds <= 0) {
        throw new ParseError(`invalid duration "${maxAge.text}"`, input.file, maxAge.line, maxAge.column);
      }
    }
    const meaning = policyMeaning(policy, {
      argument: args[0]?.text,
      maxAgeSeconds,
      maxAgeText: maxAge ? `max_age ${maxAge.text}` : undefined,
      tls,
    });
    if (!meaning) return out;
    // The cookie policy's secret (an HMAC key) stays out of the report.
    const secret = policy === 'cookie' && args[1] ? args[1].text : undefined;
    const words = [where.text, policy, ...args.map((t) => t.text)];
    if (secret !== undefined) words[3] = '<secret>';
    let evidence = (lines[where.line - 1] ?? '').trim();
    if (secret) evidence = evidence.split(secret).join('<secret>');
    out.unshift(affinityAt(input, where, { format: 'caddy', mechanism: meaning.mechanism, pool, detail: words.join(' '), cookie: meaning.cookie, evidence }));
    return out;
  }
}

/** Group tokens into statements: a statement is a line, plus the block its `{` opens. */
function buildStatements(tokens: CaddyToken[], file: string): Statement[] {
  const root: Statement[] = [];
  const stack: Array<{ list: Statement[]; owner?: Statement }> = [{ list: root }];
  let current: Statement | undefined;
  for (const token of tokens) {
    const frame = stack[stack.length - 1];
    if (!token.quoted && token.text === '{') {
      // Like Caddy's parser, "{" belongs to the statement before it, even on the next line.
      const owner = current ?? { tokens: [] };
      if (!current) frame.list.push(owner);
      if (owner.block) throw new ParseError('unexpected "{"', file, token.line, token.column);
      owner.open = token;
      owner.block = [];
      if (stack.length > MAX_NESTING) throw new ParseError('blocks nested too deeply', file, token.line, token.column);
      stack.push({ list: owner.block, owner });
      current = undefined;
      continue;
    }
    if (!token.quoted && token.text === '}') {
      if (stack.length === 1) throw new ParseError('unexpected "}"', file, token.line, token.column);
      stack.pop();
      current = undefined;
      continue;
    }
    if (!current || token.newline) {
      current = { tokens: [] };
      frame.list.push(current);
    }
    current.tokens.push(token);
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1].owner!.open!;
    throw new ParseError('unclosed "{"', file, open.line, open.column);
  }
  return root;
}

/** Snippet arguments: `{args[0]}` (and the older `{args.0}`), `{args[:]}` as a whole word for all of them. */
function substitute(statement: Statement, args: string[]): Statement {
  if (args.length === 0) return statement;
  const tokens: CaddyToken[] = [];
  for (const token of statement.tokens) {
    if (token.text === '{args[:]}') {
      args.forEach((arg, index) => tokens.push({ ...token, text: arg, newline: token.newline && index === 0 }));
      continue;
    }
    const text = token.text.replace(/\{args(?:\[(\d+)\]|\.(\d+))\}/g, (_, a: string | undefined, b: string | undefined) => args[Number(a ?? b)] ?? '');
    tokens.push(text === token.text ? token : { ...token, text });
  }
  return { ...statement, tokens, block: statement.block?.map((s) => substitute(s, args)) };
}

function makeSite(keys: CaddyToken[], body: Statement[]): Site {
  const addresses = keys.map((t) => t.text.replace(/,$/, '')).filter((a) => a !== '');
  return { label: addresses.join(', '), addresses, body };
}

function readGlobals(block: Statement[], globals: Globals): void {
  for (const statement of block) {
    const [name, value] = statement.tokens.map((t) => t.text);
    if (name === 'auto_https' && value === 'off') globals.autoHttpsOff = true;
    else if (name === 'http_port' && value) globals.httpPort = value;
    else if (name === 'https_port' && value) globals.httpsPort = value;
    else if (name === 'trusted_proxies') globals.trustedProxies = true;
    if (statement.block) readGlobals(statement.block, globals);
  }
}

/**
 * Whether requests reach a site over TLS (Caddy's cookie policy sets Secure only then): a host name
 * gets automatic HTTPS unless it is http:// or on the HTTP port; a bare port is plain HTTP unless the
 * site has a `tls` directive. Undefined when it depends on what is in front (trusted_proxies with
 * X-Forwarded-Proto), on placeholders, or on auto_https off.
 */
function siteTls(site: Site, globals: Globals): boolean | undefined {
  const hasTls = site.body.some((s) => s.tokens[0]?.text === 'tls');
  let http = 0;
  let https = 0;
  for (const address of site.addresses) {
    const scheme = addressScheme(address, globals, hasTls);
    if (scheme === 'http') http++;
    else if (scheme === 'https') https++;
  }
  const total = site.addresses.length;
  if (total === 0) return undefined;
  if (http === total) return globals.trustedProxies ? undefined : false;
  if (https === total && !globals.autoHttpsOff) return true;
  return undefined;
}

function addressScheme(address: string, globals: Globals, hasTls: boolean): 'http' | 'https' | undefined {
  const lower = address.toLowerCase();
  if (lower.startsWith('http://')) return 'http';
  if (lower.startsWith('https://')) return 'https';
  if (lower.includes('{') || lower.startsWith('&(')) return undefined;
  const hostPort = lower.split('/')[0];
  const portMatch = /:(\d+)$/.exec(hostPort);
  const port = portMatch?.[1];
  const host = portMatch ? hostPort.slice(0, -portMatch[0].length) : hostPort;
  if (port === globals.httpPort) return 'http';
  if (port === globals.httpsPort) return 'https';
  if (host === '') return hasTls ? 'https' : 'http';
  return 'https';
}
