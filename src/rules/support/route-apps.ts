import { PER_NODE_STORAGE, SHARED_OR_STATELESS, type Route, type RouteApp, type SessionConfig } from '../../model/index.js';

/** A session config that ties a user to one node: per-node storage, or a per-node signing key. */
export function isPerNode(config: SessionConfig): boolean {
  return PER_NODE_STORAGE.has(config.storage) || config.secret?.source === 'per-node';
}

export function perNodeApps(route: Route): RouteApp[] {
  return route.apps.filter((app) => app.sessions.some(isPerNode));
}

/** Does the pool spread one user's requests over several instances of this app (or over several apps)? */
export function spreadsOver(route: Route, app: RouteApp): boolean {
  return (app.replicas ?? 0) > 1 || route.apps.length > 1;
}

/** Every app behind the pool is known to keep sessions where any node can read them. */
export function allShared(route: Route): boolean {
  return (
    route.apps.length > 0 &&
    route.apps.every((app) => app.sessions.length > 0 && app.sessions.every((config) => SHARED_OR_STATELESS.has(config.storage) && !isPerNode(config)))
  );
}

/** "api (2 replicas): MemoryStore (no store option), app/src/server.js:7" */
export function describeApp(app: RouteApp, configs: SessionConfig[] = app.sessions): string {
  const replicas = app.replicas === null ? 'replicas unknown' : `${app.replicas} replica${app.replicas === 1 ? '' : 's'}`;
  const where = configs.map((config) => `${describeStorage(config)} at ${config.location.file}:${config.location.line}`).join('; ');
  return `${app.name} (${replicas}): ${where}`;
}

export function describeStorage(config: SessionConfig): string {
  if (config.secret?.source === 'per-node' && !PER_NODE_STORAGE.has(config.storage)) return `${config.secret.what} made per node`;
  return `${config.frameworkName} ${config.storageDetail}`;
}
