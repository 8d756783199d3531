/**
 * `session-audit token decode [TOKEN|-] [--batch FILE|-]`: a token's header, payload and times,
 * without verifying anything. JWE: the protected header, and the payload when a key is given.
 * Returns the exit code; output goes through the callbacks (stdout: `write`, stderr lines: `stderr`).
 */
import { InputError, UsageError } from '../errors.js';
import type { Location } from '../model/index.js';
import { decodeToken } from '../tokens/decode.js';
import { findTokens } from '../tokens/extract.js';
import { readOneToken } from '../tokens/input.js';
import { parseJsonObject } from '../tokens/json-object.js';
import { loadDecryptKey, type DecryptKey } from '../tokens/keys.js';
import { chalkFor, decodedJson, decodedText, safeJson, viewOfToken, type DecodedView } from '../tokens/render-token.js';
import { parseNow, tokenTimes } from '../tokens/times.js';
import { readLineChunks } from '../tokens/line-chunks.js';

export interface TokenDecodeOptions {
  token?: string;
  batch?: string;
  format: 'text' | 'json';
  now?: string;
  key?: string;
  secret?: string;
  secretFile?: string;
  color?: boolean;
  write: (text: string) => Promise<void>;
  /** One line on stderr (the CLI prefixes "session-audit: "). */
  stderr: (message: string) => void;
}

export interface DecodeSummary {
  lines: number;
  tokens: number;
  decoded: number;
  /** Tokens that could not be decoded (or decrypted). */
  errors: number;
  /** Non-blank lines without a JWT. */
  noToken: number;
}

export interface TokenDecodeResult {
  exitCode: number;
  summary?: DecodeSummary;
}

const NO_TOKEN = 'no JWT found on this line';

/**
 * Decode one token; a JWE is decrypted when there is a key. Throws InputError: with `location` (a
 * --batch line) the message is bare, without it the message starts with the source (as decodeToken's).
 */
export async function decodeOne(raw: string, source: string, location: Location | undefined, now: number, key: DecryptKey | undefined): Promise<DecodedView> {
  const token = decodeToken(raw, { source, location, now });
  const view = viewOfToken(token);
  if (token.form !== 'jwe') return view;
  view.encryption = { decrypted: false };
  if (!key) return view;
  const { decryptJwe } = await import('../tokens/jwe.js');
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await decryptJwe(raw, key));
  } catch (error) {
    if (error instanceof InputError && !location) throw new InputError(`${source}: ${error.message}`);
    throw error;
  }
  view.encryption = { decrypted: true, key: key.label, plaintextBytes: plaintext.length };
  const text = Buffer.from(plaintext).toString('utf8');
  const parsed = parseJsonObject(text);
  if (parsed) {
    view.payload = parsed.value;
    view.times = tokenTimes(parsed.value, now);
    return view;
  }
  // Sign-then-encrypt (a nested JWT, cty "JWT"): the plaintext is itself a JWS.
  const inner = findTokens(text.trim());
  if (inner.length === 1 && inner[0] === text.trim()) view.nested = viewOfToken(decodeToken(inner[0], { source: `${source} (nested)`, location, now }));
  return view;
}

export async function runTokenDecode(options: TokenDecodeOptions): Promise<TokenDecodeResult> {
  if (options.batch !== undefined && options.token !== undefined) throw new UsageError('give a token or --batch FILE, not both');
  const now = parseNow(options.now);
  const key = loadDecryptKey(options);
  if (options.batch !== undefined) return decodeBatch(options.batch, now, key, options);

  const { token, others } = await readOneToken(options.token);
  if (others > 0) options.stderr(`note: the input holds ${others} more token${others === 1 ? '' : 's'}; decoding the first (use --batch to decode one per line)`);
  const view = await decodeOne(token.raw, token.source, undefined, now, key);
  if (key && view.form === 'jws') options.stderr('note: --key/--secret decrypt a JWE; this is a JWS, decoded without them (token verify checks its signature)');
  await options.write(options.format === 'json' ? `${safeJson(decodedJson(view), 2)}\n` : decodedText(view, chalkFor(options.color === true)));
  return { exitCode: 0 };
}

async function decodeBatch(file: string, now: number, key: DecryptKey | undefined, options: TokenDecodeOptions): Promise<TokenDecodeResult> {
  const prefix = file === '-' ? 'stdin' : file;
  const summary: DecodeSummary = { lines: 0, tokens: 0, decoded: 0, errors: 0, noToken: 0 };
  for await (const chunk of readLineChunks(file)) {
    summary.lines += chunk.lineCount;
    let out = '';
    for (let i = 0; i < chunk.lines.length; i++) {
      const line = chunk.lines[i];
      const number = chunk.firstLine + i;
      const source = `${prefix}:${number}`;
      const found = findTokens(line);
      if (found.length === 0) {
        const trimmed = line.trim();
        if (trimmed === '' || trimmed.startsWith('#')) continue;
        summary.noToken++;
        out += `${safeJson({ source, error: NO_TOKEN })}\n`;
        continue;
      }
      for (const raw of found) {
        summary.tokens++;
        try {
          const view = await decodeOne(raw, source, { file: prefix, line: number, column: 1 }, now, key);
          summary.decoded++;
          out += `${safeJson(decodedJson(view))}\n`;
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          summary.errors++;
          out += `${safeJson({ source, error: error.message })}\n`;
        }
      }
    }
    if (out) await options.write(out);
  }
  await options.write(`${JSON.stringify({ summary })}\n`);
  return { exitCode: summary.errors > 0 || summary.noToken > 0 ? 1 : 0, summary };
}
