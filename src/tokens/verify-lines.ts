/**
 * `token verify --batch`: judging a chunk of input lines, the same in the main thread and in the
 * worker threads of verify-batch.ts. Each token gives one JSON line
 * `{"source":"tokens.txt:3","valid":true,"claims":{...}}` or `{"source":...,"valid":false,"reason":"..."}`.
 */
import { findTokens } from './extract.js';
import { denylistClaims, type DenylistClaims } from './denylist-keys.js';
import type { KeySource, Verifier, VerifyOutcome, VerifyPolicy } from './verify.js';

export const NO_TOKEN_REASON = 'no JWT found on this line';
export const JWE_REASON = 'a JWE (encrypted token), not a signed one: verify checks JWS signatures (decrypt it with token decode --key)';

export interface LineChunk {
  /** 1-based number of the first line. */
  firstLine: number;
  lines: string[];
}

/** A valid token still to be checked against the denylist (only collected when there is one): its jti, sub and iat, or why it cannot be checked. */
export interface PendingDenylist extends DenylistClaims {
  /** Index of the token's line in `lines`. */
  index: number;
  source: string;
}

export interface ChunkOutput {
  /** One JSON line per token (and per non-blank line without a token), "\n"-terminated. */
  lines: string[];
  tokens: number;
  valid: number;
  invalid: number;
  /** Non-blank lines where no JWT was found. */
  noToken: number;
  denylist?: PendingDenylist[];
}

export function invalidLine(source: string, reason: string): string {
  return `${JSON.stringify({ source, valid: false, reason })}\n`;
}

function validLine(source: string, claims: Record<string, unknown>): string {
  return `${JSON.stringify({ source, valid: true, claims })}\n`;
}

/**
 * Verify every token of a chunk. With `denylist`, valid tokens are also listed in `denylist` for the
 * main thread to check (it holds the Redis connection) and to rewrite as invalid when revoked.
 */
export async function verifyChunk(verifier: Verifier, chunk: LineChunk, sourcePrefix: string, denylist: boolean): Promise<ChunkOutput> {
  const output: ChunkOutput = { lines: [], tokens: 0, valid: 0, invalid: 0, noToken: 0, denylist: denylist ? [] : undefined };
  for (let i = 0; i < chunk.lines.length; i++) {
    const line = chunk.lines[i];
    const source = `${sourcePrefix}:${chunk.firstLine + i}`;
    // The common case, a line that is one bare JWS: when the fast path judges it, it has parsed a
    // header with a string "alg", which is exactly what findTokens would have required.
    if (BARE_JWS.test(line)) {
      const outcome = verifier.verifyFast(line);
      if (outcome) {
        record(output, source, outcome);
        continue;
      }
    }
    const found = findTokens(line);
    if (found.length === 0) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      output.noToken++;
      output.lines.push(invalidLine(source, NO_TOKEN_REASON));
      continue;
    }
    for (const raw of found) {
      output.tokens++;
      if (raw.split('.').length === 5) {
        output.invalid++;
        output.lines.push(invalidLine(source, JWE_REASON));
        continue;
      }
      const pending = verifier.verify(raw);
      record(output, source, pending instanceof Promise ? await pending : pending, false);
    }
  }
  return output;
}

const BARE_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function record(output: ChunkOutput, source: string, outcome: VerifyOutcome, count = true): void {
  if (count) output.tokens++;
  if (!outcome.valid) {
    output.invalid++;
    output.lines.push(invalidLine(source, outcome.reason));
    return;
  }
  output.valid++;
  if (output.denylist) output.denylist.push({ index: output.lines.length, source, ...denylistClaims(outcome.claims) });
  output.lines.push(validLine(source, outcome.claims));
}

/** What crosses the thread boundary: joined text when nothing is rewritten later. */
export type WireOutput = Omit<ChunkOutput, 'lines'> & { text?: string; lines?: string[] };

export function toWire(output: ChunkOutput): WireOutput {
  const { lines, ...rest } = output;
  return output.denylist ? { ...rest, lines } : { ...rest, text: lines.join('') };
}

/** What a worker thread is started with. */
export interface WorkerInit {
  source: KeySource;
  policy: VerifyPolicy;
  sourcePrefix: string;
  denylist: boolean;
}
