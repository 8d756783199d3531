import type { Affinity, Pool, Route, SessionConfig, Workload } from '../model/index.js';
import { APP_READERS } from '../parsers/apps/index.js';
import type { AppSettingsReader } from '../parsers/apps/types.js';
import { linkApps, type LinkedApp } from './apps.js';
import { attachAffinities, linkPools, routesOf, type PoolLinks } from './routes.js';

export interface LinkedSystem {
  apps: LinkedApp[];
  links: PoolLinks[];
  /** Entry pool -> apps, with the affinity on the way: what the correlation rules judge. */
  routes: Route[];
}

/** Link what the files say into one system: pools to the apps behind them, apps to their session settings. */
export function linkSystem(
  parts: { pools: Pool[]; workloads: Workload[]; affinities: Affinity[]; sessionConfigs: SessionConfig[] },
  readers: readonly AppSettingsReader[] = APP_READERS,
): LinkedSystem {
  const pools = withoutSnippetPasses(parts.pools);
  attachAffinities(pools, parts.affinities);
  const apps = linkApps(parts.workloads, parts.sessionConfigs, readers);
  const links = linkPools(pools, apps);
  return { apps, links, routes: routesOf(links) };
}

/**
 * An nginx snippet read on its own (conf.d/site.conf) cannot see the upstreams of the file that
 * includes it, so its `proxy_pass http://shop` looks like a pass to a host named shop. nginx resolves
 * upstream names across the whole config: when an upstream of that name was found, the pass is the upstream.
 */
function withoutSnippetPasses(pools: Pool[]): Pool[] {
  const upstreams = new Set(pools.filter((pool) => pool.format === 'nginx' && pool.name.startsWith('upstream ')).map((pool) => pool.name.slice(9).toLowerCase()));
  return pools.filter(
    (pool) => !(pool.format === 'nginx' && !pool.name.startsWith('upstream ') && pool.members.length === 1 && upstreams.has(pool.members[0].host.toLowerCase())),
  );
}
