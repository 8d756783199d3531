import path from 'node:path';
import { isScalar, type Document, type Node } from 'yaml';
import type { Affinity, AffinityCookie, AffinityMechanism, Pool, PoolMember } from '../model/index.js';
import { affinityAt } from './affinity-at.js';
import { member, poolAt, splitHostPort, uniqueMembers } from './pool-at.js';
import { parseToml, tomlEntries, tomlString, type TomlArray, type TomlNode } from './toml-source.js';
import type { ConfigParser, ModelFragment, ParseInput } from './types.js';
import { mergedEntries, resolvedItems } from './yaml-merge.js';

/**
 * Traefik file provider (dynamic configuration), YAML or TOML, v1 to v3:
 * - v2/v3 `http.services.<name>.loadBalancer.sticky.cookie` and `weighted.sticky.cookie`
 *   https://doc.traefik.io/traefik/reference/routing-configuration/http/load-balancing/service/#sticky-sessions
 * - v3 `loadBalancer.strategy: hrw` and the `highestRandomWeight` service type, which hash the client IP
 *   (same page, "Highest Random Weight")
 * - v1 `[backends.<name>.loadBalancer.stickiness]` (`cookieName`) and the deprecated `sticky = true`
 *   https://doc.traefik.io/traefik/v1.7/basics/#sticky-sessions
 * Traefik matches option names case-insensitively (`loadBalancer` = `loadbalancer`), so lookups here do too.
 * Every HTTP service (v1 backend) is also a Pool; TCP and UDP services are not read.
 */

interface Pos {
  line: number;
  column: number;
}

interface Entry {
  key: string;
  pos: Pos;
  value: unknown;
}

/** One walker serves both syntaxes: YAML and TOML trees are read through this view. */
interface TreeView {
  entries(node: unknown): Entry[];
  /** Scalars as strings; undefined for maps, sequences and null. */
  scalar(node: unknown): string | undefined;
  /** The items of a sequence / array; [] for anything else. */
  items(node: unknown): unknown[];
}

function yamlView(input: ParseInput, doc: Document.Parsed): TreeView {
  const source = input.yaml();
  return {
    entries: (node) =>
      mergedEntries(node, doc).map((e) => ({ key: e.key, pos: source.pos(e.keyNode), value: e.value })),
    scalar: (node) => (isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined),
    items: (node) => resolvedItems(node, doc),
  };
}

const tomlView: TreeView = {
  entries: (node) => tomlEntries(node as TomlNode).map((e) => ({ key: e.key, pos: e.keyPos, value: e.value })),
  scalar: (node) => tomlString(node as TomlNode),
  items: (node) => ((node as TomlNode | undefined)?.kind === 'array' ? (node as TomlArray).items : []),
};

/** Case-insensitive lookup; the last spelling wins, as with repeated keys. */
function entry(view: TreeView, node: unknown, key: string): Entry | undefined {
  const lower = key.toLowerCase();
  let found: Entry | undefined;
  for (const e of view.entries(node)) if (e.key.toLowerCase() === lower) found = e;
  return found;
}

const get = (view: TreeView, node: unknown, key: string): unknown => entry(view, node, key)?.value;

/** Go's strconv.ParseBool, which Traefik uses for option values. */
export function goBool(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (/^(?:1|t|true)$/i.test(text.trim())) return true;
  if (/^(?:0|f|false)$/i.test(text.trim())) return false;
  return undefined;
}

/**
 * The sticky cookie's attributes. Traefik docs (same page as above): "By default, the affinity cookie is
 * created without those flags" (Secure, HttpOnly), and "By default, the affinity cookie will never expire as
 * the MaxAge option is set to zero ... When set to a negative number, the cookie expires immediately."
 * The default name is "an abbreviation of a sha1" of the service, so it is left unnamed here.
 */
export function traefikCookie(attribute: (name: string) => string | undefined): AffinityCookie {
  const cookie: AffinityCookie = {
    secure: goBool(attribute('secure')) ?? false,
    httpOnly: goBool(attribute('httpOnly')) ?? false,
  };
  const name = attribute('name');
  if (name) cookie.name = name;
  const maxAge = attribute('maxAge')?.trim();
  if (maxAge === undefined || maxAge === '') {
    cookie.maxAgeSeconds = null;
    cookie.lifetimeText = 'session cookie (no maxAge)';
  } else if (/^[-+]?\d+$/.test(maxAge)) {
    const seconds = Number(maxAge);
    cookie.maxAgeSeconds = seconds === 0 ? null : Math.max(0, seconds);
    cookie.lifetimeText =
      seconds === 0 ? 'maxAge 0 (session cookie)' : seconds < 0 ? `maxAge ${maxAge} (expires immediately)` : `maxAge ${maxAge}`;
  } else {
    cookie.lifetimeText = `maxAge ${maxAge}`;
  }
  return cookie;
}

class Collector {
  readonly affinities: Affinity[] = [];
  readonly pools: Pool[] = [];
  constructor(private readonly input: ParseInput) {}

  pool(name: string, pos: Pos, members: PoolMember[]): void {
    this.pools.push(poolAt(this.input, pos, { format: 'traefik', name, proxy: 'Traefik', members: uniqueMembers(members) }));
  }

  add(mechanism: AffinityMechanism, pool: string, detail: string, pos: Pos, cookie?: AffinityCookie): void {
    this.affinities.push(affinityAt(this.input, pos, { format: 'traefik', mechanism, pool, detail, cookie }));
  }
}

/**
 * `sticky.cookie` switched on: present as a table, empty (`cookie: {}`, `cookie:`), or `true`; not `false`.
 * Returns the cookie entry and the path as the config spells it.
 */
function stickyCookie(view: TreeView, parent: Entry | undefined): { cookie: Entry; spelled: string } | undefined {
  const sticky = entry(view, parent?.value, 'sticky');
  const cookie = entry(view, sticky?.value, 'cookie');
  if (!parent || !sticky || !cookie || goBool(view.scalar(cookie.value)) === false) return undefined;
  return { cookie, spelled: `${parent.key}.${sticky.key}.${cookie.key}` };
}

function cookieOf(view: TreeView, node: unknown): AffinityCookie {
  return traefikCookie((name) => view.scalar(get(view, node, name)));
}

/** `url: http://10.0.0.1:8080/` (v2/v3 servers, v1 `url`): the host and the port as written. */
function urlMember(url: string | undefined): PoolMember | undefined {
  const authority = url === undefined ? undefined : /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]+)/i.exec(url.trim())?.[1];
  return authority ? splitHostPort(authority) : undefined;
}

/** Members that are other Traefik services, by name (`whoami1`, `app@docker`). */
function serviceMembers(view: TreeView, names: unknown[]): PoolMember[] {
  return names.flatMap((name) => {
    const text = view.scalar(name)?.trim();
    return text ? [member(text)] : [];
  });
}

/**
 * The pools of one v2/v3 service, named as its affinities are: `service NAME` (loadBalancer, mirroring, failover),
 * `service NAME (weighted)`, `service NAME (highestRandomWeight)`. A loadBalancer's members are its servers' URL
 * hosts; the others' are the services they send to.
 */
function servicePools(view: TreeView, service: Entry, out: Collector): void {
  const pool = `service ${service.key}`;
  const loadBalancer = get(view, service.value, 'loadBalancer');
  const weighted = get(view, service.value, 'weighted');
  const hrw = get(view, service.value, 'highestRandomWeight');
  const mirroring = get(view, service.value, 'mirroring');
  const failover = get(view, service.value, 'failover');
  const names = (node: unknown) => view.items(get(view, node, 'services')).map((item) => get(view, item, 'name'));
  if (weighted !== undefined) out.pool(`${pool} (weighted)`, service.pos, serviceMembers(view, names(weighted)));
  if (hrw !== undefined) out.pool(`${pool} (highestRandomWeight)`, service.pos, serviceMembers(view, names(hrw)));
  if (loadBalancer !== undefined) {
    const servers = view.items(get(view, loadBalancer, 'servers')).flatMap((server) => urlMember(view.scalar(get(view, server, 'url'))) ?? []);
    out.pool(pool, service.pos, servers);
  } else if (mirroring !== undefined) {
    const mirrors = view.items(get(view, mirroring, 'mirrors')).map((item) => get(view, item, 'name'));
    out.pool(pool, service.pos, serviceMembers(view, [get(view, mirroring, 'service'), ...mirrors]));
  } else if (failover !== undefined) {
    out.pool(pool, service.pos, serviceMembers(view, [get(view, failover, 'service'), get(view, failover, 'fallback')]));
  } else if (weighted === undefined && hrw === undefined) {
    out.pool(pool, service.pos, []);
  }
}

function walkV2(view: TreeView, root: unknown, out: Collector): void {
  for (const service of view.entries(get(view, get(view, root, 'http'), 'services'))) {
    servicePools(view, service, out);
    const pool = `service ${service.key}`;
    const loadBalancer = entry(view, service.value, 'loadBalancer');
    const sticky = stickyCookie(view, loadBalancer);
    if (sticky) out.add('lb-cookie', pool, sticky.spelled, sticky.cookie.pos, cookieOf(view, sticky.cookie.value));

    // v3 strategies: only hrw pins clients (by their IP); wrr, p2c and leasttime do not.
    const strategy = entry(view, loadBalancer?.value, 'strategy');
    const strategyName = view.scalar(strategy?.value)?.trim();
    if (loadBalancer && strategy && strategyName?.toLowerCase() === 'hrw') {
      out.add('client-ip', pool, `${loadBalancer.key}.${strategy.key} ${strategyName}`, strategy.pos);
    }

    const weightedSticky = stickyCookie(view, entry(view, service.value, 'weighted'));
    if (weightedSticky) {
      const cookie = cookieOf(view, weightedSticky.cookie.value);
      out.add('lb-cookie', `${pool} (weighted)`, weightedSticky.spelled, weightedSticky.cookie.pos, cookie);
    }

    const hrw = entry(view, service.value, 'highestRandomWeight');
    if (hrw && goBool(view.scalar(hrw.value)) !== false) {
      out.add('client-ip', `${pool} (highestRandomWeight)`, hrw.key, hrw.pos);
    }
  }
}

function walkV1(view: TreeView, root: unknown, out: Collector): void {
  for (const backend of view.entries(get(view, root, 'backends'))) {
    const pool = `backend ${backend.key}`;
    // v1: `[backends.NAME.servers.SERVER] url = "http://..."`.
    const servers = view
      .entries(get(view, backend.value, 'servers'))
      .flatMap((server) => urlMember(view.scalar(get(view, server.value, 'url'))) ?? []);
    out.pool(pool, backend.pos, servers);
    const loadBalancer = entry(view, backend.value, 'loadBalancer');
    const stickiness = entry(view, loadBalancer?.value, 'stickiness');
    const sticky = entry(view, loadBalancer?.value, 'sticky');
    // v1 cannot set Secure, HttpOnly or a lifetime for this cookie, so those stay unknown.
    if (loadBalancer && stickiness && goBool(view.scalar(stickiness.value)) !== false) {
      const cookie: AffinityCookie = {};
      const name = view.scalar(get(view, stickiness.value, 'cookieName'));
      if (name) cookie.name = name;
      out.add('lb-cookie', pool, `${loadBalancer.key}.${stickiness.key}`, stickiness.pos, cookie);
    } else if (loadBalancer && sticky && goBool(view.scalar(sticky.value)) === true) {
      out.add('lb-cookie', pool, `${loadBalancer.key}.${sticky.key} = true`, sticky.pos, {});
    }
  }
}

const K8S = /^apiVersion[ \t]*:/m;
const OTHER_YAML = /^(?:static_resources|staticResources|services|AWSTemplateFormatVersion|Resources)[ \t]*:/m;
const YAML_V2 = /^http[ \t]*:[ \t]*(?:#.*)?$/m;
const YAML_V2_CHILD = /^[ \t]+(?:services|routers|middlewares|serversTransports)[ \t]*:/m;
const YAML_V1 = /^backends[ \t]*:[ \t]*(?:#.*)?$/m;
const YAML_V1_FRONTENDS = /^frontends[ \t]*:[ \t]*(?:#.*)?$/m;
const TOML_V2 = /^[ \t]*\[\[?[ \t]*http\.(?:services|routers|middlewares)[ \t]*[.\]]/m;
const TOML_V1 = /^[ \t]*\[[ \t]*backends[ \t]*[.\]]/m;
const TOML_V1_MORE = /^[ \t]*\[\[?[ \t]*(?:frontends[ \t]*[.\]]|backends\.[^\]\n]*\.(?:servers|loadbalancer)\b)/im;

function isToml(file: string): boolean {
  return /\.toml$/i.test(file);
}

export const traefikParser: ConfigParser = {
  format: 'traefik',

  detect(input: ParseInput): boolean {
    const name = path.basename(input.file);
    const text = input.text;
    if (isToml(name)) return TOML_V2.test(text) || (TOML_V1.test(text) && TOML_V1_MORE.test(text));
    if (!/\.ya?ml$/i.test(name)) return false;
    if (K8S.test(text) || OTHER_YAML.test(text)) return false;
    return (YAML_V2.test(text) && YAML_V2_CHILD.test(text)) || (YAML_V1.test(text) && YAML_V1_FRONTENDS.test(text));
  },

  parse(input: ParseInput): ModelFragment {
    const out = new Collector(input);
    if (isToml(input.file)) {
      const root = parseToml(input.file, input.text, input.lines).root;
      walkV2(tomlView, root, out);
      walkV1(tomlView, root, out);
    } else {
      for (const doc of input.yaml().docs) {
        const view = yamlView(input, doc);
        const root: Node | null = doc.contents;
        walkV2(view, root, out);
        walkV1(view, root, out);
      }
    }
    return { affinities: out.affinities, pools: out.pools };
  },
};
