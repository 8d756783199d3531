/**
 * Sentinel: ask the sentinels, in the order given, for the current master of `name`
 * (SENTINEL GET-MASTER-ADDR-BY-NAME), then let connect.ts open that master like a standalone node
 * and check it really is a master (a failover may be under way). We do not use ioredis's built-in
 * sentinel support: its retry loop is built to wait for a master, and a scan must fail fast instead.
 */
import { InputError } from '../../errors.js';
import { openNode, type Timeouts } from './open-node.js';
import { formatSource } from './url.js';

export interface SentinelOptions {
  /** `--sentinel HOST:PORT` (repeatable). */
  sentinels: { host: string; port: number }[];
  /** `--sentinel-name NAME`. */
  name: string;
  /** Sentinel's own ACL credentials, when it has them (separate from the master's). */
  username?: string;
  password?: string;
}

export function sentinelSource(options: SentinelOptions): string {
  const first = options.sentinels[0];
  const hosts = options.sentinels.map((s) => formatSource('sentinel', s.host, s.port).replace(/^sentinel:\/\//, '')).join(',');
  return first ? `sentinel://${hosts}/${options.name}` : `sentinel:///${options.name}`;
}

export async function resolveSentinelMaster(options: SentinelOptions, timeouts: Timeouts): Promise<{ host: string; port: number }> {
  const problems: string[] = [];
  for (const sentinel of options.sentinels) {
    const source = formatSource('sentinel', sentinel.host, sentinel.port);
    const where = source.replace(/^sentinel:\/\//, '');
    const problem = (error: unknown) => `${where}: ${(error as Error)?.message ?? String(error)}`;
    let reader;
    try {
      reader = await openNode({ ...sentinel, username: options.username, password: options.password }, source, { ...timeouts, attempts: 1 });
    } catch (error) {
      problems.push(problem(error));
      continue; // the next sentinel may be up: that is what having several is for
    }
    try {
      const reply = (await reader.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', options.name)) as [string, string] | null;
      if (!reply) {
        problems.push(`${where}: does not monitor a master named "${options.name}"`);
        continue;
      }
      return { host: reply[0], port: Number(reply[1]) };
    } catch (error) {
      problems.push(problem(error));
    } finally {
      await reader.close();
    }
  }
  throw new InputError(`cannot find the master "${options.name}": ${problems.join('; ')}`, sentinelSource(options));
}
