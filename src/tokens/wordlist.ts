/**
 * Wordlists for `token crack --wordlist`: streamed in chunks that end on a line boundary, so a list of
 * any size runs in bounded memory, and split into lines by the worker that hashes them.
 *
 * Why the workers split the lines, not the main thread: on a 2-core machine the main thread shares
 * the cores with the workers, so whatever it does per line is taken from the hashing. Cutting a chunk
 * at its last newline is one lastIndexOf per chunk.
 *
 * Why a pool of buffers: each chunk's ArrayBuffer is transferred (not copied) to a worker, which hands
 * it back with its answer, and the next chunk is read into it. Fresh buffers per chunk left garbage
 * that neither thread allocated enough JavaScript to collect soon: memory grew with the file's size
 * (230 MB RSS for a 10,000,000-line list). With the pool it stays flat whatever the size.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';

/** Chunk size: about 50,000 typical lines, a few hundredths of a second of one worker's time. */
export const CHUNK_BYTES = 512 * 1024;

/** A line longer than this is not a password: the file is something else. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface WordlistChunk {
  /** Whole lines in bytes[0, length) (the last one may lack its newline only at the end of the input). */
  bytes: Uint8Array;
  length: number;
  /** Bytes of the input read so far, for the progress fraction. */
  read: number;
}

/** Where chunk buffers come from and go back to; by default a fresh buffer each time. */
export interface BufferPool {
  take(): Uint8Array;
  give(buffer: Uint8Array): void;
}

export function bufferPool(chunkBytes = CHUNK_BYTES): BufferPool {
  const free: Uint8Array[] = [];
  return {
    take: () => free.pop() ?? new Uint8Array(chunkBytes),
    // Only whole, full-size buffers come back in (a worker's answer may hold one, or not).
    give: (buffer) => {
      if (buffer.byteLength === chunkBytes && buffer.buffer.byteLength === chunkBytes) free.push(buffer);
    },
  };
}

/** Reads into a buffer region; 0 at the end of the input. */
type Reader = { read(into: Uint8Array, offset: number, length: number): Promise<number>; close(): Promise<void> };

async function fileReader(file: string): Promise<Reader> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new InputError(`cannot read the wordlist (${(error as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
  return {
    read: async (into, offset, length) => (await handle.read(into, offset, length, null)).bytesRead,
    close: () => handle.close(),
  };
}

function streamReader(stream: NodeJS.ReadableStream): Reader {
  const chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let pending: Buffer | undefined;
  return {
    read: async (into, offset, length) => {
      if (!pending || pending.length === 0) {
        const next = await chunks.next();
        if (next.done) return 0;
        pending = next.value;
      }
      const count = Math.min(length, pending.length);
      into.set(pending.subarray(0, count), offset);
      pending = pending.subarray(count);
      return count;
    },
    close: async () => {
      await chunks.return?.();
    },
  };
}

/**
 * The chunks of a wordlist file, or of stdin for "-". Pull-based: the next chunk is read only when the
 * caller asks for it, which is the backpressure that keeps memory bounded. Each chunk is read into a
 * buffer from the pool; the caller gives it back when done with it.
 */
export async function* readWordlist(file: string, pool: BufferPool = bufferPool()): AsyncGenerator<WordlistChunk> {
  const name = file === '-' ? 'stdin' : file;
  const reader = file === '-' ? streamReader(process.stdin) : await fileReader(file);
  let carry: Uint8Array = new Uint8Array(0);
  let read = 0;
  let first = true;
  try {
    for (;;) {
      let buffer = pool.take();
      if (carry.length >= buffer.length) {
        // A line longer than a chunk: a one-off buffer twice its size.
        if (carry.length > MAX_LINE_BYTES) throw new InputError(`a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB: not a wordlist`, name);
        pool.give(buffer);
        buffer = new Uint8Array(carry.length * 2);
      }
      buffer.set(carry, 0);
      let filled = carry.length;
      let end = false;
      while (filled < buffer.length) {
        const count = await reader.read(buffer, filled, buffer.length - filled);
        if (count === 0) {
          end = true;
          break;
        }
        read += count;
        filled += count;
      }
      let start = 0;
      if (first) {
        first = false;
        // A UTF-8 byte order mark is not part of the first word.
        if (filled >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
      }
      if (start > 0) {
        buffer.copyWithin(0, start, filled);
        filled -= start;
      }
      if (end) {
        if (filled > 0) yield { bytes: buffer, length: filled, read };
        else pool.give(buffer);
        return;
      }
      const cut = buffer.lastIndexOf(NEWLINE, filled - 1) + 1;
      carry = buffer.slice(cut, filled);
      if (cut === 0) {
        pool.give(buffer);
        continue;
      }
      yield { bytes: buffer, length: cut, read };
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`cannot read the wordlist (${code})`, name);
  } finally {
    await reader.close();
  }
}

/**
 * Calls `visit(start, end)` for each non-empty line of bytes[0, length): lines end with \n or \r\n, the
 * last one may have no newline. Empty lines are skipped (the empty secret is tried once on its own).
 * Stops early when visit returns true; returns the number of lines visited.
 */
export function forEachLine(bytes: Uint8Array, length: number, visit: (start: number, end: number) => boolean): number {
  let visited = 0;
  let start = 0;
  while (start < length) {
    let newline = bytes.indexOf(NEWLINE, start);
    if (newline < 0 || newline > length) newline = length;
    let end = newline;
    if (end > start && bytes[end - 1] === CARRIAGE_RETURN) end--;
    if (end > start) {
      visited++;
      if (visit(start, end)) return visited;
    }
    start = newline + 1;
  }
  return visited;
}
