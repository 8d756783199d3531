import { isMap, isScalar, type Node } from 'yaml';
import type { Affinity, EnvSetting, Pool, PoolMember, Workload } from '../model/index.js';
import { at, keyAt, list, objectName, pairs, str, type K8sResource } from './kubernetes-resource.js';
import { member, poolAt, portNumber, uniqueMembers, type PoolFields } from './pool-at.js';

/**
 * Pools and workloads of Kubernetes manifests, read from the objects the affinity walk already has (no second
 * parse). Pool names are the `pool` texts of the affinities (kubernetes-core.ts, kubernetes-crds.ts,
 * kubernetes-gateway.ts): `Service shop/web`, `Ingress shop/web`, `HTTPRoute shop/web rule 0`,
 * `IngressRoute shop/web -> Service web`, `VirtualServer shop/cafe upstream tea -> Service tea-svc`.
 * An affinity on a policy object (DestinationRule, BackendLBPolicy, BackendConfig, the ingress-nginx ConfigMap,
 * an NGINX Inc sticky-cookie annotation) gets a pool of the same name too, whose members are the Services it
 * targets, so every affinity of a file has a pool of its name.
 *
 * ConfigMaps are resolved into a workload's env only when they are in the same file (and namespace): reading
 * other files would mean a second pass over the tree, and a ConfigMap is usually kept beside its Deployment.
 */

const WORKLOAD_GROUPS = new Set(['apps', 'extensions']);
const TEMPLATED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet']);
const TRAEFIK = new Set(['traefik.io', 'traefik.containo.us']);
const GATEWAY_API = new Set(['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io']);

/** Who balances a pool derived from a policy object, for people. */
const POLICY_PROXIES: Record<string, string> = {
  DestinationRule: 'Istio',
  BackendLBPolicy: 'Gateway',
  BackendTrafficPolicy: 'Gateway',
  XBackendTrafficPolicy: 'Gateway',
  BackendConfig: 'GKE load balancer',
  ConfigMap: 'ingress-nginx',
  Ingress: 'Ingress',
};

/** `$(VAR)` in an env value is expanded by the kubelet: such a value is not literal. `$$(VAR)` is an escape. */
const DEPENDENT_VAR = /(?:^|[^$])\$\([A-Za-z_][A-Za-z0-9_.-]*\)/;

export class KubernetesDeployment {
  readonly pools: Pool[] = [];
  readonly workloads: Workload[] = [];
  private readonly names = new Set<string>();
  private readonly configMaps = new Map<string, K8sResource>();
  /** `namespace/Kind/name` of workloads an autoscaler in the file scales. */
  private readonly autoscaled = new Set<string>();

  constructor(resources: K8sResource[]) {
    for (const res of resources) {
      if (res.group === '' && res.kind === 'ConfigMap') this.configMaps.set(`${res.namespace}/${res.name}`, res);
      const autoscaler =
        (res.group === 'autoscaling' && res.kind === 'HorizontalPodAutoscaler') || (res.group === 'keda.sh' && res.kind === 'ScaledObject');
      if (!autoscaler) continue;
      const target = at(res, res.node, 'spec', 'scaleTargetRef');
      const name = str(res, at(res, target, 'name'));
      // KEDA: "kind ... default: Deployment"; an HPA always names it.
      const kind = str(res, at(res, target, 'kind')) ?? 'Deployment';
      if (name) this.autoscaled.add(`${res.namespace}/${kind}/${name}`);
    }
  }

  /** The pools and workload of one object, and a pool for each of its affinities that names none of them. */
  add(res: K8sResource, affinities: Affinity[]): void {
    const { group, kind } = res;
    if (group === '' && kind === 'Service') this.service(res);
    else if (kind === 'Ingress' && (group === 'networking.k8s.io' || group === 'extensions')) this.ingress(res);
    else if (GATEWAY_API.has(group) && (kind === 'HTTPRoute' || kind === 'GRPCRoute')) this.route(res);
    else if (TRAEFIK.has(group) && kind === 'IngressRoute') this.ingressRoute(res);
    else if (TRAEFIK.has(group) && kind === 'TraefikService') this.traefikService(res);
    else if (group === 'k8s.nginx.org' && (kind === 'VirtualServer' || kind === 'VirtualServerRoute')) this.virtualServer(res);
    else if ((WORKLOAD_GROUPS.has(group) && TEMPLATED.has(kind)) || (group === '' && (kind === 'ReplicationController' || kind === 'Pod'))) {
      this.workload(res);
    }
    for (const affinity of affinities) if (!this.names.has(affinity.pool)) this.policyPool(res, affinity.pool);
  }

  private push(res: K8sResource, node: Node | undefined, fields: Omit<PoolFields, 'format' | 'namespace'>): void {
    if (this.names.has(fields.name)) return; // one pool per name and file (a Service listed twice, a repeated backend)
    this.names.add(fields.name);
    this.pools.push(poolAt(res.input, res.src.pos(node ?? res.node), { format: 'kubernetes', namespace: res.namespace, ...fields }));
  }

  /** A Service: matched to workloads by its selector; an ExternalName Service points at a DNS name. */
  private service(res: K8sResource): void {
    const spec = at(res, res.node, 'spec');
    const selector = stringMap(res, at(res, spec, 'selector'));
    const external = str(res, at(res, spec, 'externalName'));
    this.push(res, res.node, {
      name: objectName(res),
      proxy: 'Service',
      members: external ? [member(external)] : [],
      // An empty selector selects nothing: the endpoints are managed by hand, as with no selector.
      selector: selector && Object.keys(selector).length > 0 ? selector : undefined,
    });
  }

  private ingress(res: K8sResource): void {
    this.push(res, res.node, { name: objectName(res), proxy: 'Ingress', members: ingressMembers(res) });
  }

  /** Gateway API routes: one pool per rule, as their session persistence is per rule. */
  private route(res: K8sResource): void {
    list(res, at(res, res.node, 'spec', 'rules')).forEach((rule, index) => {
      const members = list(res, at(res, rule, 'backendRefs')).flatMap((ref) => {
        const kind = str(res, at(res, ref, 'kind')) ?? 'Service';
        const group = str(res, at(res, ref, 'group')) ?? '';
        const name = str(res, at(res, ref, 'name'));
        if (!name || kind !== 'Service' || group !== '') return [];
        return [member(hostIn(res, name, str(res, at(res, ref, 'namespace'))), portNumber(str(res, at(res, ref, 'port'))))];
      });
      this.push(res, rule, { name: `${objectName(res)} rule ${index}`, proxy: 'Gateway', members: uniqueMembers(members) });
    });
  }

  /** Traefik IngressRoute: a pool per `routes[].services[]` entry, named as kubernetes-crds.ts names its affinity. */
  private ingressRoute(res: K8sResource): void {
    for (const route of list(res, at(res, res.node, 'spec', 'routes'))) {
      for (const service of list(res, at(res, route, 'services'))) {
        const name = `${objectName(res)} -> ${serviceRef(res, service)}`;
        this.push(res, service, { name, proxy: 'Traefik', members: traefikMembers(res, [service]) });
      }
    }
  }

  /** TraefikService: the weighted or mirroring service itself, and each service it sends to. */
  private traefikService(res: K8sResource): void {
    const spec = at(res, res.node, 'spec');
    const weighted = at(res, spec, 'weighted');
    const mirroring = at(res, spec, 'mirroring');
    const mirrors = isMap(mirroring) ? [mirroring, ...list(res, at(res, mirroring, 'mirrors'))] : [];
    const refs = isMap(weighted) ? list(res, at(res, weighted, 'services')) : mirrors;
    this.push(res, res.node, { name: objectName(res), proxy: 'Traefik', members: traefikMembers(res, refs) });
    const targets = isMap(weighted) ? refs : isMap(mirroring) ? [mirroring] : [];
    for (const ref of targets) {
      this.push(res, ref, { name: `${objectName(res)} -> ${serviceRef(res, ref)}`, proxy: 'Traefik', members: traefikMembers(res, [ref]) });
    }
  }

  private virtualServer(res: K8sResource): void {
    for (const upstream of list(res, at(res, res.node, 'spec', 'upstreams'))) {
      const service = str(res, at(res, upstream, 'service'));
      const name = `${objectName(res)} upstream ${str(res, at(res, upstream, 'name')) ?? '?'}${service ? ` -> Service ${service}` : ''}`;
      const members = service ? [member(service, portNumber(str(res, at(res, upstream, 'port'))))] : [];
      this.push(res, upstream, { name, proxy: 'NGINX Ingress Controller', members });
    }
  }

  /**
   * An affinity on an object that routes nowhere itself: `Kind ns/name -> Service svc` (a policy's target, an
   * NGINX Inc sticky service) has that Service as member, a DestinationRule its `host`; others have none.
   */
  private policyPool(res: K8sResource, name: string): void {
    const proxy = POLICY_PROXIES[res.kind] ?? res.kind;
    const target = / -> ([^ ]+) (.+)$/.exec(name);
    let members: PoolMember[] = [];
    if (target && target[1] === 'Service') {
      const ingress = res.kind === 'Ingress' ? ingressMembers(res).filter((m) => m.host === target[2]) : [];
      members = ingress.length > 0 ? ingress : [member(target[2])];
    } else if (res.kind === 'DestinationRule') {
      const host = str(res, at(res, res.node, 'spec', 'host'));
      const port = / port (\d+)\)$/.exec(name)?.[1];
      if (host) members = [member(host, portNumber(port))];
    }
    this.push(res, res.node, { name, proxy, members });
  }

  private workload(res: K8sResource): void {
    const pod = res.kind === 'Pod';
    const spec = at(res, res.node, 'spec');
    const template = pod ? res.node : at(res, spec, 'template');
    const podSpec = at(res, template, 'spec');
    const containers = list(res, at(res, podSpec, 'containers'));
    const workload: Workload = {
      kind: 'workload',
      format: 'kubernetes',
      name: objectName(res),
      location: { file: res.input.file, ...res.src.pos(res.node) },
      replicas: this.replicas(res, spec),
      hostnames: [],
      namespace: res.namespace,
      labels: stringMap(res, at(res, template, 'metadata', 'labels')) ?? {},
      env: containers.flatMap((container) => this.containerEnv(res, container)),
    };
    const image = str(res, at(res, containers[0], 'image'));
    if (image) workload.image = image;
    this.workloads.push(workload);
  }

  /**
   * API reference: Deployment, StatefulSet, ReplicaSet and ReplicationController `replicas` "Defaults to 1";
   * a Pod is one; a DaemonSet runs one per node (null); an autoscaler in the file decides (null); a value that
   * is not a whole number (a template) is not known (null).
   */
  private replicas(res: K8sResource, spec: Node | undefined): number | null {
    if (res.kind === 'Pod') return 1;
    if (res.kind === 'DaemonSet' || this.autoscaled.has(`${res.namespace}/${res.kind}/${res.name}`)) return null;
    const node = at(res, spec, 'replicas');
    if (node === undefined || (isScalar(node) && node.value === null)) return 1;
    const text = str(res, node);
    return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
  }

  /**
   * One container's literal env: `envFrom` ConfigMaps first (a later source wins), then `env` entries (which
   * win over envFrom, as the kubelet builds it). An entry whose value is not known (secretKeyRef, fieldRef,
   * a ConfigMap in another file) hides what envFrom gave that name.
   */
  private containerEnv(res: K8sResource, container: Node | undefined): EnvSetting[] {
    const env = new Map<string, EnvSetting>();
    for (const source of list(res, at(res, container, 'envFrom'))) {
      const configMap = this.configMap(res, str(res, at(res, source, 'configMapRef', 'name')));
      const prefix = str(res, at(res, source, 'prefix')) ?? '';
      for (const { key, value } of configMap ? pairs(configMap, at(configMap, configMap.node, 'data')) : []) {
        const text = scalarText(value);
        if (configMap && text !== undefined) env.set(prefix + key, setting(configMap, prefix + key, text, value));
      }
    }
    for (const entry of list(res, at(res, container, 'env'))) {
      const name = str(res, at(res, entry, 'name'));
      if (!name) continue;
      env.delete(name);
      const valueNode = at(res, entry, 'value');
      const text = scalarText(valueNode);
      if (keyAt(res, entry, 'value')) {
        if (text !== undefined && !DEPENDENT_VAR.test(text)) env.set(name, setting(res, name, text, valueNode));
        continue;
      }
      const ref = at(res, entry, 'valueFrom', 'configMapKeyRef');
      const configMap = this.configMap(res, str(res, at(res, ref, 'name')));
      const key = str(res, at(res, ref, 'key'));
      const data = configMap && key !== undefined ? at(configMap, configMap.node, 'data', key) : undefined;
      const dataText = scalarText(data);
      if (configMap && dataText !== undefined) env.set(name, setting(configMap, name, dataText, data));
    }
    return [...env.values()];
  }

  private configMap(res: K8sResource, name: string | undefined): K8sResource | undefined {
    return name === undefined ? undefined : this.configMaps.get(`${res.namespace}/${name}`);
  }
}

function setting(res: K8sResource, name: string, value: string, node: Node | undefined): EnvSetting {
  return { name, value, location: { file: res.input.file, ...res.src.pos(node ?? res.node) } };
}

/** A scalar as written (not trimmed: env values keep their spaces); undefined for maps, sequences, null. */
function scalarText(node: Node | undefined): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

/** A map of scalars (labels, a selector) as strings; undefined when absent or not a map. */
function stringMap(res: K8sResource, node: Node | undefined): Record<string, string> | undefined {
  if (!isMap(node)) return undefined;
  const out: Record<string, string> = {};
  for (const { key, value } of pairs(res, node)) {
    const text = scalarText(value);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

/** A Service name as a host seen from `res`'s namespace: `web`, or `web.other` for another namespace. */
function hostIn(res: K8sResource, name: string, namespace: string | undefined): string {
  return namespace && namespace !== res.namespace ? `${name}.${namespace}` : name;
}

/** `Kind name` of a Traefik service reference, as kubernetes-crds.ts spells it. */
function serviceRef(res: K8sResource, ref: Node | undefined): string {
  return `${str(res, at(res, ref, 'kind')) ?? 'Service'} ${str(res, at(res, ref, 'name')) ?? '?'}`;
}

/** Traefik service references as members: a Service (or TraefikService) by name, with its port when a number. */
function traefikMembers(res: K8sResource, refs: Array<Node | undefined>): PoolMember[] {
  return uniqueMembers(
    refs.flatMap((ref) => {
      const name = str(res, at(res, ref, 'name'));
      return name ? [member(hostIn(res, name, str(res, at(res, ref, 'namespace'))), portNumber(str(res, at(res, ref, 'port'))))] : [];
    }),
  );
}

/**
 * The Services an Ingress sends to: networking.k8s.io/v1 `backend.service.{name, port.number}` and
 * v1beta1 `backend.{serviceName, servicePort}`, in `defaultBackend` / `backend` and every rule path.
 * A named port (`port.name: http`) gives a member without a port.
 */
function ingressMembers(res: K8sResource): PoolMember[] {
  const spec = at(res, res.node, 'spec');
  const backends = [at(res, spec, 'defaultBackend'), at(res, spec, 'backend')];
  for (const rule of list(res, at(res, spec, 'rules'))) {
    for (const path of list(res, at(res, rule, 'http', 'paths'))) backends.push(at(res, path, 'backend'));
  }
  const members = backends.flatMap((backend) => {
    const name = str(res, at(res, backend, 'service', 'name'));
    if (name) return [member(name, portNumber(str(res, at(res, backend, 'service', 'port', 'number'))))];
    const legacy = str(res, at(res, backend, 'serviceName'));
    return legacy ? [member(legacy, portNumber(str(res, at(res, backend, 'servicePort'))))] : [];
  });
  return uniqueMembers(members);
}
