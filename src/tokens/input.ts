import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError, UsageError } from '../errors.js';
import type { Location } from '../model/index.js';
import { findTokens } from './extract.js';

/** A token as found in the input, before decoding. */
export interface FoundToken {
  raw: string;
  /** For people: "argument", "stdin", "tokens.txt:12", "stdin:12". */
  source: string;
  /** A line of a named file (--batch FILE): findings carry file and line. */
  location?: Location;
}

/** More than any pasted token or header line; a bound so a wrong file cannot fill memory. */
const MAX_INPUT_BYTES = 1024 * 1024;

/**
 * The token of a single-token command: from the argument, or stdin for "-". The first JWT-shaped string
 * counts; `others` says how many more there were (the caller says so, and points at --batch).
 */
export async function readOneToken(argument: string | undefined): Promise<{ token: FoundToken; others: number }> {
  if (argument === undefined) throw new UsageError('give the token as an argument, or - to read it from stdin');
  const source = argument === '-' ? 'stdin' : 'argument';
  const text = argument === '-' ? await readStdin() : argument;
  const tokens = findTokens(text);
  if (tokens.length === 0) {
    throw new InputError(`${source}: no JWT found (expected header.payload.signature or a 5-part JWE, base64url, with a JSON header that has "alg")`);
  }
  return { token: { raw: tokens[0], source }, others: tokens.length - 1 };
}

/** One line of a --batch input with the tokens on it (usually one; none for a blank or foreign line). */
export interface BatchLine {
  line: number;
  tokens: FoundToken[];
}

/** --batch FILE or --batch - (stdin): streamed line by line, so inputs of any size run in bounded memory. */
export async function* readBatch(file: string): AsyncGenerator<BatchLine> {
  const fromStdin = file === '-';
  const stream = fromStdin ? process.stdin : createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    if (fromStdin) resolve();
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) => reject(new InputError(`cannot read (${error.code ?? 'error'})`, file)));
  });
  await opened;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  for await (const text of lines) {
    number++;
    if (text.length > MAX_INPUT_BYTES) throw new InputError('line longer than 1 MiB: not a token list', fromStdin ? 'stdin' : file, number);
    const tokens = findTokens(text).map((raw): FoundToken =>
      fromStdin ? { raw, source: `stdin:${number}` } : { raw, source: `${file}:${number}`, location: { file, line: number, column: 1 } },
    );
    yield { line: number, tokens };
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('session-audit: paste the token, then press Ctrl-D\n');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_INPUT_BYTES) throw new InputError('stdin: more than 1 MiB: not a token (use --batch for a list)');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
