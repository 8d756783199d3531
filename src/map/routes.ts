import type { Affinity, Pool, PoolMember, Route } from '../model/index.js';
import type { LinkedApp } from './apps.js';
import { isAddress, serviceNameOf } from './hosts.js';

/** Where a pool sends traffic, resolved to other pools (a Service behind an Ingress) or apps. */
export interface PoolLinks {
  pool: Pool;
  pools: Pool[];
  apps: LinkedApp[];
  /** Members that could not be linked, with why. */
  unlinked: string[];
}

const poolKey = (file: string, format: string, name: string) => `${file}\0${format}\0${name}`;

/** The affinity a config sets for a pool: same file, format and pool name (the parsers' invariant). */
export function attachAffinities(pools: Pool[], affinities: Affinity[]): void {
  const byPool = new Map<string, Affinity>();
  for (const affinity of affinities) byPool.set(poolKey(affinity.location.file, affinity.format, affinity.pool), affinity);
  for (const pool of pools) pool.affinity = byPool.get(poolKey(pool.location.file, pool.format, pool.name)) ?? null;
}

export function linkPools(pools: Pool[], apps: LinkedApp[]): PoolLinks[] {
  const index = indexTargets(pools, apps);
  return pools.map((pool) => {
    const links: PoolLinks = { pool, pools: [], apps: [], unlinked: [] };
    const addApp = (app: LinkedApp) => links.apps.includes(app) || links.apps.push(app);
    if (pool.selector) {
      const selected = (index.workloadsIn.get(pool.namespace ?? 'default') ?? []).filter((app) => selects(pool, app));
      selected.forEach(addApp);
      if (selected.length === 0) links.unlinked.push(`${pool.name}: its selector ${selectorText(pool.selector)} matches no workload in the files scanned`);
    }
    if (pool.workload) {
      const own = index.composeByName.get(`${pool.location.file}\0${pool.workload}`);
      if (own) addApp(own);
    }
    for (const member of pool.workload ? [] : pool.members) {
      const target = resolveMember(pool, member, index);
      if (typeof target === 'string') links.unlinked.push(`${pool.name}: ${memberText(member)}: ${target}`);
      else if (isPool(target)) links.pools.includes(target) || links.pools.push(target);
      else addApp(target);
    }
    return links;
  });
}

/**
 * Routes for the rules: from each entry pool (one no other pool sends to) down to the apps, with the
 * first affinity met on the way; apps reached with different affinities make separate routes.
 */
export function routesOf(links: PoolLinks[]): Route[] {
  const byPool = new Map(links.map((link) => [link.pool, link]));
  const targeted = new Set(links.flatMap((link) => link.pools));
  const routes: Route[] = [];
  for (const entry of links) {
    if (targeted.has(entry.pool)) continue;
    const reached = new Map<Affinity | null, LinkedApp[]>();
    const visit = (link: PoolLinks, affinity: Affinity | null, seen: Set<Pool>) => {
      if (seen.has(link.pool)) return;
      seen.add(link.pool);
      const here = affinity ?? link.pool.affinity ?? null;
      for (const app of link.apps) {
        const list = reached.get(here) ?? [];
        if (!list.includes(app)) list.push(app);
        reached.set(here, list);
      }
      for (const next of link.pools) {
        const nextLink = byPool.get(next);
        if (nextLink) visit(nextLink, here, seen);
      }
    };
    visit(entry, null, new Set());
    for (const [affinity, apps] of reached) {
      routes.push({
        kind: 'route',
        pool: entry.pool,
        affinity,
        apps: apps.map((app) => ({ name: app.name, replicas: app.replicas, workload: app.workload, sessions: app.sessions })),
      });
    }
  }
  return routes;
}

/** Lookups by name, built once: a large tree has thousands of pools and apps. */
interface TargetIndex {
  servicesByName: Map<string, Pool[]>;
  composeByHost: Map<string, LinkedApp[]>;
  composeByName: Map<string, LinkedApp>;
  workloadsIn: Map<string, LinkedApp[]>;
}

function indexTargets(pools: Pool[], apps: LinkedApp[]): TargetIndex {
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list) list.includes(value) || list.push(value);
    else map.set(key, [value]);
  };
  const index: TargetIndex = { servicesByName: new Map(), composeByHost: new Map(), composeByName: new Map(), workloadsIn: new Map() };
  for (const pool of pools) if (pool.proxy === 'Service') push(index.servicesByName, serviceName(pool), pool);
  for (const app of apps) {
    const workload = app.workload;
    if (workload?.format === 'compose') {
      for (const name of workload.hostnames) push(index.composeByHost, name.toLowerCase(), app);
      index.composeByName.set(`${workload.location.file}\0${workload.name}`, app);
    } else if (workload?.format === 'kubernetes') {
      push(index.workloadsIn, workload.namespace ?? 'default', app);
    }
  }
  return index;
}

function resolveMember(pool: Pool, member: PoolMember, index: TargetIndex): Pool | LinkedApp | string {
  if (isAddress(member.host)) return 'an address, not a name: nothing in the files says which app listens there';
  const wanted = serviceNameOf(member.host);
  const namespace = wanted.namespace ?? (pool.format === 'kubernetes' ? pool.namespace ?? 'default' : undefined);
  const candidates: Array<Pool | LinkedApp> = [
    ...(index.servicesByName.get(wanted.name) ?? []).filter(
      (service) => service !== pool && (namespace === undefined || (service.namespace ?? 'default') === namespace),
    ),
    ...(index.composeByHost.get(wanted.full) ?? []),
  ];
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) return `no compose service or Kubernetes Service named ${wanted.full} in the files scanned`;
  const names = candidates.map((candidate) => `${candidate.name} (${candidate.location?.file})`);
  return `${names.length} services answer to ${wanted.full} (${names.join(', ')}): not linked rather than guessed`;
}

const isPool = (target: Pool | LinkedApp): target is Pool => 'kind' in target && target.kind === 'pool';

/** "Service shop/web" -> "web". */
function serviceName(service: Pool): string {
  return service.name.replace(/^Service\s+/, '').split('/').pop()!.toLowerCase();
}

function selects(pool: Pool, app: LinkedApp): boolean {
  const workload = app.workload!;
  const labels = workload.labels ?? {};
  const selector = pool.selector ?? {};
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);
}

const selectorText = (selector: Record<string, string>) => Object.entries(selector).map(([key, value]) => `${key}=${value}`).join(',');
const memberText = (member: PoolMember) => (member.port ? `${member.host}:${member.port}` : member.host);
