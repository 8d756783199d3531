/**
 * A --batch input as chunks of lines, streamed: what `token decode --batch` and `token verify --batch`
 * read (verify hands the chunks to worker threads). Its own module so that decode does not load the
 * verifier to read lines.
 */
import { createReadStream } from 'node:fs';
import { InputError } from '../errors.js';
import type { LineChunk } from './verify-lines.js';

/** Lines per chunk: large enough that messaging costs nothing, small enough to keep memory flat. */
export const CHUNK_LINES = 2_000;
const MAX_LINE_BYTES = 1024 * 1024;

/** The input as chunks of lines; a line over 1 MiB is an input error (not a token list). */
export async function* readLineChunks(file: string, stdin: NodeJS.ReadableStream = process.stdin, size = CHUNK_LINES): AsyncGenerator<LineChunk & { lineCount: number }> {
  const stream = file === '-' ? stdin : createReadStream(file, { highWaterMark: 1 << 20 });
  const where = file === '-' ? 'stdin' : file;
  if (file !== '-') {
    const fileStream = stream as ReturnType<typeof createReadStream>;
    await new Promise<void>((resolve, reject) => {
      fileStream.once('open', () => resolve());
      fileStream.once('error', (error: NodeJS.ErrnoException) => reject(new InputError(`cannot read (${error.code ?? 'error'})`, file)));
    });
  }
  let pending = '';
  let lines: string[] = [];
  let firstLine = 1;
  let lineNumber = 0;
  const take = () => {
    const chunk = { firstLine, lines, lineCount: lines.length };
    firstLine += lines.length;
    lines = [];
    return chunk;
  };
  try {
    for await (const data of stream) {
      const text = pending + (typeof data === 'string' ? data : (data as Buffer).toString('utf8'));
      let start = 0;
      for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
        lineNumber++;
        if (end - start > MAX_LINE_BYTES) throw new InputError('line longer than 1 MiB: not a token list', where, lineNumber);
        lines.push(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
        start = end + 1;
        if (lines.length >= size) yield take();
      }
      pending = text.slice(start);
      if (pending.length > MAX_LINE_BYTES) throw new InputError('line longer than 1 MiB: not a token list', where, lineNumber + 1);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, where);
  }
  if (pending !== '') lines.push(pending.endsWith('\r') ? pending.slice(0, -1) : pending);
  if (lines.length > 0) yield take();
}
