import type { Affinity, AffinityCookie } from '../model/index.js';
import { parseDuration } from '../util/duration.js';
import { hashKeyMechanism } from './nginx-hash-key.js';
import {
  annotations,
  at,
  keyAt,
  objectName,
  resourceAffinity,
  seconds,
  str,
  type K8sResource,
} from './kubernetes-resource.js';

/**
 * Core objects (Service, Ingress, ConfigMap) and the annotations the ingress controllers and cloud
 * load-balancer controllers read from them. Each controller reads its annotations from one kind only
 * (noted per controller); the same annotation on another kind does nothing and is not reported.
 */

type Annotations = ReturnType<typeof annotations>;

const NGINX = 'nginx.ingress.kubernetes.io/';
const TRAEFIK = 'traefik.ingress.kubernetes.io/';
const ALB_TG_ATTRIBUTES = 'alb.ingress.kubernetes.io/target-group-attributes';
const NLB_TG_ATTRIBUTES = 'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes';

export function serviceAffinities(res: K8sResource): Affinity[] {
  const ann = annotations(res);
  const pool = objectName(res);
  const found: Affinity[] = [];
  const affinity = sessionAffinity(res, pool);
  if (affinity) found.push(affinity);
  found.push(...traefikService(res, ann, pool));
  // AWS Load Balancer Controller: ALB target-group attributes may sit on the Service (they win over the
  // Ingress's); NLB ones only on a Service, where stickiness.type defaults to source_ip (NLB target groups).
  found.push(...awsTargetGroup(res, ann, ALB_TG_ATTRIBUTES, 'lb_cookie', pool));
  found.push(...awsTargetGroup(res, ann, NLB_TG_ATTRIBUTES, 'source_ip', pool));
  return found;
}

export function ingressAffinities(res: K8sResource): Affinity[] {
  const ann = annotations(res);
  const pool = objectName(res);
  return [
    ...ingressNginx(res, ann, pool),
    ...nginxIncIngress(res, ann, pool),
    ...awsTargetGroup(res, ann, ALB_TG_ATTRIBUTES, 'lb_cookie', pool),
  ];
}

/**
 * ingress-nginx reads `upstream-hash-by` from its controller ConfigMap too, for every Ingress it serves.
 * The key is specific to ingress-nginx, so a ConfigMap carrying it is that ConfigMap.
 */
export function configMapAffinities(res: K8sResource): Affinity[] {
  const keyNode = keyAt(res, res.node, 'data', 'upstream-hash-by');
  const key = str(res, at(res, res.node, 'data', 'upstream-hash-by'));
  if (!keyNode || !key) return [];
  const mechanism = hashKeyMechanism(key);
  if (!mechanism) return [];
  return [resourceAffinity(res, keyNode, { mechanism, pool: `${objectName(res)} (ingress-nginx, every Ingress)`, detail: `upstream-hash-by: ${key}` })];
}

/** Service `spec.sessionAffinity: ClientIP`: kube-proxy pins a client address to one endpoint. */
function sessionAffinity(res: K8sResource, pool: string): Affinity | undefined {
  const value = str(res, at(res, res.node, 'spec', 'sessionAffinity'));
  if (value?.toLowerCase() !== 'clientip') return undefined;
  const timeout = seconds(str(res, at(res, res.node, 'spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds')));
  // Kubernetes API reference, ClientIPConfig.timeoutSeconds: "Default value is 10800 (for 3 hours)".
  const detail =
    timeout === undefined ? `sessionAffinity: ${value}, timeoutSeconds 10800 (default)` : `sessionAffinity: ${value}, timeoutSeconds ${timeout}`;
  return resourceAffinity(res, keyAt(res, res.node, 'spec', 'sessionAffinity'), { mechanism: 'client-ip', pool, detail });
}

/**
 * ingress-nginx (kubernetes.github.io/ingress-nginx, annotations "Session Affinity" and "upstream-hash-by").
 * Its balancer takes the sticky cookie over upstream-hash-by when both are set (balancer.lua).
 */
function ingressNginx(res: K8sResource, ann: Annotations, pool: string): Affinity[] {
  const affinity = ann.get(`${NGINX}affinity`);
  if (affinity?.value?.toLowerCase() === 'cookie') {
    // Docs: session-cookie-name "defaults to INGRESSCOOKIE"; affinity-mode "balanced (default) or persistent".
    const name = ann.get(`${NGINX}session-cookie-name`)?.value ?? 'INGRESSCOOKIE';
    const mode = ann.get(`${NGINX}affinity-mode`)?.value ?? 'balanced';
    const sameSite = ann.get(`${NGINX}session-cookie-samesite`)?.value;
    const cookie: AffinityCookie = { name, ...nginxCookieLifetime(ann) };
    // rootfs/etc/nginx/lua/balancer/sticky.lua: `httponly = true` always; Secure is the annotation when set,
    // else `ngx.var.https == "on"` (secure on HTTPS requests): unknown from the manifest, so left undefined.
    cookie.httpOnly = true;
    const secure = ann.get(`${NGINX}session-cookie-secure`)?.value?.toLowerCase();
    if (secure === 'true' || secure === 'false') cookie.secure = secure === 'true';
    const detail = [`affinity: cookie`, `affinity-mode ${mode}`, sameSite ? `samesite ${sameSite}` : ''].filter(Boolean).join(', ');
    return [resourceAffinity(res, affinity.keyNode, { mechanism: 'lb-cookie', pool, detail, cookie })];
  }
  const hashBy = ann.get(`${NGINX}upstream-hash-by`);
  const mechanism = hashBy?.value ? hashKeyMechanism(hashBy.value) : undefined;
  if (!hashBy || !mechanism) return [];
  const subset = ann.get(`${NGINX}upstream-hash-by-subset`)?.value === 'true' ? ', upstream-hash-by-subset' : '';
  return [resourceAffinity(res, hashBy.keyNode, { mechanism, pool, detail: `upstream-hash-by: ${hashBy.value}${subset}` })];
}

/** session-cookie-max-age, else session-cookie-expires (both seconds); neither: a session cookie. */
function nginxCookieLifetime(ann: Annotations): Pick<AffinityCookie, 'maxAgeSeconds' | 'lifetimeText'> {
  for (const key of ['session-cookie-max-age', 'session-cookie-expires']) {
    const text = ann.get(`${NGINX}${key}`)?.value;
    if (text === undefined) continue;
    return { maxAgeSeconds: seconds(text), lifetimeText: `${key} ${text}` };
  }
  // sticky.lua sets neither Expires nor Max-Age then: the cookie ends with the browser session.
  return { maxAgeSeconds: null, lifetimeText: 'no session-cookie-max-age or session-cookie-expires: a session cookie' };
}

/**
 * NGINX Inc's controller (docs.nginx.com/nginx-ingress-controller, examples/session-persistence):
 * `nginx.com/sticky-cookie-services: "serviceName=svc cookie [expires=1h] [domain=..] [httponly] [secure] [path=/]"`,
 * `;`-separated, with the syntax of NGINX Plus `sticky cookie`; and `nginx.org/lb-method: ip_hash | hash KEY`.
 */
function nginxIncIngress(res: K8sResource, ann: Annotations, pool: string): Affinity[] {
  const found: Affinity[] = [];
  const sticky = ann.get('nginx.com/sticky-cookie-services');
  for (const service of (sticky?.value ?? '').split(';')) {
    const words = service.trim().split(/\s+/).filter(Boolean);
    const serviceName = /^serviceName=(.+)$/.exec(words[0] ?? '')?.[1];
    if (!sticky || !serviceName || words.length < 2) continue;
    const params = words.slice(2);
    const expires = params.find((word) => word.startsWith('expires='))?.slice('expires='.length);
    const cookie: AffinityCookie = {
      name: words[1],
      ...nginxStickyExpires(expires),
      secure: params.includes('secure'),
      httpOnly: params.includes('httponly'),
    };
    found.push(
      resourceAffinity(res, sticky.keyNode, {
        mechanism: 'lb-cookie',
        pool: `${pool} -> Service ${serviceName}`,
        detail: `sticky cookie ${words.slice(1).join(' ')}`,
        cookie,
      }),
    );
  }
  const lbMethod = ann.get('nginx.org/lb-method');
  const lb = lbMethod?.value ? nginxLbMethod(lbMethod.value) : undefined;
  if (lbMethod && lb) found.push(resourceAffinity(res, lbMethod.keyNode, { mechanism: lb, pool, detail: `lb-method: ${lbMethod.value}` }));
  return found;
}

/** nginx `sticky cookie ... expires=`: absent, the cookie is a session cookie; `max` is 2037, unbounded. */
export function nginxStickyExpires(expires: string | undefined): Pick<AffinityCookie, 'maxAgeSeconds' | 'lifetimeText'> {
  if (expires === undefined) return { maxAgeSeconds: null, lifetimeText: 'no expires: a session cookie' };
  if (expires === 'max') return { maxAgeSeconds: null, lifetimeText: 'expires=max' };
  return { maxAgeSeconds: parseDuration(expires), lifetimeText: `expires=${expires}` };
}

/** NGINX Inc `lb-method`: `ip_hash`, or `hash KEY [consistent]` judged like nginx's `hash`. */
export function nginxLbMethod(value: string): 'client-ip' | ReturnType<typeof hashKeyMechanism> {
  const words = value.trim().split(/\s+/);
  if (words[0] === 'ip_hash') return 'client-ip';
  if (words[0] === 'hash' && words.length >= 2) return hashKeyMechanism(words[1]);
  return undefined;
}

/**
 * Traefik's Kubernetes Ingress provider reads `traefik.ingress.kubernetes.io/service.*` from the Service only
 * (pkg/provider/kubernetes/ingress/kubernetes.go loadService: parseServiceConfig(service.Annotations)).
 * Docs (routing/services, sticky sessions): the default name is "an abbreviation of a sha1", the cookie is
 * created without Secure, HttpOnly and SameSite, and MaxAge 0 (the default) means it never expires.
 * Traefik 1.x read `traefik.ingress.kubernetes.io/affinity: "true"` (or the deprecated
 * `traefik.backend.loadbalancer.sticky`) and `session-cookie-name` from the Service as well.
 */
function traefikService(res: K8sResource, ann: Annotations, pool: string): Affinity[] {
  const prefix = `${TRAEFIK}service.sticky.cookie`;
  const keys = [...ann.keys()].filter((key) => key === prefix || key.startsWith(`${prefix}.`));
  const switchKey = ann.get(prefix);
  if (keys.length > 0 && switchKey?.value?.toLowerCase() !== 'false') {
    const value = (suffix: string) => ann.get(`${prefix}.${suffix}`)?.value;
    const maxAgeText = value('maxage');
    const maxAge = maxAgeText === undefined ? 0 : seconds(maxAgeText);
    const cookie: AffinityCookie = {
      name: value('name'),
      maxAgeSeconds: maxAge === undefined ? undefined : maxAge === 0 ? null : Math.max(maxAge, 0),
      lifetimeText: maxAgeText === undefined ? 'no maxage: never expires' : `maxage ${maxAgeText}`,
      secure: value('secure')?.toLowerCase() === 'true',
      httpOnly: value('httponly')?.toLowerCase() === 'true',
    };
    const sameSite = value('samesite');
    const detail = `service.sticky.cookie${cookie.name ? ` ${cookie.name}` : ''}${sameSite ? `, samesite ${sameSite}` : ''}`;
    const where = switchKey?.keyNode ?? ann.get(keys[0])?.keyNode;
    return [resourceAffinity(res, where, { mechanism: 'lb-cookie', pool, detail, cookie })];
  }
  const legacy = ann.get(`${TRAEFIK}affinity`) ?? ann.get('traefik.backend.loadbalancer.sticky');
  if (legacy?.value?.toLowerCase() !== 'true') return [];
  const name = ann.get(`${TRAEFIK}session-cookie-name`)?.value;
  // Traefik 1.x offers no annotation for the cookie's flags or lifetime: left undefined.
  return [resourceAffinity(res, legacy.keyNode, { mechanism: 'lb-cookie', pool, detail: 'affinity: true (Traefik 1.x)', cookie: { name } })];
}

/**
 * AWS Load Balancer Controller target-group attributes (`k1=v1,k2=v2`; docs guide/ingress/annotations,
 * guide/service/annotations). ELB docs: stickiness.type lb_cookie | app_cookie (ALB), source_ip (NLB);
 * lb_cookie and app_cookie durations default to 1 day (86400 s). The ALB sets AWSALB itself; its flags cannot
 * be configured, so secure/httpOnly stay undefined.
 */
function awsTargetGroup(res: K8sResource, ann: Annotations, key: string, defaultType: string, pool: string): Affinity[] {
  const entry = ann.get(key);
  if (!entry?.value) return [];
  const attrs = new Map<string, string>();
  for (const part of entry.value.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) attrs.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  if (attrs.get('stickiness.enabled')?.toLowerCase() !== 'true') return [];
  const written = [...attrs].filter(([name]) => name.startsWith('stickiness.')).map(([name, value]) => `${name}=${value}`);
  const type = attrs.get('stickiness.type') ?? defaultType;
  const detail = `target-group-attributes ${written.join(',')}${attrs.has('stickiness.type') ? '' : ` (stickiness.type ${type} by default)`}`;
  const duration = (name: string) => {
    const text = attrs.get(name);
    return text === undefined
      ? { maxAgeSeconds: 86400, lifetimeText: `${name} 86400 (default)` }
      : { maxAgeSeconds: seconds(text), lifetimeText: `${name}=${text}` };
  };
  switch (type) {
    case 'lb_cookie':
      return [
        resourceAffinity(res, entry.keyNode, {
          mechanism: 'lb-cookie',
          pool,
          detail,
          cookie: { name: 'AWSALB', ...duration('stickiness.lb_cookie.duration_seconds') },
        }),
      ];
    case 'app_cookie':
      return [
        resourceAffinity(res, entry.keyNode, {
          mechanism: 'app-cookie',
          pool,
          detail,
          cookie: { name: attrs.get('stickiness.app_cookie.cookie_name'), ...duration('stickiness.app_cookie.duration_seconds') },
        }),
      ];
    case 'source_ip':
    case 'source_ip_dest_ip':
    case 'source_ip_dest_ip_proto':
      return [resourceAffinity(res, entry.keyNode, { mechanism: 'client-ip', pool, detail })];
    default:
      return [];
  }
}
