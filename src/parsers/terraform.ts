import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Affinity, AffinityCookie, AffinityMechanism } from '../model/index.js';
import { affinityAt } from './affinity-at.js';
import { hclAttribute, hclBlocks, parseHcl, type HclAttribute, type HclBlock, type HclBody, type HclValue } from './hcl.js';
import type { ConfigParser, ParseInput } from './types.js';
import { entries, type YamlSource } from './yaml-source.js';

/*
 * Terraform: the load-balancer resources of the AWS, Google and AzureRM providers that switch session affinity on.
 * Only literal values decide "off"; a value taken from a variable, a local or any other expression is resolved when
 * the same file gives it (a variable's default, a local), and otherwise reported with a detail saying what it depends
 * on: a module whose stickiness hangs on an input can be sticky, and hiding that would be a silent miss.
 */

export const terraformParser: ConfigParser = {
  format: 'terraform',
  detect(input) {
    const name = input.file.toLowerCase();
    if (/\.(tf|tofu)$/.test(name)) return true;
    return /\.(tf|tofu)\.json$/.test(name) && /^\s*\{/.test(input.text);
  },
  parse(input) {
    const body = /\.json$/i.test(input.file) ? bodyFromJson(input) : parseHcl(input.text, input.file);
    const ctx: Ctx = { input, values: collectValues(body), out: [] };
    for (const block of hclBlocks(body, 'resource')) {
      if (block.labels.length < 2) continue;
      const check = RESOURCES[block.labels[0]];
      if (check) check(block, ctx);
    }
    return { affinities: ctx.out };
  },
};

interface Ctx {
  input: ParseInput;
  /** `var.x` defaults and `local.x` values given in this file. */
  values: Map<string, HclValue>;
  out: Affinity[];
}

type Resolved = { known: true; value: HclValue; note?: string } | { known: false; note: string };

const RESOURCES: Record<string, (block: HclBlock, ctx: Ctx) => void> = {
  aws_lb_target_group: targetGroup,
  aws_alb_target_group: targetGroup,
  aws_lb_cookie_stickiness_policy: lbCookiePolicy,
  aws_app_cookie_stickiness_policy: appCookiePolicy,
  aws_lb_listener: listenerForward,
  aws_alb_listener: listenerForward,
  aws_lb_listener_rule: listenerForward,
  aws_alb_listener_rule: listenerForward,
  google_compute_backend_service: backendService,
  google_compute_region_backend_service: backendService,
  google_compute_target_pool: backendService, // legacy network LB: NONE, CLIENT_IP, CLIENT_IP_PROTO
  azurerm_application_gateway: applicationGateway,
  azurerm_lb_rule: lbRule,
};

// ---------------------------------------------------------------------------------------------------------------
// AWS

/*
 * aws_lb_target_group stickiness, per the provider's schema (internal/service/elbv2/target_group.go) and
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_target_group#stickiness:
 * `enabled` defaults to true when the block is present (schema Default: true; some doc versions say false, the
 * code is what runs), `type` is required (lb_cookie / app_cookie for ALBs, source_ip for NLBs, source_ip_dest_ip and
 * source_ip_dest_ip_proto for GWLBs), `cookie_duration` defaults to 86400 s and is sent for lb_cookie and app_cookie.
 * The ALB's own cookies (AWSALB, AWSALBAPP-*) cannot be given Secure/HttpOnly: those flags stay undefined.
 */
function targetGroup(block: HclBlock, ctx: Ctx): void {
  const pool = `${block.labels[0]}.${block.labels[1]}`;
  // The provider only sends stickiness attributes for instance and ip targets (resourceTargetGroupCreate).
  const targetType = literalString(block.body, 'target_type', ctx)?.toLowerCase();
  if (targetType === 'lambda' || targetType === 'alb') return;
  const protocol = literalString(block.body, 'protocol', ctx)?.toUpperCase();
  for (const stickiness of nestedBlocks(block.body, 'stickiness')) {
    const notes = stickiness.note ? [stickiness.note] : [];
    const enabled = hclAttribute(stickiness.body, 'enabled');
    if (enabled) {
      const state = switchState(enabled, ctx, asBool);
      if (!state.on) continue;
      if (state.note) notes.push(`enabled = ${showValue(enabled.value)}: ${state.note}`);
    }
    const typeAttr = hclAttribute(stickiness.body, 'type');
    const typeResolved = typeAttr ? resolve(typeAttr.value, ctx) : undefined;
    let type = typeResolved?.known ? asString(typeResolved.value)?.toLowerCase() : undefined;
    if (!type) {
      // `type` is required; when it is not a literal, guess from what else the block says.
      if (typeAttr) notes.push(`type = ${showValue(typeAttr.value)}`);
      const layer4 = protocol !== undefined && ['TCP', 'UDP', 'TCP_UDP', 'TLS'].includes(protocol);
      type = layer4 ? 'source_ip' : hclAttribute(stickiness.body, 'cookie_name') ? 'app_cookie' : 'lb_cookie';
    } else if (typeResolved?.known && typeResolved.note) {
      notes.push(typeResolved.note);
    }
    const at = enabled ?? stickiness.header;
    const duration = cookieDuration(stickiness.body, ctx);
    if (type === 'lb_cookie') {
      push(ctx, at, 'lb-cookie', pool, withNotes('stickiness lb_cookie', notes), { name: 'AWSALB', ...duration });
    } else if (type === 'app_cookie') {
      const cookieName = literalString(stickiness.body, 'cookie_name', ctx);
      const detail = `stickiness app_cookie${cookieName ? ` ${cookieName}` : ''}`;
      push(ctx, at, 'app-cookie', pool, withNotes(detail, notes), { name: cookieName, ...duration });
    } else if (type.startsWith('source_ip')) {
      push(ctx, at, 'client-ip', pool, withNotes(`stickiness ${type}`, notes));
    }
  }
}

function cookieDuration(body: HclBody, ctx: Ctx): Pick<AffinityCookie, 'maxAgeSeconds' | 'lifetimeText'> {
  const attr = hclAttribute(body, 'cookie_duration');
  if (!attr) return { maxAgeSeconds: 86400, lifetimeText: 'cookie_duration not set: 86400 s (1 day) by default' };
  const resolved = resolve(attr.value, ctx);
  return {
    maxAgeSeconds: resolved.known ? asNumber(resolved.value) : undefined,
    lifetimeText: `cookie_duration = ${showValue(attr.value)}`,
  };
}

/*
 * Classic ELB policies. Cookie name AWSELB; "If an expiration period is not specified, the stickiness session lasts
 * for the duration of the browser session" (CreateLBCookieStickinessPolicy / AwsElbLbCookieStickinessPolicy API
 * reference, https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/API_CreateLBCookieStickinessPolicy.html).
 * The policy resource itself attaches the policy to the listener on `lb_port`, so its declaration switches it on.
 */
function lbCookiePolicy(block: HclBlock, ctx: Ctx): void {
  const period = hclAttribute(block.body, 'cookie_expiration_period');
  let lifetime: Pick<AffinityCookie, 'maxAgeSeconds' | 'lifetimeText'>;
  if (!period) {
    lifetime = { maxAgeSeconds: null, lifetimeText: 'no cookie_expiration_period: lasts for the browser session' };
  } else {
    const value = resolveNumber(period.value, ctx);
    // "If you do not specify this parameter, the default value is 0, which indicates that the sticky session should
    // last for the duration of the browser session" (CreateLBCookieStickinessPolicy).
    lifetime = value === 0
      ? { maxAgeSeconds: null, lifetimeText: `cookie_expiration_period = 0: lasts for the browser session` }
      : { maxAgeSeconds: value, lifetimeText: `cookie_expiration_period = ${showValue(period.value)}` };
  }
  const detail = period ? `lb cookie stickiness policy, cookie_expiration_period = ${showValue(period.value)}` : 'lb cookie stickiness policy';
  push(ctx, block, 'lb-cookie', elbPool(block, ctx), detail, { name: 'AWSELB', ...lifetime });
}

/* The ELB's AWSELB cookie follows the lifetime of the application's cookie (CreateAppCookieStickinessPolicy). */
function appCookiePolicy(block: HclBlock, ctx: Ctx): void {
  const cookieName = literalString(block.body, 'cookie_name', ctx);
  const attr = hclAttribute(block.body, 'cookie_name');
  const shown = cookieName ?? (attr ? showValue(attr.value) : undefined);
  push(ctx, block, 'app-cookie', elbPool(block, ctx), `app cookie stickiness policy${shown ? ` ${shown}` : ''}`, {
    name: cookieName,
    lifetimeText: 'follows the application cookie',
  });
}

function elbPool(block: HclBlock, ctx: Ctx): string {
  const attr = hclAttribute(block.body, 'load_balancer');
  let lb = `${block.labels[0]}.${block.labels[1]}`;
  if (attr) {
    const text = attr.value.kind === 'expr' ? attr.value.text : asString(attr.value);
    const reference = text ? /^(aws_elb\.[\w-]+)(\.(id|name|arn))?$/.exec(text.trim()) : null;
    if (reference) lb = reference[1];
    else if (text) lb = attr.value.kind === 'expr' ? text : `elb ${text}`;
  }
  const port = literalNumber(block.body, 'lb_port', ctx);
  return port !== undefined ? `${lb} port ${port}` : lb;
}

/*
 * Target-group stickiness of a forward action (aws_lb_listener default_action / aws_lb_listener_rule action):
 * `forward { stickiness { enabled, duration } }`, enabled defaulting to false (provider schema, listener.go).
 * The ALB pins the client to a target group with its AWSALBTG cookie for `duration` seconds.
 */
function listenerForward(block: HclBlock, ctx: Ctx): void {
  const pool = `${block.labels[0]}.${block.labels[1]}`;
  for (const actionType of ['default_action', 'action']) {
    for (const action of nestedBlocks(block.body, actionType)) {
      for (const forward of nestedBlocks(action.body, 'forward')) {
        for (const stickiness of nestedBlocks(forward.body, 'stickiness')) {
          const enabled = hclAttribute(stickiness.body, 'enabled');
          if (!enabled) continue;
          const state = switchState(enabled, ctx, asBool);
          if (!state.on) continue;
          const notes = [action.note, stickiness.note, state.note ? `enabled = ${showValue(enabled.value)}: ${state.note}` : undefined].filter(
            (note): note is string => note !== undefined,
          );
          const duration = hclAttribute(stickiness.body, 'duration');
          const resolved = duration ? resolve(duration.value, ctx) : undefined;
          push(ctx, enabled, 'lb-cookie', pool, withNotes('forward stickiness (target group)', notes), {
            name: 'AWSALBTG',
            maxAgeSeconds: resolved?.known ? asNumber(resolved.value) : undefined,
            lifetimeText: duration ? `duration = ${showValue(duration.value)}` : undefined,
          });
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Google

const CLIENT_IP_AFFINITIES = new Set(['CLIENT_IP', 'CLIENT_IP_PROTO', 'CLIENT_IP_PORT_PROTO', 'CLIENT_IP_NO_DESTINATION']);

/*
 * google_compute_backend_service / google_compute_region_backend_service `session_affinity` (default NONE), per
 * https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_backend_service and
 * https://cloud.google.com/load-balancing/docs/backend-service#session_affinity:
 * GENERATED_COOKIE: the load balancer's cookie, GCLB on global external Application Load Balancers, GCILB on
 * internal, regional and service-mesh ones; `affinity_cookie_ttl_sec` 0 or unset: "the cookie is non-persistent and
 * lasts only until the end of the browser session". HTTP_COOKIE hashes `consistent_hash.http_cookie`, HEADER_FIELD
 * `consistent_hash.http_header_name`, STRONG_COOKIE_AFFINITY uses `strong_session_affinity_cookie`.
 * No Secure/HttpOnly settings exist for these cookies. A session_affinity that is not a literal is skipped: the
 * mechanism cannot be chosen without it.
 */
function backendService(block: HclBlock, ctx: Ctx): void {
  const attr = hclAttribute(block.body, 'session_affinity');
  if (!attr) return;
  const resolved = resolve(attr.value, ctx);
  if (!resolved.known) return;
  const affinity = asString(resolved.value)?.toUpperCase();
  if (!affinity) return;
  const pool = `${block.labels[0]}.${block.labels[1]}`;
  const detail = withNotes(`session_affinity = ${affinity}`, resolved.note ? [resolved.note] : []);
  const hash = hclBlocks(block.body, 'consistent_hash')[0]?.body;
  if (CLIENT_IP_AFFINITIES.has(affinity)) {
    push(ctx, attr, 'client-ip', pool, detail);
  } else if (affinity === 'GENERATED_COOKIE') {
    const scheme = literalString(block.body, 'load_balancing_scheme', ctx)?.toUpperCase() ?? 'EXTERNAL';
    const global = block.labels[0] === 'google_compute_backend_service';
    const name = global && (scheme === 'EXTERNAL' || scheme === 'EXTERNAL_MANAGED') ? 'GCLB' : 'GCILB';
    const ttl = hclAttribute(block.body, 'affinity_cookie_ttl_sec');
    push(ctx, attr, 'lb-cookie', pool, detail, { name, ...seconds(ttl ? resolveNumber(ttl.value, ctx) : 0, ttl ? `affinity_cookie_ttl_sec = ${showValue(ttl.value)}` : 'affinity_cookie_ttl_sec unset') });
  } else if (affinity === 'HTTP_COOKIE') {
    const cookie = hash ? hclBlocks(hash, 'http_cookie')[0]?.body : undefined;
    const name = cookie ? literalString(cookie, 'name', ctx) : undefined;
    const ttl = cookie ? ttlSeconds(cookie, ctx) : undefined;
    const fallback = hclAttribute(block.body, 'affinity_cookie_ttl_sec');
    const lifetime = ttl
      ? seconds(ttl.value, ttl.text)
      : fallback
        ? seconds(resolveNumber(fallback.value, ctx), `affinity_cookie_ttl_sec = ${showValue(fallback.value)}`)
        : {};
    push(ctx, attr, 'app-cookie', pool, name ? `${detail} ${name}` : detail, { name, ...lifetime });
  } else if (affinity === 'HEADER_FIELD') {
    const header = hash ? literalString(hash, 'http_header_name', ctx) : undefined;
    push(ctx, attr, 'header', pool, header ? `${detail} ${header}` : detail);
  } else if (affinity === 'STRONG_COOKIE_AFFINITY') {
    const cookie = hclBlocks(block.body, 'strong_session_affinity_cookie')[0]?.body;
    const name = cookie ? literalString(cookie, 'name', ctx) : undefined;
    const ttl = cookie ? ttlSeconds(cookie, ctx) : undefined;
    push(ctx, attr, 'lb-cookie', pool, name ? `${detail} ${name}` : detail, { name, ...(ttl ? seconds(ttl.value, ttl.text) : {}) });
  }
}

/** A `ttl { seconds = N }` block. */
function ttlSeconds(body: HclBody, ctx: Ctx): { value: number | undefined; text: string } | undefined {
  const ttl = hclBlocks(body, 'ttl')[0];
  const secondsAttr = ttl ? hclAttribute(ttl.body, 'seconds') : undefined;
  if (!secondsAttr) return undefined;
  return { value: resolveNumber(secondsAttr.value, ctx), text: `ttl { seconds = ${showValue(secondsAttr.value)} }` };
}

/** A lifetime in seconds where 0 means a browser-session cookie (Google's documented meaning). */
function seconds(value: number | undefined, text: string): Pick<AffinityCookie, 'maxAgeSeconds' | 'lifetimeText'> {
  if (value === 0) return { maxAgeSeconds: null, lifetimeText: `${text}: a browser-session cookie` };
  return { maxAgeSeconds: value, lifetimeText: text };
}

// ---------------------------------------------------------------------------------------------------------------
// Azure

/*
 * azurerm_application_gateway `backend_http_settings { cookie_based_affinity = "Enabled" }`, cookie
 * `affinity_cookie_name` (default ApplicationGatewayAffinity, plus ApplicationGatewayAffinityCORS): see
 * https://learn.microsoft.com/azure/application-gateway/configuration-http-settings. The gateway sets the cookie
 * without an expiry (a browser-session cookie; no lifetime setting exists) and without Secure/HttpOnly, which cannot
 * be configured: secure/httpOnly stay undefined.
 */
function applicationGateway(block: HclBlock, ctx: Ctx): void {
  for (const settings of nestedBlocks(block.body, 'backend_http_settings')) {
    const attr = hclAttribute(settings.body, 'cookie_based_affinity');
    if (!attr) continue;
    const state = switchState(attr, ctx, (value) => {
      const text = asString(value)?.toLowerCase();
      return text === 'enabled' ? true : text === 'disabled' ? false : undefined;
    });
    if (!state.on) continue;
    const nameAttr = hclAttribute(settings.body, 'name');
    const settingsName = nameAttr ? (asString(nameAttr.value) ?? showValue(nameAttr.value)) : undefined;
    const pool = `${block.labels[0]}.${block.labels[1]} backend_http_settings${settingsName ? ` ${settingsName}` : ''}`;
    const cookieName = literalString(settings.body, 'affinity_cookie_name', ctx) ?? 'ApplicationGatewayAffinity';
    const notes = [settings.note, state.note ? `cookie_based_affinity = ${showValue(attr.value)}: ${state.note}` : undefined].filter(
      (note): note is string => note !== undefined,
    );
    push(ctx, attr, 'lb-cookie', pool, withNotes(`cookie_based_affinity ${cookieName}`, notes), {
      name: cookieName,
      maxAgeSeconds: null,
      lifetimeText: 'session cookie (Application Gateway sets no expiry)',
    });
  }
}

/*
 * azurerm_lb_rule `load_distribution`: Default (5-tuple hash), SourceIP (2-tuple: client IP), SourceIPProtocol
 * (3-tuple), per https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/lb_rule; the portal
 * calls them None, Client IP, Client IP and protocol.
 */
function lbRule(block: HclBlock, ctx: Ctx): void {
  const attr = hclAttribute(block.body, 'load_distribution');
  if (!attr) return;
  const state = switchState(attr, ctx, (value) => {
    const text = asString(value)?.toLowerCase().replace(/[\s_-]/g, '');
    if (text === 'sourceip' || text === 'sourceipprotocol' || text === 'clientip' || text === 'clientipandprotocol') return true;
    return false;
  });
  if (!state.on) return;
  const shown = asString(attr.value) ?? showValue(attr.value);
  push(ctx, attr, 'client-ip', `${block.labels[0]}.${block.labels[1]}`, withNotes(`load_distribution = ${shown}`, state.note ? [state.note] : []));
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** Blocks of a type, with the `content` of `dynamic "<type>"` blocks (whose header is the dynamic block). */
function nestedBlocks(body: HclBody, type: string): Array<{ body: HclBody; header: HclBlock; note?: string }> {
  const found: Array<{ body: HclBody; header: HclBlock; note?: string }> = hclBlocks(body, type).map((block) => ({ body: block.body, header: block }));
  for (const dynamic of hclBlocks(body, 'dynamic')) {
    if (dynamic.labels[0] !== type) continue;
    const forEach = hclAttribute(dynamic.body, 'for_each');
    const text = forEach ? showValue(forEach.value) : '';
    if (/^(\[\s*\]|\{\s*\}|null)$/.test(text)) continue;
    for (const content of hclBlocks(dynamic.body, 'content')) {
      found.push({ body: content.body, header: dynamic, note: `dynamic block, for_each = ${short(text)}` });
    }
  }
  return found;
}

/** On or off: literal values decide; anything unresolved counts as on, with a note saying what it depends on. */
function switchState(attr: HclAttribute, ctx: Ctx, test: (value: HclValue) => boolean | undefined): { on: boolean; note?: string } {
  const resolved = resolve(attr.value, ctx);
  if (!resolved.known) return { on: true, note: resolved.note };
  return { on: test(resolved.value) === true, note: resolved.note };
}

function resolve(value: HclValue, ctx: Ctx): Resolved {
  if (value.kind !== 'expr') return { known: true, value };
  const text = value.text.trim();
  const reference = /^(var|local)\.([A-Za-z_][\w-]*)$/.exec(text);
  if (reference) {
    const found = ctx.values.get(text);
    if (found && found.kind !== 'expr') return { known: true, value: found, note: `${text} ${reference[1] === 'var' ? 'defaults to' : 'is'} ${showValue(found)}` };
    return { known: false, note: `depends on ${text}` };
  }
  return { known: false, note: `depends on ${short(text)}` };
}

function resolveNumber(value: HclValue, ctx: Ctx): number | undefined {
  const resolved = resolve(value, ctx);
  return resolved.known ? asNumber(resolved.value) : undefined;
}

function collectValues(body: HclBody): Map<string, HclValue> {
  const values = new Map<string, HclValue>();
  for (const variable of hclBlocks(body, 'variable')) {
    const fallback = variable.labels[0] !== undefined ? hclAttribute(variable.body, 'default') : undefined;
    if (fallback) values.set(`var.${variable.labels[0]}`, fallback.value);
  }
  for (const locals of hclBlocks(body, 'locals')) {
    for (const attr of locals.body.attributes) values.set(`local.${attr.name}`, attr.value);
  }
  return values;
}

function literalString(body: HclBody, name: string, ctx: Ctx): string | undefined {
  const attr = hclAttribute(body, name);
  if (!attr) return undefined;
  const resolved = resolve(attr.value, ctx);
  return resolved.known ? asString(resolved.value) : undefined;
}

function literalNumber(body: HclBody, name: string, ctx: Ctx): number | undefined {
  const attr = hclAttribute(body, name);
  return attr ? resolveNumber(attr.value, ctx) : undefined;
}

/** Terraform converts between strings, numbers and bools; so do these. */
function asString(value: HclValue): string | undefined {
  if (value.kind === 'string') return value.value;
  if (value.kind === 'number' || value.kind === 'bool') return String(value.value);
  return undefined;
}

function asNumber(value: HclValue): number | undefined {
  if (value.kind === 'number') return value.value;
  if (value.kind === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value.value)) return Number(value.value);
  return undefined;
}

function asBool(value: HclValue): boolean | undefined {
  if (value.kind === 'bool') return value.value;
  if (value.kind === 'string') return value.value === 'true' ? true : value.value === 'false' ? false : undefined;
  return undefined;
}

function showValue(value: HclValue): string {
  switch (value.kind) {
    case 'string':
      return JSON.stringify(value.value);
    case 'number':
    case 'bool':
      return String(value.value);
    case 'null':
      return 'null';
    default:
      return short(value.text);
  }
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

function withNotes(detail: string, notes: string[]): string {
  return notes.length > 0 ? `${detail} (${notes.join('; ')})` : detail;
}

function push(
  ctx: Ctx,
  at: { line: number; column: number },
  mechanism: AffinityMechanism,
  pool: string,
  detail: string,
  cookie?: AffinityCookie,
): void {
  ctx.out.push(affinityAt(ctx.input, at, { format: 'terraform', mechanism, pool, detail, cookie }));
}

// ---------------------------------------------------------------------------------------------------------------
// .tf.json: the JSON syntax read into the same body shape, positions from the YAML/JSON reader.

/** Labels each top-level block type takes in Terraform's JSON syntax; nested blocks take none but `dynamic`. */
const JSON_LABELS: Record<string, number> = { resource: 2, data: 2, ephemeral: 2, variable: 1, module: 1, output: 1, provider: 1, check: 1, dynamic: 1 };
const MAX_JSON_DEPTH = 64;

function bodyFromJson(input: ParseInput): HclBody {
  const yaml = input.yaml();
  const root = yaml.docs[0]?.contents;
  return isMap(root) ? jsonBody(root, yaml, input.text, 0) : { attributes: [], blocks: [] };
}

function jsonBody(map: unknown, yaml: YamlSource, text: string, depth: number): HclBody {
  const body: HclBody = { attributes: [], blocks: [] };
  if (depth > MAX_JSON_DEPTH) return body;
  for (const { key, keyNode, value } of entries(map)) {
    if (key === '//') continue; // Terraform's JSON comment property
    const at = yaml.pos(keyNode);
    body.attributes.push({ name: key, value: jsonValue(value, text), ...at });
    // Without the provider schema an object may be an attribute (tags = {...}) or a block: it is kept as both.
    jsonBlocks(key, value, JSON_LABELS[key] ?? 0, [], at, yaml, text, depth, body.blocks);
  }
  return body;
}

function jsonBlocks(
  type: string,
  node: Node | null,
  labelsLeft: number,
  labels: string[],
  at: { line: number; column: number },
  yaml: YamlSource,
  text: string,
  depth: number,
  out: HclBlock[],
): void {
  if (depth > MAX_JSON_DEPTH) return;
  if (isSeq(node)) {
    for (const item of node.items) jsonBlocks(type, item as Node, labelsLeft, labels, yaml.pos(item as Node), yaml, text, depth + 1, out);
  } else if (isMap(node)) {
    if (labelsLeft === 0) {
      out.push({ type, labels, body: jsonBody(node, yaml, text, depth + 1), ...at });
      return;
    }
    for (const { key, keyNode, value } of entries(node)) {
      jsonBlocks(type, value, labelsLeft - 1, [...labels, key], yaml.pos(keyNode), yaml, text, depth + 1, out);
    }
  }
}

function jsonValue(node: Node | null, text: string): HclValue {
  if (node === null || node === undefined) return { kind: 'null' };
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return { kind: 'null' };
    if (typeof value === 'boolean') return { kind: 'bool', value };
    if (typeof value === 'number') return { kind: 'number', value };
    const string = String(value);
    if (/\$\{|%\{/.test(string.replace(/\$\$\{|%%\{/g, ''))) {
      // Terraform JSON strings are templates: "${var.x}" alone is the reference itself.
      const single = /^\$\{([^{}]*)\}$/.exec(string);
      return { kind: 'expr', text: single ? single[1].replace(/^~|~$/g, '').trim() : JSON.stringify(string) };
    }
    return { kind: 'string', value: string.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') };
  }
  const range = node.range;
  return { kind: 'expr', text: range ? text.slice(range[0], range[1]) : '' };
}
