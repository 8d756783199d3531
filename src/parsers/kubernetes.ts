import { isMap, type Document, type YAMLMap } from 'yaml';
import type { Affinity } from '../model/index.js';
import { configMapAffinities, ingressAffinities, serviceAffinities } from './kubernetes-core.js';
import {
  backendConfigAffinities,
  destinationRuleAffinities,
  ingressRouteAffinities,
  traefikServiceAffinities,
  virtualServerAffinities,
} from './kubernetes-crds.js';
import { backendPolicyAffinities, envoyGatewayAffinities, routeAffinities } from './kubernetes-gateway.js';
import { at, IGNORE_ANNOTATION, list, str, type K8sResource } from './kubernetes-resource.js';
import { KubernetesDeployment } from './kubernetes-deploy.js';
import type { ConfigParser, ModelFragment, ParseInput } from './types.js';
import type { YamlSource } from './yaml-source.js';

/**
 * Kubernetes manifests: multi-document YAML or JSON, and `kind: List` with `items`. A document is a
 * Kubernetes object when it has string `apiVersion` and `kind`; other documents are skipped quietly.
 * The YAML itself is read by the shared `input.yaml()` (the `yaml` package, with positions).
 */

const FILE_NAME = /\.(?:ya?ml|json)$/i;
// Top-level keys start a line in YAML (quoted keys allowed); JSON puts them anywhere.
const YAML_API_VERSION = /^["']?apiVersion["']?[ \t]*:/m;
const YAML_KIND = /^["']?kind["']?[ \t]*:/m;
const JSON_API_VERSION = /"apiVersion"\s*:/;
const JSON_KIND = /"kind"\s*:/;
// CloudFormation templates can embed manifests (EKS resources); they are not manifests themselves.
const CLOUDFORMATION = /AWSTemplateFormatVersion|^["']?Resources["']?[ \t]*:|"Type"\s*:\s*"AWS::/m;
// A Go / Jinja template marker before any `#` on its line: `name: {{ .Release.Name }}`, `{{- if ... }}`, `{% for %}`.
const TEMPLATE_LINE = /^[^#\n]*\{[{%]/m;

function detect(input: ParseInput): boolean {
  if (!FILE_NAME.test(input.file)) return false;
  const text = input.text;
  const json = /\.json$/i.test(input.file);
  const looksLikeManifest = json
    ? JSON_API_VERSION.test(text) && JSON_KIND.test(text)
    : YAML_API_VERSION.test(text) && YAML_KIND.test(text);
  if (!looksLikeManifest || CLOUDFORMATION.test(text)) return false;
  // Helm and other templates are not manifests until rendered. Decision: a template that still parses as
  // YAML (markers only inside quoted strings, say) is read like any manifest; one that does not is not ours,
  // and is skipped quietly rather than reported as a syntax error the user cannot fix in that file.
  if (TEMPLATE_LINE.test(text)) {
    try {
      input.yaml();
    } catch {
      return false;
    }
  }
  return true;
}

function parse(input: ParseInput): ModelFragment {
  const src = input.yaml();
  const resources = src.docs.flatMap((doc) => objectsOf(input, src, doc));
  const affinities: Affinity[] = [];
  // Pools and workloads come from the same objects; ConfigMaps and autoscalers of the file are indexed first.
  const deployment = new KubernetesDeployment(resources);
  for (const res of resources) {
    const found = affinitiesOf(res);
    affinities.push(...found);
    deployment.add(res, found);
  }
  // In file order: handlers walk an object's fields in their own order.
  affinities.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
  return { affinities, pools: deployment.pools, workloads: deployment.workloads };
}

/** The document's object, or the items of a `kind: List` (one level: Lists do not nest). */
function objectsOf(input: ParseInput, src: YamlSource, doc: Document.Parsed): K8sResource[] {
  const root = resource(input, src, doc, doc.contents);
  if (!root) return [];
  if (!root.kind.endsWith('List')) return [root];
  const items = list(root, at(root, root.node, 'items'));
  if (items.length === 0 && !at(root, root.node, 'items')) return [root];
  return items.flatMap((item) => {
    const res = resource(input, src, doc, item);
    return res ? [res] : [];
  });
}

function resource(input: ParseInput, src: YamlSource, doc: Document.Parsed, node: unknown): K8sResource | undefined {
  if (!isMap(node)) return undefined;
  const probe = { doc };
  const apiVersion = str(probe, at(probe, node, 'apiVersion'));
  const kind = str(probe, at(probe, node, 'kind'));
  if (!apiVersion || !kind) return undefined;
  const slash = apiVersion.indexOf('/');
  const metadata = at(probe, node, 'metadata');
  const ignore = str(probe, at(probe, metadata, 'annotations', IGNORE_ANNOTATION)) ?? '';
  return {
    input,
    src,
    doc,
    apiVersion,
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    kind,
    name: str(probe, at(probe, metadata, 'name')) ?? str(probe, at(probe, metadata, 'generateName')) ?? '(unnamed)',
    namespace: str(probe, at(probe, metadata, 'namespace')) ?? 'default',
    node: node as YAMLMap,
    ignoredRules: ignore
      .split(/[\s,]+/)
      .map((id) => id.trim().toLowerCase())
      .filter(Boolean),
  };
}

const GATEWAY_API = new Set(['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io']);
const TRAEFIK = new Set(['traefik.io', 'traefik.containo.us']);

function affinitiesOf(res: K8sResource): Affinity[] {
  const { group, kind } = res;
  if (group === '' && kind === 'Service') return serviceAffinities(res);
  if (group === '' && kind === 'ConfigMap') return configMapAffinities(res);
  if (kind === 'Ingress' && (group === 'networking.k8s.io' || group === 'extensions')) return ingressAffinities(res);
  if (GATEWAY_API.has(group)) {
    if (kind === 'HTTPRoute' || kind === 'GRPCRoute') return routeAffinities(res);
    if (kind === 'BackendLBPolicy' || kind === 'BackendTrafficPolicy' || kind === 'XBackendTrafficPolicy') return backendPolicyAffinities(res);
    return [];
  }
  if (group === 'gateway.envoyproxy.io' && kind === 'BackendTrafficPolicy') return envoyGatewayAffinities(res);
  if (group === 'networking.istio.io' && kind === 'DestinationRule') return destinationRuleAffinities(res);
  if (TRAEFIK.has(group) && kind === 'IngressRoute') return ingressRouteAffinities(res);
  if (TRAEFIK.has(group) && kind === 'TraefikService') return traefikServiceAffinities(res);
  if (group === 'k8s.nginx.org' && (kind === 'VirtualServer' || kind === 'VirtualServerRoute')) return virtualServerAffinities(res);
  if (group === 'cloud.google.com' && kind === 'BackendConfig') return backendConfigAffinities(res);
  return [];
}

export const kubernetesParser: ConfigParser = {
  format: 'kubernetes',
  detect,
  parse,
};
