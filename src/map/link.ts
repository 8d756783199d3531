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
  attachAffinities(parts.pools, parts.affinities);
  const apps = linkApps(parts.workloads, parts.sessionConfigs, readers);
  const links = linkPools(parts.pools, apps);
  return { apps, links, routes: routesOf(links) };
}
