import { isMap, isScalar, type Node } from 'yaml';
import type { Affinity, AffinityCookie } from '../model/index.js';
import { parseDuration } from '../util/duration.js';
import { nginxLbMethod, nginxStickyExpires } from './kubernetes-core.js';
import { at, bool, keyAt, list, objectName, resourceAffinity, seconds, str, type K8sResource } from './kubernetes-resource.js';

/** Custom resources of meshes and proxies that carry affinity: Istio, Traefik, NGINX Inc, GKE. */

/**
 * Istio DestinationRule (istio/api networking/v1alpha3/destination_rule.proto, LoadBalancerSettings.ConsistentHashLB):
 * hash on httpHeaderName | httpCookie {name, path, ttl} | useSourceIp | httpQueryParameterName, in
 * `trafficPolicy`, its `portLevelSettings`, and each subset's. ringHash / maglev only pick the algorithm.
 */
export function destinationRuleAffinities(res: K8sResource): Affinity[] {
  const spec = at(res, res.node, 'spec');
  const host = str(res, at(res, spec, 'host')) ?? '?';
  const found: Affinity[] = [];
  const policy = (trafficPolicy: Node | undefined, label: string) => {
    found.push(...consistentHash(res, at(res, trafficPolicy, 'loadBalancer', 'consistentHash'), `${objectName(res)} (${label})`));
    for (const port of list(res, at(res, trafficPolicy, 'portLevelSettings'))) {
      const number = str(res, at(res, port, 'port', 'number')) ?? '?';
      found.push(...consistentHash(res, at(res, port, 'loadBalancer', 'consistentHash'), `${objectName(res)} (${label}, port ${number})`));
    }
  };
  policy(at(res, spec, 'trafficPolicy'), `host ${host}`);
  for (const subset of list(res, at(res, spec, 'subsets'))) {
    policy(at(res, subset, 'trafficPolicy'), `host ${host}, subset ${str(res, at(res, subset, 'name')) ?? '?'}`);
  }
  return found;
}

function consistentHash(res: K8sResource, hash: Node | undefined, pool: string): Affinity[] {
  if (!isMap(hash)) return [];
  const header = str(res, at(res, hash, 'httpHeaderName'));
  if (header) {
    return [resourceAffinity(res, keyAt(res, hash, 'httpHeaderName'), { mechanism: 'header', pool, detail: `consistentHash httpHeaderName ${header}` })];
  }
  const query = str(res, at(res, hash, 'httpQueryParameterName'));
  if (query) {
    return [
      resourceAffinity(res, keyAt(res, hash, 'httpQueryParameterName'), {
        mechanism: 'query',
        pool,
        detail: `consistentHash httpQueryParameterName ${query}`,
      }),
    ];
  }
  if (bool(res, at(res, hash, 'useSourceIp')) === true) {
    return [resourceAffinity(res, keyAt(res, hash, 'useSourceIp'), { mechanism: 'client-ip', pool, detail: 'consistentHash useSourceIp' })];
  }
  const cookieNode = at(res, hash, 'httpCookie');
  const name = str(res, at(res, cookieNode, 'name'));
  if (!isMap(cookieNode) || !name) return [];
  const where = keyAt(res, hash, 'httpCookie');
  const ttlText = str(res, at(res, cookieNode, 'ttl'));
  if (ttlText === undefined) {
    // HTTPCookie.ttl: "If specified, a cookie with the TTL will be generated if the cookie is not present";
    // without it the proxy only hashes a cookie the application sets.
    return [resourceAffinity(res, where, { mechanism: 'app-cookie', pool, detail: `consistentHash httpCookie ${name}`, cookie: { name } })];
  }
  // "If the TTL is present and zero, the generated cookie will be a session cookie." Envoy's router adds
  // HttpOnly to the cookie it generates (makeSetCookieValue(..., httponly=true)); Istio has no field for
  // Secure, so it stays undefined.
  const ttl = parseDuration(ttlText);
  const cookie: AffinityCookie = { name, maxAgeSeconds: ttl === 0 ? null : ttl, lifetimeText: `ttl ${ttlText}`, httpOnly: true };
  return [resourceAffinity(res, where, { mechanism: 'lb-cookie', pool, detail: `consistentHash httpCookie ${name} ttl ${ttlText}`, cookie })];
}

/**
 * Traefik CRDs (traefik.io and the older traefik.containo.us): `sticky.cookie` on an IngressRoute's
 * `routes[].services[]`, and on a TraefikService's `weighted`, `weighted.services[]` and `mirroring`.
 * Traefik docs (services, sticky sessions): default name "an abbreviation of a sha1", created without Secure,
 * HttpOnly and SameSite, and "the affinity cookie will never expire as the MaxAge option is set to zero".
 */
export function ingressRouteAffinities(res: K8sResource): Affinity[] {
  const found: Affinity[] = [];
  for (const route of list(res, at(res, res.node, 'spec', 'routes'))) {
    for (const service of list(res, at(res, route, 'services'))) {
      const affinity = traefikSticky(res, service, `${objectName(res)} -> ${serviceName(res, service)}`);
      if (affinity) found.push(affinity);
    }
  }
  return found;
}

export function traefikServiceAffinities(res: K8sResource): Affinity[] {
  const found: Affinity[] = [];
  const weighted = at(res, res.node, 'spec', 'weighted');
  const add = (affinity: Affinity | undefined) => affinity && found.push(affinity);
  add(traefikSticky(res, weighted, objectName(res)));
  for (const service of list(res, at(res, weighted, 'services'))) {
    add(traefikSticky(res, service, `${objectName(res)} -> ${serviceName(res, service)}`));
  }
  const mirroring = at(res, res.node, 'spec', 'mirroring');
  add(traefikSticky(res, mirroring, `${objectName(res)} -> ${serviceName(res, mirroring)}`));
  return found;
}

function serviceName(res: K8sResource, service: Node | undefined): string {
  return `${str(res, at(res, service, 'kind')) ?? 'Service'} ${str(res, at(res, service, 'name')) ?? '?'}`;
}

function traefikSticky(res: K8sResource, holder: Node | undefined, pool: string): Affinity | undefined {
  const cookieNode = at(res, holder, 'sticky', 'cookie');
  // `sticky: {}` without `cookie` configures nothing; `cookie: {}` (or `cookie:` with no value) takes the defaults.
  const emptyValue = cookieNode === undefined || (isScalar(cookieNode) && (cookieNode.value === null || cookieNode.value === ''));
  if (keyAt(res, holder, 'sticky', 'cookie') === undefined || !(isMap(cookieNode) || emptyValue)) return undefined;
  const maxAgeText = str(res, at(res, cookieNode, 'maxAge'));
  const maxAge = maxAgeText === undefined ? 0 : seconds(maxAgeText);
  const name = str(res, at(res, cookieNode, 'name'));
  const sameSite = str(res, at(res, cookieNode, 'sameSite'));
  const cookie: AffinityCookie = {
    name,
    // "When set to a negative number, the cookie expires immediately. When set to zero, the cookie never expires."
    maxAgeSeconds: maxAge === undefined ? undefined : maxAge === 0 ? null : Math.max(maxAge, 0),
    lifetimeText: maxAgeText === undefined ? 'no maxAge: never expires' : `maxAge ${maxAgeText}`,
    secure: bool(res, at(res, cookieNode, 'secure')) === true,
    httpOnly: bool(res, at(res, cookieNode, 'httpOnly')) === true,
  };
  const detail = [`sticky.cookie${name ? ` ${name}` : ''}`, sameSite ? `sameSite ${sameSite}` : ''].filter(Boolean).join(', ');
  return resourceAffinity(res, keyAt(res, holder, 'sticky'), { mechanism: 'lb-cookie', pool, detail, cookie });
}

/**
 * NGINX Inc VirtualServer / VirtualServerRoute (k8s.nginx.org): `upstreams[].sessionCookie` {enable, name,
 * path, expires, domain, httpOnly, secure, samesite} (NGINX Plus `sticky cookie`), and `upstreams[].lb-method`.
 */
export function virtualServerAffinities(res: K8sResource): Affinity[] {
  const found: Affinity[] = [];
  for (const upstream of list(res, at(res, res.node, 'spec', 'upstreams'))) {
    const service = str(res, at(res, upstream, 'service'));
    const pool = `${objectName(res)} upstream ${str(res, at(res, upstream, 'name')) ?? '?'}${service ? ` -> Service ${service}` : ''}`;
    const session = at(res, upstream, 'sessionCookie');
    if (isMap(session) && bool(res, at(res, session, 'enable')) === true) {
      const name = str(res, at(res, session, 'name'));
      const cookie: AffinityCookie = {
        name,
        ...nginxStickyExpires(str(res, at(res, session, 'expires'))),
        secure: bool(res, at(res, session, 'secure')) === true,
        httpOnly: bool(res, at(res, session, 'httpOnly')) === true,
      };
      found.push(resourceAffinity(res, keyAt(res, upstream, 'sessionCookie'), { mechanism: 'lb-cookie', pool, detail: `sessionCookie ${name ?? ''}`.trim(), cookie }));
      continue; // NGINX Plus: the sticky cookie decides before the balancing method
    }
    const lbMethod = str(res, at(res, upstream, 'lb-method'));
    const mechanism = lbMethod ? nginxLbMethod(lbMethod) : undefined;
    if (mechanism) found.push(resourceAffinity(res, keyAt(res, upstream, 'lb-method'), { mechanism, pool, detail: `lb-method: ${lbMethod}` }));
  }
  return found;
}

/**
 * GKE BackendConfig (cloud.google.com): `spec.sessionAffinity.affinityType` CLIENT_IP | GENERATED_COOKIE,
 * `affinityCookieTtlSec`. Cloud Load Balancing: the generated cookie is GCLB; "If set to 0, the cookie is
 * non-persistent and lasts only until the end of the browser session" (0 is the default). Its flags are not
 * configurable: undefined.
 */
export function backendConfigAffinities(res: K8sResource): Affinity[] {
  const affinity = at(res, res.node, 'spec', 'sessionAffinity');
  const type = str(res, at(res, affinity, 'affinityType'))?.toUpperCase();
  const where = keyAt(res, affinity, 'affinityType');
  const pool = objectName(res);
  if (type === 'CLIENT_IP') return [resourceAffinity(res, where, { mechanism: 'client-ip', pool, detail: 'affinityType CLIENT_IP' })];
  if (type !== 'GENERATED_COOKIE') return [];
  const ttlText = str(res, at(res, affinity, 'affinityCookieTtlSec'));
  const ttl = ttlText === undefined ? 0 : seconds(ttlText);
  const cookie: AffinityCookie = {
    name: 'GCLB',
    maxAgeSeconds: ttl === undefined ? undefined : ttl === 0 ? null : ttl,
    lifetimeText: ttlText === undefined ? 'no affinityCookieTtlSec: a session cookie' : `affinityCookieTtlSec ${ttlText}`,
  };
  return [resourceAffinity(res, where, { mechanism: 'lb-cookie', pool, detail: 'affinityType GENERATED_COOKIE', cookie })];
}
