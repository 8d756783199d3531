import path from 'node:path';
import { isMap, isScalar, type Document, type Node } from 'yaml';
import type { Affinity, AffinityCookie, AffinityMechanism, Pool, Workload } from '../model/index.js';
import { affinityAt } from './affinity-at.js';
import { composeWorkload as workloadOf, type EnvFiles } from './compose-workload.js';
import { member, poolAt, portNumber } from './pool-at.js';
import { goBool, traefikCookie } from './traefik.js';
import type { ConfigParser, ModelFragment, ParseInput } from './types.js';
import type { YamlSource } from './yaml-source.js';
import { mergedEntries, mergedGet, resolveAlias, resolvedItems } from './yaml-merge.js';

/**
 * Docker Compose / swarm stack files: the Traefik labels on each service (`labels:` and swarm's
 * `deploy.labels:`, list form `- "key=value"` or map form `key: value`). Traefik reads label keys
 * case-insensitively. Label syntax:
 * - v2/v3: https://doc.traefik.io/traefik/reference/routing-configuration/other-providers/docker/
 *   `traefik.http.services.<svc>.loadbalancer.sticky.cookie=true` and `...sticky.cookie.<option>=`
 *   (early v2.0 docs spelled the switch `...loadbalancer.sticky=true`), `...loadbalancer.strategy=hrw`
 * - v1: https://doc.traefik.io/traefik/v1.7/configuration/backends/docker/
 *   `traefik.backend.loadbalancer.stickiness=true`, `...stickiness.cookieName=NAME`,
 *   deprecated `traefik.backend.loadbalancer.sticky=true`
 * Every service is also a Workload (compose-workload.ts), and the Traefik services on it are Pools.
 */

interface Label {
  key: string;
  lower: string;
  /** undefined for a bare `- key` list item. */
  value: string | undefined;
  line: number;
  column: number;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

function readLabels(node: unknown, doc: Document.Parsed, source: YamlSource): Label[] {
  const labels: Label[] = [];
  const resolved = resolveAlias(node, doc);
  if (isMap(resolved)) {
    for (const entry of mergedEntries(resolved, doc)) {
      const key = entry.key.trim();
      labels.push({ key, lower: key.toLowerCase(), value: scalarText(entry.value)?.trim(), ...source.pos(entry.keyNode) });
    }
    return labels;
  }
  for (const item of resolvedItems(resolved, doc)) {
    const text = scalarText(item);
    if (text === undefined) continue;
    const eq = text.indexOf('=');
    const key = (eq < 0 ? text : text.slice(0, eq)).trim();
    labels.push({ key, lower: key.toLowerCase(), value: eq < 0 ? undefined : text.slice(eq + 1).trim(), ...source.pos(item) });
  }
  return labels;
}

const V2_SERVICE = /^traefik\.http\.services\.([^.]+)\.loadbalancer\.(.+)$/;
const COOKIE_OPTION = 'sticky.cookie.';

interface ServiceLabels {
  name: string;
  switch?: Label;
  options: Map<string, Label>;
  strategy?: Label;
  port?: Label;
  labels: Label[];
}

/**
 * The Traefik pools of one compose service, named as its affinities are: each
 * `traefik.http.services.<name>.loadbalancer.*` service and the v1 backend (`traefik.backend`, default the
 * compose service, when any v1 label is set); with neither, when Traefik routes to the container
 * (`traefik.enable=true` or router labels), the service Traefik makes by default, named after the compose
 * service here (Traefik itself appends the compose project: `web-myproject`, which a file does not say). Members: the compose service at
 * `loadbalancer.server.port` (v1 `traefik.port`); without it Traefik takes the container's one exposed port.
 */
function traefikPools(composeService: string, labelSets: Label[][], out: Collector): void {
  // A label set with `traefik.enable=false` is ignored by Traefik, as checkLabels ignores it.
  const labels = labelSets.filter((set) => goBool(findLabel(set, 'traefik.enable')?.value) !== false).flat();
  if (labels.length === 0) return;
  const services = serviceLabels(labels);
  for (const service of services.values()) {
    const pool = `compose service ${composeService} (traefik service ${service.name})`;
    out.pool(composeService, pool, firstOf(service.labels), portNumber(service.port?.value));
  }
  const v1 = labels.filter((label) => V1_LABEL.test(label.lower));
  if (v1.length > 0) {
    const backend = findLabel(labels, 'traefik.backend');
    const pool = `compose service ${composeService} (traefik backend ${backend?.value || composeService})`;
    out.pool(composeService, pool, backend ?? firstOf(v1), portNumber(findLabel(labels, 'traefik.port')?.value));
  }
  if (services.size > 0 || v1.length > 0) return;
  const enable = findLabel(labels, 'traefik.enable');
  const routers = labels.filter((label) => label.lower.startsWith('traefik.http.routers.'));
  if (goBool(enable?.value) === true || routers.length > 0) {
    out.pool(composeService, `compose service ${composeService} (traefik service ${composeService})`, enable ?? firstOf(routers), undefined);
  }
}

/** The last label of that (lower-case) key: a repeated key's last value wins. */
function findLabel(labels: Label[], lower: string): Label | undefined {
  let found: Label | undefined;
  for (const label of labels) if (label.lower === lower) found = label;
  return found;
}

/** `traefik.http.services.<name>.loadbalancer.*` labels grouped by service name (as written; Traefik's names are case-sensitive). */
function serviceLabels(labels: Label[]): Map<string, ServiceLabels> {
  const services = new Map<string, ServiceLabels>();
  for (const label of labels) {
    const match = V2_SERVICE.exec(label.lower);
    if (!match) continue;
    const name = label.key.split('.')[3];
    let service = services.get(name);
    if (!service) services.set(name, (service = { name, options: new Map(), labels: [] }));
    service.labels.push(label);
    const rest = match[2];
    if (rest === 'sticky.cookie' || rest === 'sticky') service.switch = label;
    else if (rest.startsWith(COOKIE_OPTION)) service.options.set(rest.slice(COOKIE_OPTION.length), label);
    else if (rest === 'strategy') service.strategy = label;
    else if (rest === 'server.port') service.port = label;
  }
  return services;
}

class Collector {
  readonly affinities: Affinity[] = [];
  readonly pools: Pool[] = [];
  private readonly poolNames = new Set<string>();
  constructor(private readonly input: ParseInput) {}

  add(mechanism: AffinityMechanism, pool: string, label: Label, cookie?: AffinityCookie): void {
    const detail = label.value === undefined ? label.key : `${label.key}=${label.value}`;
    this.affinities.push(affinityAt(this.input, label, { format: 'compose', mechanism, pool, detail, cookie }));
  }

  /** A Traefik service on a compose service; `labels` and swarm `deploy.labels` naming the same one give one pool. */
  pool(composeService: string, name: string, at: Label, port: number | undefined): void {
    if (this.poolNames.has(name)) return;
    this.poolNames.add(name);
    this.pools.push(
      poolAt(this.input, at, { format: 'compose', name, proxy: 'Traefik', members: [member(composeService, port)], workload: composeService }),
    );
  }
}

/** The label written first (a merged map's entries are not in file order). */
const firstOf = (labels: Label[]) => labels.reduce((a, b) => (b.line < a.line || (b.line === a.line && b.column < a.column) ? b : a));
const V1_LABEL = /^traefik\.(?:backend|port|frontend)(?:\.|$)/;

function checkLabels(composeService: string, labels: Label[], out: Collector): void {
  const find = (lower: string) => findLabel(labels, lower);
  // A container Traefik is told to ignore has no load balancer at all.
  if (goBool(find('traefik.enable')?.value) === false) return;

  const services = serviceLabels(labels);
  for (const service of services.values()) {
    const pool = `compose service ${composeService} (traefik service ${service.name})`;
    // Cookie options alone create the cookie too; an explicit `=false` switch wins.
    const on = service.switch ?? [...service.options.values()].sort((a, b) => a.line - b.line || a.column - b.column)[0];
    if (on && goBool(service.switch?.value) !== false) {
      out.add('lb-cookie', pool, on, traefikCookie((option) => service.options.get(option.toLowerCase())?.value));
    }
    if (service.strategy?.value?.toLowerCase() === 'hrw') out.add('client-ip', pool, service.strategy);
  }

  // v1: the switch is required; a cookie name alone does not enable stickiness (traefik v1.7
  // provider/label GetLoadBalancer: `if GetBoolValue(labels, TraefikBackendLoadBalancerStickiness, false) {...}`).
  const backend = find('traefik.backend')?.value || composeService;
  const pool = `compose service ${composeService} (traefik backend ${backend})`;
  const stickiness = find('traefik.backend.loadbalancer.stickiness');
  const sticky = find('traefik.backend.loadbalancer.sticky');
  if (stickiness && goBool(stickiness.value) === true) {
    // v1 cannot set Secure, HttpOnly or a lifetime for this cookie, so those stay unknown.
    const cookie: AffinityCookie = {};
    const name = find('traefik.backend.loadbalancer.stickiness.cookiename')?.value;
    if (name) cookie.name = name;
    out.add('lb-cookie', pool, stickiness, cookie);
  } else if (sticky && goBool(sticky.value) === true) {
    out.add('lb-cookie', pool, sticky, {});
  }
}

const COMPOSE_NAME = /^(?:docker-)?compose(?:\.[^/\\]*)?\.ya?ml$/i;
const SERVICES = /^services[ \t]*:[ \t]*(?:#.*)?$/m;
const SERVICE_KEYS = /^[ \t]+(?:image|build|labels|deploy)[ \t]*:/m;
const LEGACY_SERVICE_KEYS = /^[ \t]+(?:image|build)[ \t]*:/m;
const NOT_COMPOSE = /^(?:apiVersion|static_resources|staticResources|http|AWSTemplateFormatVersion|Resources)[ \t]*:/m;

export const composeParser: ConfigParser = {
  format: 'compose',

  detect(input: ParseInput): boolean {
    const name = path.basename(input.file);
    if (!/\.ya?ml$/i.test(name)) return false;
    const text = input.text;
    if (NOT_COMPOSE.test(text)) return false;
    if (SERVICES.test(text)) return SERVICE_KEYS.test(text);
    // Compose file format v1 had no `services:`: services sat at the top level.
    return COMPOSE_NAME.test(name) && LEGACY_SERVICE_KEYS.test(text);
  },

  parse(input: ParseInput): ModelFragment {
    const out = new Collector(input);
    const workloads: Workload[] = [];
    const envFiles: EnvFiles = new Map();
    const source = input.yaml();
    for (const doc of source.docs) {
      const root: Node | null = doc.contents;
      const services = mergedGet(root, 'services', doc);
      const entries = services
        ? mergedEntries(services.value, doc)
        : mergedEntries(root, doc).filter((e) => isMap(e.value) && (mergedGet(e.value, 'image', doc) || mergedGet(e.value, 'build', doc)));
      for (const service of entries) {
        if (!isMap(service.value)) continue;
        const labels = readLabels(mergedGet(service.value, 'labels', doc)?.value, doc, source);
        checkLabels(service.key, labels, out);
        const deploy = mergedGet(service.value, 'deploy', doc)?.value;
        const swarmLabels = readLabels(mergedGet(deploy, 'labels', doc)?.value, doc, source);
        checkLabels(service.key, swarmLabels, out);
        traefikPools(service.key, [labels, swarmLabels], out);
        workloads.push(workloadOf(input, source, doc, service, envFiles));
      }
    }
    return { affinities: out.affinities, pools: out.pools, workloads };
  },
};
