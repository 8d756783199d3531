import { isMap, type Node } from 'yaml';
import type { Affinity, AffinityCookie } from '../model/index.js';
import { parseDuration } from '../util/duration.js';
import { at, keyAt, list, objectName, pairs, resourceAffinity, str, type K8sResource } from './kubernetes-resource.js';

/**
 * Gateway API session persistence (GEP-1619): `sessionPersistence` on HTTPRoute / GRPCRoute rules, and on
 * the policies attached to backends: BackendLBPolicy (v1alpha2, `targetRef` at first, `targetRefs` later),
 * BackendTrafficPolicy (v1alpha2) and XBackendTrafficPolicy (gateway.networking.x-k8s.io, v1.3+).
 * apis/v1/shared_types.go SessionPersistence: type Cookie (default) | Header; sessionName; absoluteTimeout;
 * idleTimeout; cookieConfig.lifetimeType Session (default) | Permanent. The API has no field for the cookie's
 * Secure or HttpOnly flags, so they stay undefined.
 *
 * Also Envoy Gateway's own BackendTrafficPolicy (gateway.envoyproxy.io), `spec.loadBalancer.consistentHash`.
 */
export function routeAffinities(res: K8sResource): Affinity[] {
  const found: Affinity[] = [];
  list(res, at(res, res.node, 'spec', 'rules')).forEach((rule, index) => {
    const affinity = sessionPersistence(res, rule, `${objectName(res)} rule ${index}`);
    if (affinity) found.push(affinity);
  });
  return found;
}

export function backendPolicyAffinities(res: K8sResource): Affinity[] {
  const spec = at(res, res.node, 'spec');
  return policyTargets(res, spec).flatMap((target) => {
    const affinity = sessionPersistence(res, spec, target);
    return affinity ? [affinity] : [];
  });
}

/** Envoy Gateway api/v1alpha1/loadbalancer_types.go: ConsistentHash type SourceIP | Header | Cookie. */
export function envoyGatewayAffinities(res: K8sResource): Affinity[] {
  const lb = at(res, res.node, 'spec', 'loadBalancer');
  if (str(res, at(res, lb, 'type')) !== 'ConsistentHash') return [];
  const hash = at(res, lb, 'consistentHash');
  const type = str(res, at(res, hash, 'type'));
  const where = keyAt(res, hash, 'type');
  const spec = at(res, res.node, 'spec');
  return policyTargets(res, spec).flatMap((pool): Affinity[] => {
    if (type === 'SourceIP') return [resourceAffinity(res, where, { mechanism: 'client-ip', pool, detail: 'consistentHash SourceIP' })];
    if (type === 'Header') {
      const name = str(res, at(res, hash, 'header', 'name'));
      return [resourceAffinity(res, where, { mechanism: 'header', pool, detail: `consistentHash Header ${name ?? ''}`.trim() })];
    }
    if (type !== 'Cookie') return [];
    const cookieNode = at(res, hash, 'cookie');
    const name = str(res, at(res, cookieNode, 'name'));
    const ttlText = str(res, at(res, cookieNode, 'ttl'));
    if (ttlText === undefined) {
      // "If this cookie does not exist in the request, Envoy will generate a cookie ... Make sure to set the TTL":
      // without a TTL nothing is generated, and the hash follows a cookie the application sets.
      return [resourceAffinity(res, where, { mechanism: 'app-cookie', pool, detail: `consistentHash Cookie ${name ?? ''}`.trim(), cookie: { name } })];
    }
    const attributes = pairs(res, at(res, cookieNode, 'attributes'));
    const attribute = (wanted: string) => attributes.find(({ key }) => key.toLowerCase() === wanted);
    const sameSite = str(res, attribute('samesite')?.value);
    // Envoy's router sets the generated hash cookie with HttpOnly (makeSetCookieValue(..., httponly=true));
    // Secure only when given in `attributes`. A zero TTL gives no Max-Age: a session cookie.
    const ttl = parseDuration(ttlText);
    const cookie: AffinityCookie = {
      name,
      maxAgeSeconds: ttl === 0 ? null : ttl,
      lifetimeText: `ttl ${ttlText}`,
      secure: attribute('secure') !== undefined,
      httpOnly: true,
    };
    const detail = [`consistentHash Cookie${name ? ` ${name}` : ''}`, sameSite ? `SameSite ${sameSite}` : ''].filter(Boolean).join(', ');
    return [resourceAffinity(res, where, { mechanism: 'lb-cookie', pool, detail, cookie })];
  });
}

/** One pool per policy target (`Policy ns/name -> Kind name`); the policy itself when it names none. */
function policyTargets(res: K8sResource, spec: Node | undefined): string[] {
  const refs = [...list(res, at(res, spec, 'targetRefs')), at(res, spec, 'targetRef')].filter((ref) => isMap(ref));
  const names = refs.flatMap((ref) => {
    const name = str(res, at(res, ref, 'name'));
    const kind = str(res, at(res, ref, 'kind')) ?? 'Service';
    return name ? [`${objectName(res)} -> ${kind} ${name}`] : [];
  });
  return names.length > 0 ? names : [objectName(res)];
}

function sessionPersistence(res: K8sResource, holder: Node | undefined, pool: string): Affinity | undefined {
  const sp = at(res, holder, 'sessionPersistence');
  if (!isMap(sp)) return undefined;
  const where = keyAt(res, holder, 'sessionPersistence');
  const type = str(res, at(res, sp, 'type')) ?? 'Cookie';
  const name = str(res, at(res, sp, 'sessionName'));
  const detail = `sessionPersistence: ${type}${name ? ` ${name}` : ''}`;
  if (type === 'Header') return resourceAffinity(res, where, { mechanism: 'header', pool, detail });
  if (type !== 'Cookie') return undefined;
  const absoluteText = str(res, at(res, sp, 'absoluteTimeout'));
  const idleText = str(res, at(res, sp, 'idleTimeout'));
  const absolute = parseDuration(absoluteText);
  const lifetimeType = str(res, at(res, sp, 'cookieConfig', 'lifetimeType')) ?? 'Session';
  const timeouts = [absoluteText ? `absoluteTimeout ${absoluteText}` : '', idleText ? `idleTimeout ${idleText}` : ''].filter(Boolean);
  let maxAgeSeconds: number | null | undefined;
  let lifetimeText: string;
  if (lifetimeType === 'Permanent') {
    // "When set to Permanent, AbsoluteTimeout indicates the cookie's lifetime via the Expires or Max-Age attributes".
    maxAgeSeconds = absolute;
    lifetimeText = ['lifetimeType Permanent', ...timeouts].join(', ');
  } else {
    // Session (the default): a browser-session cookie; AbsoluteTimeout, when set, bounds the session the gateway honours.
    maxAgeSeconds = absolute ?? null;
    lifetimeText = ['session cookie', ...timeouts].join(', ');
  }
  const cookie: AffinityCookie = { name, maxAgeSeconds, lifetimeText };
  return resourceAffinity(res, where, { mechanism: 'lb-cookie', pool, detail, cookie });
}
