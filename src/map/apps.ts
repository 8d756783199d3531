import type { Location, SessionConfig, Workload } from '../model/index.js';
import type { AppSettingsReader } from '../parsers/apps/types.js';

/** An app: a workload that runs it and/or the code folder whose session settings were read. */
export interface LinkedApp {
  id: string;
  name: string;
  workload?: Workload;
  /** The session settings that apply: code and config under its folder, overridden by its deployment's env. */
  sessions: SessionConfig[];
  replicas: number | null;
  location: Location | null;
  /** Why its sessions are unknown, when they are. */
  unknownBecause?: string;
}

const under = (root: string, folder: string) => root === '.' || folder === root || folder.startsWith(`${root}/`);

/**
 * Apps from workloads and session configs. A workload gets the configs found under its build context
 * plus what its environment variables set; configs that no workload claims form apps of their own,
 * one per app folder. Nothing is matched by similar names: a Kubernetes workload with only an image
 * is shown with its sessions unknown.
 */
export function linkApps(workloads: Workload[], configs: SessionConfig[], readers: readonly AppSettingsReader[]): LinkedApp[] {
  const apps: LinkedApp[] = [];
  const claimed = new Set<SessionConfig>();
  for (const workload of workloads) {
    const fromCode = workload.codeRoot ? configs.filter((config) => under(workload.codeRoot!, config.appRoot)) : [];
    fromCode.forEach((config) => claimed.add(config));
    const fromEnv = readers.flatMap((reader) => reader.fromEnv?.(workload.env, workload.codeRoot ?? workload.name) ?? []);
    // The deployment's environment wins over the code's default for the same framework's store.
    const overridden = new Set(fromEnv.filter((config) => config.storage !== 'unknown').map((config) => config.framework));
    const sessions = [...fromEnv, ...fromCode.filter((config) => !overridden.has(config.framework) || config.storage === 'unknown')];
    apps.push({
      id: `app:${workload.location.file}:${workload.name}`,
      name: workload.name,
      workload,
      sessions,
      replicas: workload.replicas,
      location: workload.location,
      unknownBecause:
        sessions.length > 0
          ? undefined
          : workload.codeRoot
            ? `no session settings were found under its build context ${workload.codeRoot}`
            : `it runs ${workload.image ? `image ${workload.image}` : 'an image'} whose code is not among the files scanned`,
    });
  }
  const byRoot = new Map<string, SessionConfig[]>();
  for (const config of configs) {
    if (claimed.has(config)) continue;
    byRoot.set(config.appRoot, [...(byRoot.get(config.appRoot) ?? []), config]);
  }
  for (const [root, sessions] of byRoot) {
    apps.push({ id: `app:${root}`, name: root, sessions, replicas: null, location: sessions[0].location });
  }
  return apps;
}
