/**
 * Open ONE Redis node with ioredis, tuned so that a bad address is one clear error within a few
 * seconds, never a hang and never a background reconnect loop:
 *  - lazyConnect + our own bounded attempts (ioredis's connect() rejects with a generic
 *    "Connection is closed." and keeps retrying in the background; we want the real cause, once);
 *  - retryStrategy null: after a drop, pending commands fail at once (no silent resend);
 *  - enableOfflineQueue false, maxRetriesPerRequest 1: nothing waits for a connection that is gone;
 *  - connectTimeout 2 s plus a hard deadline around the whole handshake (TLS included);
 *  - a PING probe, because a frozen server still completes the TCP handshake;
 *  - a deadline on every call (reader.ts), so a server that stops answering mid-scan cannot hang us;
 *  - protocol 2 and no CLIENT SETINFO / ready-check INFO: the fewest commands an ACL must allow,
 *    and nothing that proxies and managed services mishandle (HELLO 3).
 * ioredis is imported lazily so `--help` and `check` never load it.
 */
import { readFileSync } from 'node:fs';
import type { Redis, RedisOptions } from 'ioredis';
import { InputError, UsageError } from '../../errors.js';
import { cleanReply, connectError, describeConnectError } from './errors.js';
import { createReader, createSubscriber, createWriter, type RedisReader, type RedisSubscriber, type RedisWriter } from './reader.js';
import type { RedisTlsOptions } from './url.js';

export interface NodeAddress {
  host: string;
  port: number;
  db?: number;
  username?: string;
  password?: string;
  tls?: RedisTlsOptions;
}

export interface Timeouts {
  /** TCP (+TLS) handshake and first PING, per attempt. */
  connectMs?: number;
  /** Any single command (a scan page is one command). */
  commandMs?: number;
  /** Connection attempts for transient failures (ECONNRESET, EAI_AGAIN). */
  attempts?: number;
}

export const DEFAULT_TIMEOUTS: Required<Timeouts> = { connectMs: 2_000, commandMs: 15_000, attempts: 2 };

// Worth a second try: the network blinked. Not worth it: refused, unknown host, bad password, TLS.
const TRANSIENT = new Set(['ECONNRESET', 'EAI_AGAIN', 'EPIPE']);

function readPem(file: string | undefined, flag: string): Buffer | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function tlsOptions(host: string, tls: RedisTlsOptions): NonNullable<RedisOptions['tls']> {
  return {
    ca: readPem(tls.ca, '--tls-ca'),
    cert: readPem(tls.cert, '--tls-cert'),
    key: readPem(tls.key, '--tls-key'),
    rejectUnauthorized: !tls.insecure,
    // SNI must be a host name; for an IP, Node checks the certificate's IP SANs instead.
    servername: /^[\d.]+$|:/.test(host) ? undefined : host,
  };
}

export function clientOptions(address: NodeAddress, timeouts: Required<Timeouts>): RedisOptions {
  return {
    host: address.host,
    port: address.port,
    // Selected by openNode itself: ioredis ignores a refused SELECT and would scan database 0 silently.
    db: 0,
    username: address.username,
    password: address.password,
    tls: address.tls ? tlsOptions(address.host, address.tls) : undefined,
    lazyConnect: true,
    connectTimeout: timeouts.connectMs,
    // close() ends the socket; a peer that never acknowledges (frozen) must not keep the process
    // alive for ioredis's default 2 s.
    disconnectTimeout: 300,
    retryStrategy: () => null,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    autoResendUnfulfilledCommands: false,
    disableClientInfo: true,
    protocol: 2,
  };
}

async function attempt(RedisClass: typeof Redis, options: RedisOptions, deadlineMs: number): Promise<Redis> {
  const client = new RedisClass(options);
  let lastError: unknown;
  // ioredis reports the real cause on 'error'; connect() itself only says "Connection is closed."
  client.on('error', (error) => (lastError = error));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })), deadlineMs);
  });
  try {
    await Promise.race([
      (async () => {
        await client.connect();
        // Any reply proves the server is alive; a user without +ping gets NOPERM, and that is fine.
        await client.ping().catch((error: Error) => {
          if (!/^NOPERM/.test(error?.message ?? '')) throw error;
        });
      })(),
      deadline,
    ]);
    return client;
  } catch (error) {
    client.disconnect();
    // Prefer the transport error (ECONNREFUSED...) over ioredis's generic wrapper.
    throw lastError && /Connection is closed/.test(String((error as Error)?.message)) ? lastError : error;
  } finally {
    clearTimeout(timer);
  }
}

async function selectDatabase(client: Redis, db: number, source: string): Promise<void> {
  try {
    await client.select(db);
  } catch (error) {
    client.disconnect();
    const reply = cleanReply(String((error as Error)?.message ?? error));
    throw new InputError(`cannot select database ${db}: ${reply}${/NOPERM/.test(reply) ? ' (the ACL user needs +select)' : ''}`, source);
  }
}

export interface NodeOptions {
  /**
   * Write commands this node may also send (write-commands.ts): the node is then a RedisWriter.
   * Without it (the default, and all `scan` does) the node is a read-only RedisReader.
   */
  writes?: readonly string[];
}

/** Connect and probe one node; `source` is the redacted URL used in every error and report. */
export async function openNode(address: NodeAddress, source: string, timeouts?: Timeouts): Promise<RedisReader>;
export async function openNode(address: NodeAddress, source: string, timeouts: Timeouts | undefined, options: { writes: readonly string[] }): Promise<RedisWriter>;
export async function openNode(address: NodeAddress, source: string, timeouts?: Timeouts, options?: NodeOptions): Promise<RedisReader>;
export async function openNode(address: NodeAddress, source: string, timeouts: Timeouts = {}, nodeOptions: NodeOptions = {}): Promise<RedisReader> {
  const { client, where, commandMs } = await connectNode(address, source, timeouts, true);
  return nodeOptions.writes ? createWriter(client, source, where, commandMs, nodeOptions.writes) : createReader(client, source, where, commandMs);
}

/** Connect (retrying transient failures), probe and SELECT; one-line errors naming `source`. */
async function connectNode(address: NodeAddress, source: string, timeouts: Timeouts, select: boolean): Promise<{ client: Redis; where: string; commandMs: number }> {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const { Redis } = await import('ioredis');
  const options = clientOptions(address, t);
  let lastError: unknown;
  for (let i = 0; i < t.attempts; i++) {
    try {
      const client = await attempt(Redis, options, t.connectMs + 500);
      if (select && address.db) await selectDatabase(client, address.db, source);
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      return { client, where: `${host}:${address.port}`, commandMs: t.commandMs };
    } catch (error) {
      lastError = error;
      if (!TRANSIENT.has(describeConnectError(error))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw connectError(source, lastError, !!address.tls);
}

/**
 * A subscriber connection to one node (`watch`): same credentials, TLS and timeouts as openNode, and
 * the same one-line errors. SELECT is not needed: key-event channels name their database.
 */
export async function openSubscriber(address: NodeAddress, source: string, timeouts: Timeouts = {}): Promise<RedisSubscriber> {
  const { client, where, commandMs } = await connectNode(address, source, timeouts, false);
  return createSubscriber(client, source, where, commandMs);
}
