import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Affinity, AffinityCookie, AffinityMechanism } from '../model/index.js';
import { affinityAt } from './affinity-at.js';
import type { ConfigParser, ParseInput } from './types.js';
import { entries, getKeyNode, getNode, items, scalarString, type YamlSource } from './yaml-source.js';

/*
 * CloudFormation (and SAM) templates, YAML or JSON. Short-form intrinsics (!Ref, !If, !Sub...) reach us as YAML nodes
 * with an unknown tag, which the `yaml` package keeps on the node (with a warning) while resolving the value.
 * A setting given by `!Ref Param` takes the parameter's Default; with no Default, or given by any other intrinsic, it
 * is reported as on with a detail saying what it depends on (a template that can be deployed sticky is sticky for an
 * audit), except that an `Fn::If` whose branches are all literally off stays off.
 */

export const cloudformationParser: ConfigParser = {
  format: 'cloudformation',
  detect(input) {
    const name = input.file.toLowerCase();
    if (!/\.(ya?ml|json|template|cfn)$/.test(name) || /\.(tf|tofu)\.json$/.test(name)) return false;
    const text = input.text;
    if (/\bAWSTemplateFormatVersion\b/.test(text)) return true;
    return /(^|[\s{,])["']?Resources["']?\s*:/m.test(text) && /["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::[A-Za-z0-9]/.test(text);
  },
  parse(input) {
    const yaml = input.yaml();
    const out: Affinity[] = [];
    for (const doc of yaml.docs) {
      const root = doc.contents;
      const ctx: Ctx = { input, yaml, parameters: getNode(root, ['Parameters']), out };
      for (const { key: logicalId, value: resource } of entries(getNode(root, ['Resources']))) {
        const type = scalarString(getNode(resource, ['Type']));
        const properties = getNode(resource, ['Properties']);
        if (!type || !properties) continue;
        const pool = `${type} ${logicalId}`;
        if (type === 'AWS::ElasticLoadBalancingV2::TargetGroup') targetGroup(properties, pool, ctx);
        else if (type === 'AWS::ElasticLoadBalancing::LoadBalancer') classicLoadBalancer(properties, pool, ctx);
        else if (type === 'AWS::ElasticLoadBalancingV2::Listener') forwardStickiness(getNode(properties, ['DefaultActions']), pool, ctx);
        else if (type === 'AWS::ElasticLoadBalancingV2::ListenerRule') forwardStickiness(getNode(properties, ['Actions']), pool, ctx);
      }
    }
    return { affinities: out };
  },
};

interface Ctx {
  input: ParseInput;
  yaml: YamlSource;
  parameters: Node | undefined;
  out: Affinity[];
}

type Literal = string | number | boolean | null;
type Resolved = { known: true; value: Literal; note?: string } | { known: false; note: string; branches?: Resolved[] };

/*
 * AWS::ElasticLoadBalancingV2::TargetGroup TargetGroupAttributes, per the TargetGroupAttribute API reference
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html):
 * stickiness.enabled (default false); stickiness.type lb_cookie / app_cookie (ALB), source_ip (NLB),
 * source_ip_dest_ip / source_ip_dest_ip_proto (GWLB), lb_cookie being what an HTTP/HTTPS target group reports when
 * no type is set; stickiness.lb_cookie.duration_seconds and stickiness.app_cookie.duration_seconds default to
 * 86400 s (1 day); stickiness.app_cookie.cookie_name names the application's cookie. The ALB's own cookies
 * (AWSALB, AWSALBAPP-*) have no Secure/HttpOnly setting: those flags stay undefined.
 */
function targetGroup(properties: Node, pool: string, ctx: Ctx): void {
  const attributes = new Map<string, { keyNode: Node; value: Node | undefined }>();
  for (const item of items(getNode(properties, ['TargetGroupAttributes']))) {
    const key = scalarString(getNode(item, ['Key']));
    const keyNode = getKeyNode(item, ['Key']);
    if (key && keyNode) attributes.set(key, { keyNode, value: getNode(item, ['Value']) });
  }
  const enabled = attributes.get('stickiness.enabled');
  if (!enabled) return;
  const state = switchState(resolve(enabled.value, ctx), isTrue);
  if (!state.on) return;
  const notes = state.note ? [`stickiness.enabled ${state.note}`] : [];
  const typeAttribute = attributes.get('stickiness.type');
  const typeResolved = typeAttribute ? resolve(typeAttribute.value, ctx) : undefined;
  let type = typeResolved?.known && typeResolved.value !== null ? String(typeResolved.value).toLowerCase() : undefined;
  if (typeResolved && !typeResolved.known) notes.push(`stickiness.type ${typeResolved.note}`);
  else if (typeResolved?.known && typeResolved.note) notes.push(`stickiness.type ${typeResolved.note}`);
  if (!type) {
    const protocol = literal(getNode(properties, ['Protocol']), ctx)?.toUpperCase();
    if (protocol === 'GENEVE') type = 'source_ip_dest_ip_proto';
    else if (protocol && ['TCP', 'UDP', 'TCP_UDP', 'TLS'].includes(protocol)) type = 'source_ip';
    else type = attributes.has('stickiness.app_cookie.cookie_name') ? 'app_cookie' : 'lb_cookie';
    if (!typeAttribute) notes.push('no stickiness.type: the default for its protocol');
  }
  const duration = (key: string): Pick<AffinityCookie, 'maxAgeSeconds' | 'lifetimeText'> => {
    const attribute = attributes.get(key);
    if (!attribute?.value) return { maxAgeSeconds: 86400, lifetimeText: `${key} not set: 86400 s (1 day) by default` };
    const resolved = resolve(attribute.value, ctx);
    return { maxAgeSeconds: resolved.known ? asNumber(resolved.value) : undefined, lifetimeText: `${key} = ${show(attribute.value, resolved)}` };
  };
  if (type === 'lb_cookie') {
    push(ctx, enabled.keyNode, 'lb-cookie', pool, withNotes('stickiness lb_cookie', notes), {
      name: 'AWSALB',
      ...duration('stickiness.lb_cookie.duration_seconds'),
    });
  } else if (type === 'app_cookie') {
    const nameAttribute = attributes.get('stickiness.app_cookie.cookie_name');
    const nameResolved = nameAttribute ? resolve(nameAttribute.value, ctx) : undefined;
    const name = nameResolved?.known && nameResolved.value !== null ? String(nameResolved.value) : undefined;
    push(ctx, enabled.keyNode, 'app-cookie', pool, withNotes(`stickiness app_cookie${name ? ` ${name}` : ''}`, notes), {
      name,
      ...duration('stickiness.app_cookie.duration_seconds'),
    });
  } else if (type.startsWith('source_ip')) {
    push(ctx, enabled.keyNode, 'client-ip', pool, withNotes(`stickiness ${type}`, notes));
  }
}

/*
 * AWS::ElasticLoadBalancing::LoadBalancer (Classic): LBCookieStickinessPolicy [{PolicyName, CookieExpirationPeriod}]
 * sets the AWSELB cookie; "If an expiration period is not specified, the stickiness session lasts for the duration
 * of the browser session" (API_CreateLBCookieStickinessPolicy). AppCookieStickinessPolicy [{PolicyName, CookieName}]
 * makes AWSELB follow the application's cookie. A policy only applies where a listener lists it in PolicyNames: it is
 * reported where declared, and the detail says whether a listener uses it.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancing-loadbalancer.html
 */
function classicLoadBalancer(properties: Node, pool: string, ctx: Ctx): void {
  const usedBy = new Map<string, string[]>();
  for (const listener of items(getNode(properties, ['Listeners']))) {
    const port = literal(getNode(listener, ['LoadBalancerPort']), ctx) ?? '?';
    for (const policy of items(getNode(listener, ['PolicyNames']))) {
      const name = literal(policy, ctx);
      if (name !== undefined) usedBy.set(name, [...(usedBy.get(name) ?? []), port]);
    }
  }
  const use = (name: string | undefined): string => {
    const ports = name !== undefined ? usedBy.get(name) : undefined;
    return ports ? `used by listener ${ports.map((port) => `port ${port}`).join(', ')}` : "not in any listener's PolicyNames";
  };
  for (const policy of items(getNode(properties, ['LBCookieStickinessPolicy']))) {
    const name = literal(getNode(policy, ['PolicyName']), ctx);
    const periodNode = getNode(policy, ['CookieExpirationPeriod']);
    let lifetime: Pick<AffinityCookie, 'maxAgeSeconds' | 'lifetimeText'>;
    if (!periodNode) {
      lifetime = { maxAgeSeconds: null, lifetimeText: 'no CookieExpirationPeriod: lasts for the browser session' };
    } else {
      const resolved = resolve(periodNode, ctx);
      const value = resolved.known ? asNumber(resolved.value) : undefined;
      // 0 is the API's default: "the sticky session should last for the duration of the browser session".
      lifetime = value === 0
        ? { maxAgeSeconds: null, lifetimeText: 'CookieExpirationPeriod 0: lasts for the browser session' }
        : { maxAgeSeconds: value, lifetimeText: `CookieExpirationPeriod = ${show(periodNode, resolved)}` };
    }
    const at = getKeyNode(policy, ['PolicyName']) ?? policy;
    push(ctx, at, 'lb-cookie', pool, `LBCookieStickinessPolicy${name ? ` ${name}` : ''} (${use(name)})`, { name: 'AWSELB', ...lifetime });
  }
  for (const policy of items(getNode(properties, ['AppCookieStickinessPolicy']))) {
    const name = literal(getNode(policy, ['PolicyName']), ctx);
    const cookieName = literal(getNode(policy, ['CookieName']), ctx);
    const at = getKeyNode(policy, ['PolicyName']) ?? policy;
    push(ctx, at, 'app-cookie', pool, `AppCookieStickinessPolicy${name ? ` ${name}` : ''}${cookieName ? ` ${cookieName}` : ''} (${use(name)})`, {
      name: cookieName,
      lifetimeText: 'follows the application cookie',
    });
  }
}

/*
 * A forward action's ForwardConfig.TargetGroupStickinessConfig {Enabled, DurationSeconds}: the ALB pins the client to
 * one target group of the action with its AWSALBTG cookie for DurationSeconds (1-604800).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-elasticloadbalancingv2-listener-targetgroupstickinessconfig.html
 */
function forwardStickiness(actions: Node | undefined, pool: string, ctx: Ctx): void {
  for (const action of items(actions)) {
    const config = getNode(action, ['ForwardConfig', 'TargetGroupStickinessConfig']);
    const enabled = getNode(config, ['Enabled']);
    const keyNode = getKeyNode(config, ['Enabled']);
    if (!enabled || !keyNode) continue;
    const state = switchState(resolve(enabled, ctx), isTrue);
    if (!state.on) continue;
    const durationNode = getNode(config, ['DurationSeconds']);
    const resolved = durationNode ? resolve(durationNode, ctx) : undefined;
    push(ctx, keyNode, 'lb-cookie', pool, withNotes('ForwardConfig TargetGroupStickinessConfig', state.note ? [`Enabled ${state.note}`] : []), {
      name: 'AWSALBTG',
      maxAgeSeconds: resolved?.known ? asNumber(resolved.value) : undefined,
      lifetimeText: durationNode && resolved ? `DurationSeconds = ${show(durationNode, resolved)}` : undefined,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Values and intrinsic functions

const MAX_DEPTH = 20;

function resolve(node: Node | null | undefined, ctx: Ctx, depth = 0): Resolved {
  if (node === null || node === undefined) return { known: true, value: null };
  if (depth > MAX_DEPTH) return { known: false, note: 'depends on nested intrinsic functions' };
  const tag = customTag(node);
  if (isScalar(node)) {
    const value = node.value;
    if (tag === '!Ref') return reference(String(value ?? ''), ctx);
    if (tag) return { known: false, note: `depends on ${tag} ${short(String(value ?? ''))}` };
    if (value === null || value === undefined) return { known: true, value: null };
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { known: true, value };
    return { known: false, note: 'is not a literal' };
  }
  if (isSeq(node)) {
    if (tag === '!If') return conditional(node.items as Node[], ctx, depth);
    return { known: false, note: tag ? `depends on ${tag}` : 'is a list' };
  }
  if (isMap(node)) {
    if (tag) return { known: false, note: `depends on ${tag}` };
    const pairs = entries(node);
    if (pairs.length === 1) {
      const [{ key, value }] = pairs;
      if (key === 'Ref') return reference(scalarString(value) ?? '', ctx);
      if (key === 'Fn::If') return conditional(items(value), ctx, depth);
      if (key.startsWith('Fn::')) return { known: false, note: `depends on ${key}` };
    }
    return { known: false, note: 'is an object' };
  }
  return { known: false, note: 'is not a literal' };
}

/** A short-form intrinsic tag ("!Ref"); undefined for none or YAML's own tags (!!str). */
function customTag(node: Node): string | undefined {
  const tag = (node as { tag?: string }).tag;
  return tag && tag.startsWith('!') && !tag.startsWith('!!') ? tag : undefined;
}

function reference(name: string, ctx: Ctx): Resolved {
  if (name === 'AWS::NoValue') return { known: true, value: null, note: 'is AWS::NoValue' };
  if (name.startsWith('AWS::')) return { known: false, note: `depends on pseudo parameter ${name}` };
  const parameter = getNode(ctx.parameters, [name]);
  if (!parameter) return { known: false, note: `depends on ${short(name)}` };
  const fallback = getNode(parameter, ['Default']);
  if (fallback && isScalar(fallback) && !customTag(fallback)) {
    const value = fallback.value;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return { known: true, value, note: `from parameter ${name} (Default ${JSON.stringify(value)})` };
    }
  }
  return { known: false, note: `from parameter ${name} (no Default)` };
}

function conditional(args: Node[], ctx: Ctx, depth: number): Resolved {
  const condition = scalarString(args[0]) ?? 'a condition';
  const branches = [resolve(args[1], ctx, depth + 1), resolve(args[2], ctx, depth + 1)];
  const [first, second] = branches;
  if (first.known && second.known && first.value === second.value) return first;
  return { known: false, note: `depends on condition ${short(condition)}`, branches };
}

/** On or off: a literal decides; an Fn::If is on when a branch is; anything else unresolved counts as on. */
function switchState(resolved: Resolved, test: (value: Literal) => boolean): { on: boolean; note?: string } {
  if (resolved.known) return { on: test(resolved.value), note: resolved.note };
  if (resolved.branches) return { on: resolved.branches.some((branch) => switchState(branch, test).on), note: resolved.note };
  return { on: true, note: resolved.note };
}

function isTrue(value: Literal): boolean {
  return String(value).toLowerCase() === 'true';
}

function literal(node: Node | null | undefined, ctx: Ctx): string | undefined {
  if (!node) return undefined;
  const resolved = resolve(node, ctx);
  return resolved.known && resolved.value !== null ? String(resolved.value) : undefined;
}

function asNumber(value: Literal): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function show(node: Node, resolved: Resolved): string {
  const tag = customTag(node);
  let written: string;
  if (isScalar(node)) written = `${tag ? `${tag} ` : ''}${String(node.value ?? '')}`;
  else {
    try {
      written = JSON.stringify(node.toJSON());
    } catch {
      written = 'an intrinsic function';
    }
    if (tag) written = `${tag} ${written}`;
  }
  return short(resolved.note ? `${written} (${resolved.note})` : written);
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

function withNotes(detail: string, notes: string[]): string {
  return notes.length > 0 ? `${detail} (${notes.join('; ')})` : detail;
}

function push(ctx: Ctx, at: Node, mechanism: AffinityMechanism, pool: string, detail: string, cookie?: AffinityCookie): void {
  ctx.out.push(affinityAt(ctx.input, ctx.yaml.pos(at), { format: 'cloudformation', mechanism, pool, detail, cookie }));
}
