// Linking pools to apps and apps to stores, from hand-built model parts: what links, what must stay
// unlinked (with why), and how the routes the correlation rules judge come out.
import { describe, expect, it } from 'vitest';
import { buildMap } from '../../src/map/build-map.js';
import { linkSystem } from '../../src/map/link.js';
import type { Affinity, Pool, SessionConfig, Workload } from '../../src/model/index.js';
import type { AppSettingsReader } from '../../src/parsers/apps/types.js';

const at = (file: string, line: number) => ({ file, line, column: 1 });

function pool(name: string, file: string, members: string[], extra: Partial<Pool> = {}): Pool {
  return {
    kind: 'pool', format: 'nginx', name, proxy: 'nginx', location: at(file, 2),
    members: members.map((member) => ({ host: member.split(':')[0], port: Number(member.split(':')[1]) || undefined })), ...extra,
  };
}

function compose(name: string, file: string, extra: Partial<Workload> = {}): Workload {
  return { kind: 'workload', format: 'compose', name, location: at(file, 5), replicas: 1, hostnames: [name], env: [], ...extra };
}

function sessions(appRoot: string, storage: SessionConfig['storage'], extra: Partial<SessionConfig> = {}): SessionConfig {
  return {
    kind: 'session-config', framework: 'express-session', frameworkName: 'express-session', storage,
    storageDetail: storage === 'memory' ? 'MemoryStore (no store option)' : 'connect-redis', storeHosts: [],
    location: at(`${appRoot}/server.js`, 7), evidence: 'app.use(session({', appRoot, cookie: {}, ...extra,
  };
}

const ipHash = (file: string, poolName: string): Affinity => ({
  kind: 'affinity', format: 'nginx', mechanism: 'client-ip', pool: poolName, detail: 'ip_hash', location: at(file, 3), evidence: 'ip_hash;',
});

describe('linkSystem', () => {
  it('links an nginx upstream to the compose service it names, and the service to the code in its build context', () => {
    const system = linkSystem({
      pools: [pool('upstream shop_backend', 'deploy/nginx.conf', ['shop:3000'])],
      workloads: [compose('shop', 'docker-compose.yml', { replicas: 3, codeRoot: 'shop' })],
      affinities: [],
      sessionConfigs: [sessions('shop', 'memory'), sessions('other', 'redis')],
    }, []);
    expect(system.routes).toHaveLength(1);
    expect(system.routes[0]).toMatchObject({ affinity: null, apps: [{ name: 'shop', replicas: 3 }] });
    expect(system.routes[0].apps[0].sessions.map((config) => config.appRoot)).toEqual(['shop']);
    // The config nobody runs is an app of its own, behind nothing.
    expect(system.apps.map((app) => app.name)).toEqual(['shop', 'other']);
  });

  it('follows Ingress -> Service -> Deployment by name and selector, carrying the Service affinity', () => {
    const service = pool('Service shop/web', 'k8s.yaml', [], { format: 'kubernetes', proxy: 'Service', namespace: 'shop', selector: { app: 'web' } });
    const ingress = pool('Ingress shop/web', 'k8s.yaml', ['web:80'], { format: 'kubernetes', proxy: 'Ingress', namespace: 'shop' });
    const deployment: Workload = {
      kind: 'workload', format: 'kubernetes', name: 'Deployment shop/web', location: at('k8s.yaml', 1), replicas: 3, hostnames: [],
      namespace: 'shop', labels: { app: 'web', tier: 'front' }, env: [],
    };
    const other: Workload = { ...deployment, name: 'Deployment other/web', namespace: 'other' };
    const clientIp: Affinity = { ...ipHash('k8s.yaml', 'Service shop/web'), format: 'kubernetes', detail: 'sessionAffinity: ClientIP' };
    const system = linkSystem({ pools: [service, ingress], workloads: [deployment, other], affinities: [clientIp], sessionConfigs: [] }, []);
    expect(system.routes).toHaveLength(1);
    expect(system.routes[0].pool).toBe(ingress);
    expect(system.routes[0].affinity).toBe(clientIp);
    expect(system.routes[0].apps.map((app) => app.name)).toEqual(['Deployment shop/web']);
  });

  it('leaves addresses, unknown names and ambiguous names unlinked, and says why', () => {
    const system = linkSystem({
      pools: [pool('upstream api', 'nginx.conf', ['10.0.0.5:8080', 'nowhere:80', 'api:3000'])],
      workloads: [compose('api', 'a/docker-compose.yml'), compose('api', 'b/docker-compose.yml')],
      affinities: [],
      sessionConfigs: [],
    }, []);
    const { map } = buildMap(system.links, system.apps);
    const reasons = map.unlinked.filter((entry) => entry.node.startsWith('pool:')).map((entry) => entry.reason);
    expect(reasons).toEqual([
      'upstream api: 10.0.0.5:8080: an address, not a name: nothing in the files says which app listens there',
      'upstream api: nowhere:80: no compose service or Kubernetes Service named nowhere in the files scanned',
      'upstream api: api:3000: 2 services answer to api (api (a/docker-compose.yml), api (b/docker-compose.yml)): not linked rather than guessed',
    ]);
    expect(system.routes).toEqual([]);
  });

  it('lets a deployment environment override the store the code defaults to', () => {
    const reader: AppSettingsReader = {
      id: 'test',
      wants: () => false,
      read: () => [],
      fromEnv: (env, appRoot) =>
        env.filter((entry) => entry.name === 'SESSION_DRIVER').map((entry) => ({ ...sessions(appRoot, entry.value === 'file' ? 'file' : 'redis'), location: entry.location })),
    };
    const workload = compose('billing', 'docker-compose.yml', { codeRoot: 'billing', env: [{ name: 'SESSION_DRIVER', value: 'file', location: at('docker-compose.yml', 9) }] });
    const system = linkSystem({ pools: [], workloads: [workload], affinities: [], sessionConfigs: [sessions('billing', 'redis')] }, [reader]);
    expect(system.apps[0].sessions.map((config) => [config.storage, config.location.line])).toEqual([['file', 9]]);
  });
});

describe('buildMap', () => {
  it('draws proxy -> pool -> app -> store, links a scanned store by host, and keeps the store service out of the apps', () => {
    const system = linkSystem({
      pools: [pool('upstream shop_backend', 'nginx.conf', ['shop:3000'])],
      workloads: [compose('shop', 'docker-compose.yml', { codeRoot: 'shop', replicas: 2 }), compose('sessions', 'docker-compose.yml', { image: 'redis:7.2' })],
      affinities: [ipHash('nginx.conf', 'upstream shop_backend')],
      sessionConfigs: [sessions('shop', 'redis', { storeHosts: ['redis://sessions:6379'] })],
    }, []);
    const { map } = buildMap(system.links, system.apps, [{ source: 'redis://sessions:6379', kind: 'redis', facts: ['12 session keys'] }]);
    const kinds = Object.fromEntries(map.nodes.map((node) => [node.id, node.kind]));
    expect(kinds).toEqual({
      'pool:nginx.conf:upstream shop_backend': 'pool',
      'proxy:nginx.conf:nginx': 'proxy',
      'app:docker-compose.yml:shop': 'app',
      'store:redis://sessions:6379': 'store',
    });
    expect(map.edges).toEqual([
      { from: 'proxy:nginx.conf:nginx', to: 'pool:nginx.conf:upstream shop_backend' },
      { from: 'pool:nginx.conf:upstream shop_backend', to: 'app:docker-compose.yml:shop' },
      { from: 'app:docker-compose.yml:shop', to: 'store:redis://sessions:6379' },
    ]);
    expect(map.nodes.find((node) => node.kind === 'pool')).toMatchObject({ affinity: 'client-ip', facts: ['client IP: ip_hash', '1 server'] });
    expect(map.nodes.find((node) => node.kind === 'app')).toMatchObject({ replicas: 2, storage: 'redis', facts: ['2 replicas', 'sessions: express-session connect-redis'] });
  });
});
