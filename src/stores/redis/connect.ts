/**
 * `--redis URL` (+ `--cluster`, `--sentinel HOST:PORT --sentinel-name NAME`, TLS and ACL options)
 * -> a RedisStore: the master node(s) to scan, each a read-only RedisReader.
 *
 * Mode: sentinel when sentinels are given; cluster when `--cluster` is given or INFO says
 * cluster_enabled:1 (then every master from CLUSTER NODES is opened, because SCAN only walks the
 * node it is sent to); standalone otherwise.
 */
import { InputError, UsageError } from '../../errors.js';
import { CLUSTER_SLOTS, parseClusterNodes } from './cluster.js';
import { openNode, openSubscriber, type NodeAddress, type Timeouts } from './open-node.js';
import { parseInfo } from './info-facts.js';
import type { RedisReader, RedisSubscriber, RedisWriter } from './reader.js';
import { resolveSentinelMaster, sentinelSource, type SentinelOptions } from './sentinel.js';
import { formatSource, parseRedisUrl, type RedisTarget, type RedisUrlOptions } from './url.js';

export type RedisMode = 'standalone' | 'cluster' | 'sentinel';

export interface RedisConnectOptions extends RedisUrlOptions {
  /** `--redis URL`; with sentinels it only carries credentials/db/TLS (host is ignored). */
  url?: string;
  /** `--cluster`: insist on cluster mode (an error if the node is not a cluster node). */
  cluster?: boolean;
  sentinel?: SentinelOptions;
  timeouts?: Timeouts;
  /** Write commands the nodes may also send (revoke / restore only; see connectRedisWriter). */
  writes?: readonly string[];
}

export interface RedisStore {
  kind: 'redis';
  /** Password-free: the URL given, or sentinel://host:port/name. */
  source: string;
  mode: RedisMode;
  /** The nodes to scan: one, or every reachable cluster master. */
  nodes: RedisReader[];
  /** Cluster only: slots served by the masters opened (16384 when the cluster is whole). */
  slotsCovered?: number;
  /** Cluster masters that could not be opened or are marked failing: reported, not scanned. */
  unreachable: string[];
  /**
   * Open another node of the same store (same credentials, TLS and command list): the node a
   * cluster's MOVED / ASK reply names. The caller closes it.
   */
  open?(host: string, port: number): Promise<RedisReader>;
  /** The database the nodes work on (0 on a cluster). */
  db?: number;
  /** A subscriber connection to one of `nodes` (same credentials and TLS), for `watch`. The caller closes it. */
  subscriber?(node: RedisReader): Promise<RedisSubscriber>;
  close(): Promise<void>;
}

/** A store whose nodes may also send an explicit list of writes (write-commands.ts). */
export interface RedisWriteStore extends RedisStore {
  nodes: RedisWriter[];
  open(host: string, port: number): Promise<RedisWriter>;
}

/** connectRedis, with nodes that may also send `writes` (and nothing else): for revoke and restore. */
export async function connectRedisWriter(options: RedisConnectOptions, writes: readonly string[]): Promise<RedisWriteStore> {
  return (await connectRedis({ ...options, writes })) as RedisWriteStore;
}

function nodeSource(target: RedisTarget, host: string, port: number): string {
  return formatSource(target.tls ? 'rediss' : 'redis', host, port, target.db, target.username);
}

/** `host:port` or `[v6]:port` (a reader's address) -> its parts. */
function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(colon + 1)) };
}

async function closeAll(readers: RedisReader[]): Promise<void> {
  await Promise.all(readers.map((r) => r.close()));
}

export async function connectRedis(options: RedisConnectOptions): Promise<RedisStore> {
  if (!options.url && !options.sentinel) throw new UsageError('--redis URL or --sentinel HOST:PORT is required');
  if (options.sentinel && options.cluster) throw new UsageError('--sentinel and --cluster cannot be combined');
  // With sentinels the URL is optional and only supplies credentials, db and TLS.
  const target = parseRedisUrl(options.url ?? 'redis://sentinel-master', options);
  const address: NodeAddress = { ...target };

  let mode: RedisMode = 'standalone';
  let source = target.source;
  if (options.sentinel) {
    if (options.sentinel.sentinels.length === 0) throw new UsageError('--sentinel-name needs at least one --sentinel HOST:PORT');
    const master = await resolveSentinelMaster(options.sentinel, options.timeouts ?? {});
    Object.assign(address, master);
    mode = 'sentinel';
    source = sentinelSource(options.sentinel);
  }

  const nodeOptions = { writes: options.writes };
  const open = (host: string, port: number) =>
    openNode({ ...target, host, port, db: mode === 'cluster' ? 0 : target.db }, nodeSource(target, host, port), options.timeouts, nodeOptions);
  const subscriber = (node: RedisReader) => {
    const { host, port } = splitAddress(node.address);
    return openSubscriber({ ...target, host, port }, nodeSource(target, host, port), options.timeouts);
  };
  const first = await openNode(address, nodeSource(target, address.host, address.port), options.timeouts, nodeOptions);
  try {
    const info = parseInfo(await first.info('cluster').catch(() => ''));
    const clusterEnabled = info.get('cluster_enabled') === '1';
    if (options.cluster && !clusterEnabled) throw new InputError('--cluster given, but this node is not in cluster mode', first.source);
    if (mode === 'sentinel') {
      const role = parseInfo(await first.info('replication').catch(() => '')).get('role');
      if (role && role !== 'master') throw new InputError(`sentinel named ${address.host}:${address.port} as master, but it is a ${role} (failover in progress?)`, source);
    }
    if (!clusterEnabled) return { kind: 'redis', source, mode, nodes: [first], unreachable: [], open, db: target.db, subscriber, close: () => first.close() };
    if (target.db !== 0) throw new UsageError(`--redis ${target.source}: a cluster has only database 0`);
    mode = 'cluster';
    return { ...(await openCluster(first, target, source, nodeOptions)), open, db: 0, subscriber };
  } catch (error) {
    await first.close();
    throw error;
  }
}

async function openCluster(seed: RedisReader, target: RedisTarget, source: string, nodeOptions: { writes?: readonly string[] } = {}): Promise<RedisStore> {
  const masters = parseClusterNodes(String(await seed.call('CLUSTER', 'NODES')), target.host);
  const seedAddress = `${target.host}:${target.port}`;
  const unreachable: string[] = [];
  const opened = await Promise.all(
    masters.map(async (m): Promise<[RedisReader | undefined, number]> => {
      const where = nodeSource(target, m.host, m.port);
      if (m.failing) {
        unreachable.push(`${where} (marked failing)`);
        return [undefined, 0];
      }
      // Reuse the seed connection when the seed is itself a master.
      if (`${m.host}:${m.port}` === seedAddress) return [seed, m.slots];
      try {
        return [await openNode({ ...target, host: m.host, port: m.port, db: 0 }, where, undefined, nodeOptions), m.slots];
      } catch (error) {
        unreachable.push(String(error));
        return [undefined, 0];
      }
    }),
  );
  const nodes = opened.flatMap(([reader]) => (reader ? [reader] : []));
  if (!nodes.includes(seed)) await seed.close(); // the seed was a replica: not scanned
  if (nodes.length === 0) throw new InputError(`no reachable cluster master (${unreachable.join('; ')})`, source);
  const slotsCovered = Math.min(CLUSTER_SLOTS, opened.reduce((sum, [reader, slots]) => sum + (reader ? slots : 0), 0));
  return { kind: 'redis', source, mode: 'cluster', nodes, slotsCovered, unreachable, close: () => closeAll(nodes) };
}
