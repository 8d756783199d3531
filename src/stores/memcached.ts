/**
 * A small, read-only client for the memcached text protocol: `stats`, `stats settings`, `version` and
 * `lru_crawler metadump all`.
 *
 * Hand-written over node:net on purpose: the npm memcached clients (memcached, memjs, ...) cover
 * get/set/stats but none exposes `lru_crawler metadump`, the only way to list keys with their expiry
 * and last access without reading (or touching) values. The protocol part needed here is a few
 * line-oriented replies, so a dependency would buy little.
 *
 * Read-only by construction: there is no method that sends set/delete/flush_all/touch.
 * Never hangs: connecting has a short deadline, every command has one too (for the metadump stream,
 * the longest silence allowed between two chunks), and a server that goes away fails the command in
 * flight with one InputError (exit 2, one line: `session-audit: 127.0.0.1:1: cannot connect: ECONNREFUSED`).
 */
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { InputError } from '../errors.js';
import { parseMemcachedAddress, parseMetadumpLine, type MemcachedAddress, type MetadumpItem } from './memcached-parse.js';

export { DEFAULT_MEMCACHED_PORT, parseMemcachedAddress, parseMetadumpLine, type MemcachedAddress, type MetadumpItem } from './memcached-parse.js';

export interface MemcachedOptions {
  /** Deadline for the TCP connect, DNS included. */
  connectTimeoutMs?: number;
  /** Deadline for a whole reply; for the metadump stream, the longest silence between two chunks. */
  commandTimeoutMs?: number;
  /** How long metadump retries while another crawl holds the crawler (`BUSY`) before giving up. */
  busyWaitMs?: number;
}

/** Metadump is optional: old servers, `-o no_lru_crawler` and `-X` refuse it; the scan says so and goes on. */
export type MetadumpResult = { available: true; items: number } | { available: false; reason: string };

/** memcached answered, with an error (`ERROR`, `CLIENT_ERROR ...`): this command is not available here. */
export class MemcachedReplyError extends InputError {
  constructor(message: string, address: string) {
    super(message, address);
    this.name = 'MemcachedReplyError';
  }
}

/** Connect, or throw one InputError within `connectTimeoutMs` (default 2 s). */
export async function connectMemcached(target: string | MemcachedAddress, options: MemcachedOptions = {}): Promise<MemcachedClient> {
  const where = typeof target === 'string' ? parseMemcachedAddress(target) : target;
  const timeoutMs = options.connectTimeoutMs ?? 2000;
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect({ host: where.host, port: where.port });
    const fail = (reason: string) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new InputError(`cannot connect: ${reason}`, where.address));
    };
    const timer = setTimeout(() => fail(`timed out after ${seconds(timeoutMs)}`), timeoutMs);
    socket.once('error', (error) => fail(errorCode(error)));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
  return new MemcachedClient(where, socket, options);
}

/** What a reply collector returns: nothing while the reply goes on, `{ value }` when it is complete. */
type Collect<T> = (line: string) => { value: T } | undefined;

interface InFlight {
  line(line: string): void;
  chunk(): void;
  fail(error: InputError): void;
}

/** A server that never ends a line must not grow our buffer without bound. */
const MAX_LINE = 1 << 20;
const ERROR_REPLY = /^(ERROR|CLIENT_ERROR|SERVER_ERROR)\b/;
/** Replies of `lru_crawler metadump` that mean "not now / not here" rather than a broken connection. */
const METADUMP_REFUSED = /^(ERROR|CLIENT_ERROR|SERVER_ERROR|BUSY|BADCLASS|ERR)\b/;

export class MemcachedClient {
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');
  private inFlight: InFlight | undefined;
  /** Set once the connection is unusable: closed, lost, or out of step after a timeout. */
  private broken: InputError | undefined;
  /** One command at a time: replies carry no ids, so they are matched by order. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly commandTimeoutMs: number;
  private readonly busyWaitMs: number;

  constructor(
    readonly where: MemcachedAddress,
    private readonly socket: net.Socket,
    options: MemcachedOptions = {},
  ) {
    this.commandTimeoutMs = options.commandTimeoutMs ?? 5000;
    this.busyWaitMs = options.busyWaitMs ?? 5000;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.onGone(`connection lost: ${errorCode(error)}`));
    socket.on('close', () => this.onGone('connection closed by the server'));
    // Idle connections do not keep the process alive: a forgotten close() must not hang the CLI.
    socket.unref();
  }

  /** `stats`: uptime, curr_items, evictions, limit_maxbytes, bytes, ... as strings. */
  stats(): Promise<Map<string, string>> {
    return this.statsCommand('stats');
  }

  /** `stats settings`: maxbytes, evictions (on/off), lru_crawler, item_size_max, ... */
  statsSettings(): Promise<Map<string, string>> {
    return this.statsCommand('stats settings');
  }

  version(): Promise<string> {
    return this.send('version', (line) => {
      if (line.startsWith('VERSION ')) return { value: line.slice('VERSION '.length) };
      this.refuse('version', line);
    });
  }

  /**
   * `lru_crawler metadump all`, streamed: `onItem` is called once per key as lines arrive, so memory
   * stays flat however large the cache. If `onItem` throws, the dump stops and the error is rethrown
   * (the connection is then closed: the rest of the stream would be out of step).
   */
  async metadump(onItem: (item: MetadumpItem) => void): Promise<MetadumpResult> {
    const giveUpAt = Date.now() + this.busyWaitMs;
    for (;;) {
      const result = await this.metadumpOnce(onItem);
      // BUSY: another client's dump or the automatic crawler holds the crawler; it frees up soon.
      if (result.available || !result.reason.startsWith('BUSY') || Date.now() >= giveUpAt) return result;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  close(): void {
    this.broken ??= new InputError('connection closed', this.where.address);
    this.socket.destroy();
  }

  private metadumpOnce(onItem: (item: MetadumpItem) => void): Promise<MetadumpResult> {
    const command = 'lru_crawler metadump all';
    let items = 0;
    return this.send<MetadumpResult>(
      command,
      (line) => {
        if (line.startsWith('key=')) {
          const item = parseMetadumpLine(line);
          if (!item) throw new InputError(`unexpected line in "${command}": ${clip(line)}`, this.where.address);
          items++;
          onItem(item);
          return undefined;
        }
        if (line === 'END') return { value: { available: true, items } };
        // Documented, but no released server sends it (see the comment in memcached's proto_text.c): tolerate it.
        if (line === 'OK' && items === 0) return undefined;
        // The crawler found no slab class with items: an empty cache, not a refusal.
        if (line.startsWith('NOTSTARTED') && items === 0) return { value: { available: true, items: 0 } };
        // Refused before any item: not available on this server. After items: the stream broke.
        if (items === 0 && METADUMP_REFUSED.test(line)) return { value: { available: false, reason: line } };
        throw new InputError(`unexpected reply to "${command}" after ${items} items: ${clip(line)}`, this.where.address);
      },
      { progress: () => ` after ${items} items` },
    );
  }

  private statsCommand(command: string): Promise<Map<string, string>> {
    const stats = new Map<string, string>();
    return this.send(command, (line) => {
      if (line === 'END') return { value: stats };
      if (!line.startsWith('STAT ')) this.refuse(command, line);
      const space = line.indexOf(' ', 5);
      if (space === -1) stats.set(line.slice(5), '');
      else stats.set(line.slice(5, space), line.slice(space + 1));
      return undefined;
    });
  }

  /** An error reply is a complete answer (the connection stays usable); anything else is out of step. */
  private refuse(command: string, line: string): never {
    if (ERROR_REPLY.test(line)) throw new MemcachedReplyError(`"${command}" refused: ${clip(line)}`, this.where.address);
    throw new InputError(`unexpected reply to "${command}": ${clip(line)}`, this.where.address);
  }

  /**
   * Send one command and feed reply lines to `collect` until it returns a value. Commands queue, so
   * callers may fire several at once. A deadline covers the whole reply, or when `streaming` the
   * silence between chunks (a large dump may rightly take minutes). Any failure except a MemcachedReplyError closes the connection: we can
   * no longer tell which reply a later line belongs to.
   */
  private send<T>(command: string, collect: Collect<T>, streaming?: { progress(): string }): Promise<T> {
    const progress = () => streaming?.progress() ?? '';
    const run = () =>
      new Promise<T>((resolve, reject) => {
        if (this.broken) return reject(this.broken);
        const timeout = () =>
          streaming
            ? `"${command}" stalled: nothing received for ${seconds(this.commandTimeoutMs)}${progress()}`
            : `no reply to "${command}" within ${seconds(this.commandTimeoutMs)}`;
        const timer = setTimeout(() => finish(new InputError(timeout(), this.where.address)), this.commandTimeoutMs);
        const finish = (error: unknown, value?: T) => {
          clearTimeout(timer);
          this.inFlight = undefined;
          this.socket.unref();
          if (error === undefined) return resolve(value as T);
          if (!(error instanceof MemcachedReplyError)) this.close();
          reject(error);
        };
        this.inFlight = {
          line: (line) => {
            try {
              const done = collect(line);
              if (done) finish(undefined, done.value);
            } catch (error) {
              finish(error);
            }
          },
          chunk: () => {
            if (streaming) timer.refresh();
          },
          fail: (error) => finish(new InputError(`${error.message} during "${command}"${progress()}`, this.where.address)),
        };
        this.socket.ref();
        this.socket.write(`${command}\r\n`);
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private onData(chunk: Buffer): void {
    this.pending += this.decoder.write(chunk);
    let start = 0;
    let end: number;
    // Split on LF, not CRLF: metadump item lines end in a bare "\n" (crawler.c), only END has "\r\n".
    // A reply line may finish the command in flight; later lines then have no owner and are dropped
    // (a well-behaved server sends nothing unasked).
    while ((end = this.pending.indexOf('\n', start)) !== -1) {
      const line = this.pending.slice(start, end > start && this.pending.charCodeAt(end - 1) === 13 ? end - 1 : end);
      start = end + 1;
      this.inFlight?.line(line);
    }
    this.pending = this.pending.slice(start);
    this.inFlight?.chunk();
    if (this.pending.length > MAX_LINE) this.onGone(`reply line longer than ${MAX_LINE} bytes: not a memcached server?`);
  }

  private onGone(reason: string): void {
    const error = new InputError(reason, this.where.address);
    this.broken ??= error;
    this.inFlight?.fail(error);
    this.socket.destroy();
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Node's happy-eyeballs connect reports an AggregateError of one error per address tried.
  if (error instanceof AggregateError && error.errors.length > 0) return errorCode(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function clip(line: string): string {
  return JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}...` : line);
}
