/**
 * Wordlists for `token crack --wordlist`: streamed in chunks that end on a line boundary, so a list of
 * any size runs in bounded memory, and split into lines by the worker that hashes them.
 *
 * Why the workers split the lines, not the main thread: on a 2-core machine the main thread shares
 * the cores with the workers, so whatever it does per line is taken from the hashing. Cutting a chunk
 * at its last newline is one lastIndexOf per chunk; each chunk is copied into a fresh ArrayBuffer that
 * is transferred (not copied again) to a worker.
 */
import { createReadStream } from 'node:fs';
import { InputError } from '../errors.js';

/** Chunk size: about 50,000 typical lines, a few hundredths of a second of one worker's time. */
export const CHUNK_BYTES = 512 * 1024;

/** A line longer than this is not a password: the file is something else. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface WordlistChunk {
  /** Whole lines (the last one may lack its newline only at the end of the input); its own ArrayBuffer. */
  bytes: Uint8Array;
  /** Bytes of the input read so far, for the progress fraction. */
  read: number;
}

/**
 * The chunks of a wordlist file, or of stdin for "-". Pull-based: the next chunk is read only when the
 * caller asks for it, which is the backpressure that keeps memory bounded.
 */
export async function* readWordlist(file: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<WordlistChunk> {
  const fromStdin = file === '-';
  const name = fromStdin ? 'stdin' : file;
  const stream = fromStdin ? process.stdin : createReadStream(file, { highWaterMark: chunkBytes });
  const pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let read = 0;
  let first = true;
  try {
    for await (const data of stream as AsyncIterable<Buffer>) {
      let chunk: Uint8Array = data;
      if (first) {
        first = false;
        // A UTF-8 byte order mark is not part of the first word.
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      read += data.length;
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < chunkBytes) continue;
      const joined = concat(pending, pendingBytes);
      const cut = joined.lastIndexOf(NEWLINE) + 1;
      pending.length = 0;
      pendingBytes = 0;
      if (cut === 0) {
        if (joined.length > MAX_LINE_BYTES) throw new InputError(`a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB: not a wordlist`, name);
        pending.push(joined);
        pendingBytes = joined.length;
        continue;
      }
      if (cut < joined.length) {
        pending.push(joined.slice(cut));
        pendingBytes = joined.length - cut;
      }
      yield { bytes: cut === joined.length ? joined : joined.slice(0, cut), read };
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`cannot read the wordlist (${code})`, name);
  } finally {
    if (!fromStdin) (stream as ReturnType<typeof createReadStream>).destroy();
  }
  if (pendingBytes > 0) yield { bytes: concat(pending, pendingBytes), read };
}

/** The bytes in a new ArrayBuffer of their own (transferable without taking anything else along). */
function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
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
