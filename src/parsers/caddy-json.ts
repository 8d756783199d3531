import { isScalar, type Node } from 'yaml';
import { ParseError } from '../errors.js';
import type { Affinity } from '../model/index.js';
import { parseDuration } from '../util/duration.js';
import { affinityAt } from './affinity-at.js';
import { policyMeaning } from './caddy-common.js';
import type { ModelFragment, ParseInput } from './types.js';
import { booleanValue, entries, getKeyNode, getNode, items, scalarString, type YamlSource } from './yaml-source.js';

/**
 * Caddy's native JSON config (caddyserver.com/docs/json/): apps.http.servers.<name>.routes[].handle[]
 * with `"handler": "reverse_proxy"` and `load_balancing.selection_policy`, also inside `subroute`
 * handlers. Read through input.yaml() (JSON is YAML) to keep line numbers.
 */

interface ServerContext {
  name: string;
  httpOnly: boolean;
  tlsPolicies: boolean;
  trustedProxies: boolean;
  autoHttpsDisabled: boolean;
  listens443: boolean;
}

export function parseCaddyJson(input: ParseInput): ModelFragment {
  if (!input.text.includes('"selection_policy"')) {
    // Nothing to find: skip the (slower) positional parse once the JSON is known to be well formed.
    try {
      JSON.parse(input.text);
      return { affinities: [] };
    } catch {
      // let the positional reader locate the error
    }
  }
  const yaml = input.yaml();
  const affinities: Affinity[] = [];
  for (const doc of yaml.docs) {
    const http = getNode(doc.contents, ['apps', 'http']);
    if (!http) continue;
    const httpPort = scalarString(getNode(http, ['http_port'])) ?? '80';
    const httpsPort = scalarString(getNode(http, ['https_port'])) ?? '443';
    for (const { key, value: server } of entries(getNode(http, ['servers']))) {
      const ports = items(getNode(server, ['listen'])).map((node) => listenPort(scalarString(node) ?? ''));
      const context: ServerContext = {
        name: key,
        httpOnly: ports.length > 0 && ports.every((port) => port === httpPort),
        tlsPolicies: getNode(server, ['tls_connection_policies']) !== undefined,
        trustedProxies: getNode(server, ['trusted_proxies']) !== undefined,
        autoHttpsDisabled: booleanValue(getNode(server, ['automatic_https', 'disable'])) === true,
        listens443: ports.includes(httpsPort),
      };
      walkRoutes(getNode(server, ['routes']), [], context, 0);
      walkRoutes(getNode(server, ['errors', 'routes']), [], context, 0);
    }
  }
  return { affinities };

  function walkRoutes(routes: Node | undefined, hosts: string[], server: ServerContext, depth: number): void {
    if (depth > 64) return;
    for (const route of items(routes)) {
      const routeHosts = items(getNode(route, ['match'])).flatMap((matcher) =>
        items(getNode(matcher, ['host'])).flatMap((host) => scalarString(host) ?? []),
      );
      const scope = routeHosts.length > 0 ? routeHosts : hosts;
      for (const handler of items(getNode(route, ['handle']))) {
        const name = scalarString(getNode(handler, ['handler']));
        if (name === 'subroute') walkRoutes(getNode(handler, ['routes']), scope, server, depth + 1);
        else if (name === 'reverse_proxy') affinities.push(...proxyAffinities(handler, scope, server));
      }
    }
  }

  function proxyAffinities(handler: Node, hosts: string[], server: ServerContext): Affinity[] {
    const dials = items(getNode(handler, ['upstreams'])).flatMap((upstream) => scalarString(getNode(upstream, ['dial'])) ?? []);
    const site = hosts.length > 0 ? hosts.join(', ') : `server ${server.name}`;
    const pool = `reverse_proxy ${dials.join(' ') || '(dynamic upstreams)'} @ ${site}`;
    return policyAffinities(handler, ['load_balancing', 'selection_policy'], pool, serverTls(server, hosts), 0);
  }

  function policyAffinities(parent: Node, path: string[], pool: string, tls: boolean | undefined, level: number): Affinity[] {
    const selection = getNode(parent, path);
    const policy = scalarString(getNode(selection, ['policy']));
    if (!selection || policy === undefined) return [];
    const out: Affinity[] = level < 8 ? policyAffinities(selection, ['fallback'], pool, tls, level + 1) : [];
    const argument = scalarString(getNode(selection, [policy === 'header' ? 'field' : policy === 'query' ? 'key' : 'name']));
    const maxAgeNode = policy === 'cookie' ? getNode(selection, ['max_age']) : undefined;
    const maxAgeSeconds = maxAgeNode ? duration(maxAgeNode, yaml) : undefined;
    const meaning = policyMeaning(policy, {
      argument,
      maxAgeSeconds,
      maxAgeText: maxAgeNode ? `max_age ${scalarString(maxAgeNode)}` : undefined,
      tls,
    });
    if (!meaning) return out;
    const keyNode = getKeyNode(parent, [...path, 'policy']) ?? selection;
    // The cookie policy's secret (an HMAC key) stays out of the report.
    const secret = policy === 'cookie' ? scalarString(getNode(selection, ['secret'])) : undefined;
    let evidence = yaml.lineText(keyNode);
    if (secret) evidence = evidence.split(secret).join('<secret>');
    const detail = policy === 'cookie' ? `policy cookie ${argument ?? 'lb'}` : `policy ${policy}${argument ? ` ${argument}` : ''}`;
    out.unshift(affinityAt(input, yaml.pos(keyNode), { format: 'caddy', mechanism: meaning.mechanism, pool, detail, cookie: meaning.cookie, evidence }));
    return out;
  }
}

/** caddy.Duration in JSON: an integer of nanoseconds, or a duration string ("1h", "2d"). */
function duration(node: Node, yaml: YamlSource): number {
  const value = isScalar(node) ? node.value : undefined;
  const seconds = typeof value === 'number' ? value / 1e9 : typeof value === 'string' ? parseDuration(value) : undefined;
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    const at = yaml.pos(node);
    throw new ParseError(`invalid max_age ${JSON.stringify(value ?? null)}`, yaml.file, at.line, at.column);
  }
  return seconds;
}

/** "tcp/0.0.0.0:80", ":443", "[::]:8080" -> the port (or range) after the last ":". */
function listenPort(address: string): string {
  const match = /:([\d-]+)$/.exec(address);
  return match ? match[1] : '';
}

/**
 * Whether requests reach this handler over TLS (Caddy's cookie policy sets Secure only then).
 * Undefined when a trusted proxy in front may forward X-Forwarded-Proto: https, or when unclear.
 */
function serverTls(server: ServerContext, hosts: string[]): boolean | undefined {
  if (server.trustedProxies) return undefined;
  if (server.httpOnly) return false;
  if (server.tlsPolicies) return true;
  if (hosts.length > 0 && !server.autoHttpsDisabled && !hosts.some((h) => h.includes('{'))) return true;
  if (hosts.length === 0 && !server.listens443) return false;
  return undefined;
}
