/**
 * Redis Cluster topology from CLUSTER NODES: the masters to scan and the slots they serve.
 * ioredis's Cluster client routes keyed commands but SCAN goes to one node only, so session-audit
 * opens every master itself and walks each one (in parallel).
 *
 * CLUSTER NODES line: <id> <ip:port@cport[,hostname]> <flags> <master-id> <ping> <pong> <epoch> <link> <slot>...
 * https://redis.io/docs/latest/commands/cluster-nodes/
 */
export interface ClusterMaster {
  id: string;
  host: string;
  port: number;
  /** Slots this master serves (ranges summed; migrating/importing markers ignored). */
  slots: number;
  /** Flags like `fail?` or `fail`: a master that is down cannot be scanned. */
  failing: boolean;
}

export const CLUSTER_SLOTS = 16384;

/** Masters from CLUSTER NODES output; `seedHost` fills in a node whose ip is empty (a fresh node). */
export function parseClusterNodes(text: string, seedHost: string): ClusterMaster[] {
  const masters: ClusterMaster[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    if (fields.length < 8) continue;
    const [id, address, flagText] = fields;
    const flags = flagText.split(',');
    if (!flags.includes('master') || flags.includes('noaddr') || flags.includes('handshake')) continue;
    // ip:port@cport,hostname (hostname since 7.0); IPv6 ips contain colons, so split at the last one.
    const hostPort = address.split('@')[0];
    const colon = hostPort.lastIndexOf(':');
    const host = hostPort.slice(0, colon) || seedHost;
    const port = Number(hostPort.slice(colon + 1));
    let slots = 0;
    for (const range of fields.slice(8)) {
      if (range.startsWith('[')) continue; // [slot->-id] / [slot-<-id]: migration in progress
      const [from, to] = range.split('-').map(Number);
      slots += (to ?? from) - from + 1;
    }
    masters.push({ id, host, port, slots, failing: flags.includes('fail') || flags.includes('fail?') });
  }
  return masters;
}
