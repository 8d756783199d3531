import type { Affinity, ConfigFormat } from './affinity.js';
import type { Location } from './location.js';

/** An environment variable a deployment sets on an app, with a literal value. */
export interface EnvSetting {
  name: string;
  value: string;
  location: Location;
}

/**
 * Something that runs an app: a compose service or a Kubernetes workload (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Pod).
 */
export interface Workload {
  kind: 'workload';
  format: 'compose' | 'kubernetes';
  /** "api" (compose service), "Deployment shop/web". */
  name: string;
  location: Location;
  /** Instances that run; null when the config does not say (an autoscaler decides) or it runs one per node (DaemonSet). */
  replicas: number | null;
  /** Host names other services reach it by: compose service name, aliases, container_name. */
  hostnames: string[];
  /** Kubernetes: namespace and pod template labels, for Service selectors. */
  namespace?: string;
  labels?: Record<string, string>;
  image?: string;
  /** The folder its code is built from (compose build context), shown path; absent when only an image is named. */
  codeRoot?: string;
  env: EnvSetting[];
}

/** Where a pool sends traffic: a host (service name, DNS name, IP) and port as the config writes them. */
export interface PoolMember {
  host: string;
  port?: number;
}

/**
 * A set of backends a proxy balances between: an nginx upstream (or a proxy_pass to one host), a
 * HAProxy backend, a Kubernetes Service or Ingress, a Traefik service.
 */
export interface Pool {
  kind: 'pool';
  format: ConfigFormat;
  /** As the config names it, the same text the pool's Affinity uses: "upstream shop_backend", "Service shop/web". */
  name: string;
  /** The proxy that owns it, for people: "nginx", "HAProxy", "Ingress shop/web", "Traefik". */
  proxy: string;
  location: Location;
  members: PoolMember[];
  /** Kubernetes Service: namespace and selector, matched against workload labels. */
  namespace?: string;
  selector?: Record<string, string>;
  /** Compose: the service whose labels declare this pool (Traefik). */
  workload?: string;
  /** The affinity that applies to this pool, filled in when the model is linked. */
  affinity?: Affinity | null;
}
