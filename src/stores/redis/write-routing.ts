/**
 * Sending single-key commands to the node that holds the key, for `revoke` and `restore`.
 *
 * Standalone and Sentinel: everything goes to the one node. Cluster: each command goes to the
 * node it names (the master SCAN found the key on) or, for keys no scan saw (Spring Session's
 * expiry keys, keys from a backup), to the slot's owner in CLUSTER SLOTS. While a slot is being
 * resharded the owner may answer
 *   - `MOVED <slot> <host:port>`: the slot has moved for good: remember the new owner, resend there;
 *   - `ASK <slot> <host:port>`: this key has already migrated: send `ASKING` then the command to that
 *     node, once (the slot map is not changed).
 * Nodes named by a redirect and not open yet are opened with the store's credentials.
 * Every command is sent with one key, so a cluster never answers CROSSSLOT.
 */
import { InputError } from '../../errors.js';
import type { RedisWriteStore } from './connect.js';
import type { Arg, PipelineReply, RedisWriter } from './reader.js';
import { CLUSTER_SLOTS } from './cluster.js';

/** CRC16/XMODEM of the key's hash tag (the part between the first `{` and the next `}`, when not empty). */
export function keySlot(key: string | Buffer): number {
  if (typeof key === 'string') {
    // Plain ASCII without a hash tag (nearly every session key): no Buffer per key.
    let ascii = true;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c >= 0x80 || c === 0x7b) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      let crc = 0;
      for (let i = 0; i < key.length; i++) crc = ((crc << 8) & 0xffff) ^ CRC_TABLE[((crc >> 8) ^ key.charCodeAt(i)) & 0xff];
      return crc & (CLUSTER_SLOTS - 1);
    }
  }
  const bytes = typeof key === 'string' ? Buffer.from(key) : key;
  let start = 0;
  let end = bytes.length;
  const open = bytes.indexOf(0x7b);
  if (open >= 0) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) {
      start = open + 1;
      end = close;
    }
  }
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC_TABLE[((crc >> 8) ^ bytes[i]) & 0xff];
  return crc & (CLUSTER_SLOTS - 1);
}

const CRC_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

export interface KeyedCommand {
  key: string;
  /** host:port of the node to try first (the node SCAN found the key on); default: the slot's owner. */
  node?: string;
  command: readonly [string, ...Arg[]];
}

/** Redirects followed per command before giving up (a slot moving back and forth, a broken cluster). */
const MAX_REDIRECTS = 5;

const redirect = (error: Error | null): { kind: 'MOVED' | 'ASK'; slot: number; address: string } | undefined => {
  const match = error ? /^(MOVED|ASK) (\d+) (\S+)/.exec(error.message) : null;
  return match ? { kind: match[1] as 'MOVED' | 'ASK', slot: Number(match[2]), address: match[3] } : undefined;
};

const hostPort = (address: string): [string, number] => {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), Number(address.slice(colon + 1))];
};

export class NodeRouter {
  private readonly byAddress = new Map<string, Promise<RedisWriter>>();
  private readonly opened: Promise<RedisWriter>[] = [];
  private slots?: Promise<string[]>;
  /** Redirects followed (for the report and the tests). */
  readonly redirects = { moved: 0, ask: 0 };

  constructor(readonly store: RedisWriteStore) {
    for (const node of store.nodes) this.byAddress.set(node.address, Promise.resolve(node));
  }

  get cluster(): boolean {
    return this.store.mode === 'cluster';
  }

  /** The open node at host:port, opening it on first use. */
  node(address: string): Promise<RedisWriter> {
    let node = this.byAddress.get(address);
    if (!node) {
      const [host, port] = hostPort(address);
      node = this.store.open(host, port);
      node.catch(() => this.byAddress.delete(address));
      this.byAddress.set(address, node);
      this.opened.push(node);
    }
    return node;
  }

  private slotMap(): Promise<string[]> {
    this.slots ??= (async () => {
      const seed = this.store.nodes[0];
      const reply = (await seed.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>;
      const seedHost = hostPort(seed.address)[0];
      const owners = new Array<string>(CLUSTER_SLOTS);
      for (const [from, to, [host, port]] of reply) {
        const h = host && host !== '?' ? host : seedHost;
        const address = `${h.includes(':') ? `[${h}]` : h}:${port}`;
        for (let slot = from; slot <= to; slot++) owners[slot] = address;
      }
      return owners;
    })();
    return this.slots;
  }

  /** host:port of the node that serves each key (one slot map read for all of them). */
  async addressesFor(keys: readonly string[]): Promise<string[]> {
    if (!this.cluster) return keys.map(() => this.store.nodes[0].address);
    const owners = await this.slotMap();
    return keys.map((key) => {
      const owner = owners[keySlot(key)];
      if (!owner) throw new InputError(`no cluster node serves slot ${keySlot(key)} (cluster not fully covered)`, this.store.source);
      return owner;
    });
  }

  /** host:port of the node that serves this key. */
  async addressFor(key: string): Promise<string> {
    if (!this.cluster) return this.store.nodes[0].address;
    const owner = (await this.slotMap())[keySlot(key)];
    if (!owner) throw new InputError(`no cluster node serves slot ${keySlot(key)} (cluster not fully covered)`, this.store.source);
    return owner;
  }

  /**
   * Send single-key commands, each to its node, in one pipeline per node (nodes in parallel);
   * follow MOVED / ASK. Replies come back in the order of `commands`; other per-command errors
   * (BUSYKEY, NOPERM, WRONGTYPE) are returned as they are, transport failures thrown.
   */
  async send(commands: readonly KeyedCommand[], options: { buffers?: boolean } = {}): Promise<PipelineReply[]> {
    if (commands.length === 0) return [];
    // Standalone and Sentinel: one node, no redirects.
    if (!this.cluster) return this.store.nodes[0].writePipeline(commands.map((command) => command.command), options);
    const owners = await this.slotMap();
    const replies = new Array<PipelineReply>(commands.length);
    let groups = new Map<string, number[]>();
    const add = (address: string, index: number) => {
      const group = groups.get(address);
      if (group) group.push(index);
      else groups.set(address, [index]);
    };
    for (let index = 0; index < commands.length; index++) {
      const command = commands[index];
      const address = command.node ?? owners[keySlot(command.key)];
      if (!address) throw new InputError(`no cluster node serves slot ${keySlot(command.key)} (cluster not fully covered)`, this.store.source);
      add(address, index);
    }
    /** Commands to send after ASKING (an ASK redirect), by index. */
    let asking = new Set<number>();
    for (let hop = 0; groups.size > 0; hop++) {
      const current = groups;
      const currentAsking = asking;
      groups = new Map();
      asking = new Set();
      await Promise.all(
        [...current].map(async ([address, indexes]) => {
          const node = await this.node(address);
          const pipeline: Array<readonly [string, ...Arg[]]> = [];
          for (const index of indexes) {
            if (currentAsking.has(index)) pipeline.push(['ASKING']);
            pipeline.push(commands[index].command);
          }
          const results = await node.writePipeline(pipeline, options);
          let at = 0;
          for (const index of indexes) {
            if (currentAsking.has(index)) at++; // ASKING's own +OK
            const result = results[at++];
            const moved = result[0] ? redirect(result[0]) : undefined;
            if (!moved) {
              replies[index] = result;
              continue;
            }
            if (hop >= MAX_REDIRECTS) throw new InputError(`too many cluster redirects for one key (last: ${moved.kind} to ${moved.address}); is the cluster being resharded in a loop?`, this.store.source);
            if (moved.kind === 'MOVED') {
              this.redirects.moved++;
              owners[moved.slot] = moved.address;
            } else {
              this.redirects.ask++;
              asking.add(index);
            }
            add(moved.address, index);
          }
        }),
      );
    }
    return replies;
  }

  /** Close the nodes this router opened itself (the store closes its own). */
  async close(): Promise<void> {
    const nodes = await Promise.allSettled(this.opened);
    await Promise.all(nodes.map((node) => (node.status === 'fulfilled' ? node.value.close() : undefined)));
  }
}
