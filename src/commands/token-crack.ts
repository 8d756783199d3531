/**
 * `session-audit token crack`: find the HMAC secret of an HS256/384/512 token in the built-in list of
 * sample secrets, then in wordlists, then by masks. Returns a result object; the CLI prints it.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { InputError, UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { crack, type CrackPhase, type CrackProgress } from '../tokens/crack.js';
import type { HmacAlg } from '../tokens/crack-worker.js';
import { decodeToken } from '../tokens/decode.js';
import { readOneToken } from '../tokens/input.js';
import { lengthMasks, parseCharset, parseMask, prefixesOf, type Mask } from '../tokens/mask.js';
import { BUILT_IN_SECRETS, maskSecret } from '../tokens/weak-secrets.js';

/**
 * Above this many mask candidates, --yes is needed: 1e10 is hours at the rates of a small machine
 * (about 3 h at 1 M/s), most likely a typo in the mask rather than a plan.
 */
export const MASK_CONFIRM_ABOVE = 1e10;
/** Candidate numbers are JavaScript numbers: exact up to 2^53. Far beyond any run that can finish. */
const MASK_LIMIT = Number.MAX_SAFE_INTEGER;

const HMAC_ALGS: readonly string[] = ['HS256', 'HS384', 'HS512'];

export interface TokenCrackOptions {
  /** The token argument, or '-' for stdin. */
  token?: string;
  wordlists: string[];
  masks: string[];
  /** The set ?1 stands for in masks, and the one --max-length draws from (default ?a). */
  charset?: string;
  minLength?: number;
  maxLength?: number;
  increment?: boolean;
  builtIn: boolean;
  threads?: number;
  yes?: boolean;
  showSecret?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: CrackProgress) => void;
}

export interface TokenCrackResult {
  tool: { name: 'session-audit'; version: string };
  token: { source: string; alg: string };
  found: boolean;
  /** The secret: masked ("yo… (19 chars)") unless --show-secret. Hex ("hex:…") when not UTF-8. */
  secret?: string;
  secretShown?: boolean;
  /** Where it was found: "built-in list", "wordlist words.txt", "mask ?l?l?l?l". */
  from?: string;
  tried: number;
  seconds: number;
  /** Candidates per second over the whole run (worker start-up included). */
  rate: number;
  threads: number;
  /** Stopped by Ctrl-C before the search space was exhausted. */
  interrupted?: boolean;
  /** Other tokens in the input, not cracked (the first one is). */
  otherTokens?: number;
}

/** Checks every option, builds the plan (nothing starts before the whole command line is known good). */
export function planPhases(options: TokenCrackOptions): { phases: CrackPhase[]; maskCandidates: number } {
  const phases: CrackPhase[] = [];
  if (options.builtIn) {
    phases.push({ kind: 'built-in list', label: 'built-in list', keys: BUILT_IN_SECRETS.map((secret) => new Uint8Array(Buffer.from(secret, 'utf8'))) });
  }
  for (const file of options.wordlists) {
    if (file === '-') {
      if (options.token === '-') throw new UsageError('the token and the wordlist cannot both come from stdin (-)');
      phases.push({ kind: 'wordlist', label: 'wordlist stdin', file });
      continue;
    }
    let size: number;
    try {
      const stat = statSync(file);
      if (stat.isDirectory()) throw new UsageError(`--wordlist ${file}: a folder, not a file`);
      size = stat.size;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new InputError(`cannot read the wordlist (${(error as NodeJS.ErrnoException).code ?? 'error'})`, file);
    }
    phases.push({ kind: 'wordlist', label: `wordlist ${file}`, file, size });
  }
  const masks = masksOf(options);
  const maskCandidates = masks.reduce((sum, mask) => sum + mask.size, 0);
  if (maskCandidates > MASK_LIMIT) throw new UsageError(`the masks make ${maskCandidates.toExponential(1)} candidates: beyond what can be counted, let alone tried`);
  if (maskCandidates > MASK_CONFIRM_ABOVE && !options.yes) {
    throw new UsageError(
      `the masks make ${maskCandidates.toExponential(1)} candidates (hours at a few million a second): add --yes to run them anyway, or use a shorter mask`,
    );
  }
  for (const mask of masks) phases.push({ kind: 'mask', label: `mask ${mask.text}`, mask });
  if (phases.length === 0) throw new UsageError('nothing to try: --no-builtin without --wordlist, --mask or --max-length');
  return { phases, maskCandidates };
}

function masksOf(options: TokenCrackOptions): Mask[] {
  const custom = options.charset === undefined ? undefined : parseCharset(options.charset);
  const masks: Mask[] = [];
  for (const text of options.masks) {
    const mask = parseMask(text, custom);
    masks.push(...(options.increment ? prefixesOf(mask) : [mask]));
  }
  if (options.increment && options.masks.length === 0) throw new UsageError('--increment goes with --mask');
  if (options.maxLength !== undefined) {
    const min = options.minLength ?? 1;
    if (min > options.maxLength) throw new UsageError(`--min-length ${min} is above --max-length ${options.maxLength}`);
    const setText = options.charset ?? '?a';
    masks.push(...lengthMasks(custom ?? parseCharset(setText), setText, min, options.maxLength));
  } else if (options.minLength !== undefined) {
    throw new UsageError('--min-length goes with --max-length');
  } else if (options.charset !== undefined && !options.masks.some((text) => text.includes('?1'))) {
    throw new UsageError('--charset is used by ?1 in --mask, or with --max-length: give one of them');
  }
  return masks;
}

export async function runTokenCrack(options: TokenCrackOptions): Promise<TokenCrackResult> {
  const threads = options.threads ?? availableParallelism();
  const { phases } = planPhases(options);
  const { token: found, others } = await readOneToken(options.token);
  const token = decodeToken(found.raw, { source: found.source, now: Math.floor(Date.now() / 1000) });
  const alg = String(token.header.alg);
  if (token.form === 'jwe') throw new UsageError(`${found.source}: a JWE (encrypted, alg ${alg}): token crack guesses the HMAC secret of HS256/HS384/HS512 signed tokens`);
  if (!HMAC_ALGS.includes(alg)) throw new UsageError(`${found.source}: ${whyNotHmac(alg)}`);
  const bytes = Number(alg.slice(2)) / 8;
  if (token.signature.length !== bytes) {
    throw new UsageError(`${found.source}: the signature is ${token.signature.length} bytes, but ${alg} makes ${bytes}: it cannot match any secret`);
  }
  const message = new Uint8Array(Buffer.from(found.raw.slice(0, found.raw.lastIndexOf('.')), 'ascii'));
  const outcome = await crack({
    alg: alg as HmacAlg,
    message,
    signature: token.signature,
    phases,
    threads,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const result: TokenCrackResult = {
    tool: { name: 'session-audit', version: VERSION },
    token: { source: found.source, alg },
    found: outcome.found !== undefined,
    tried: outcome.tried,
    seconds: round(outcome.seconds, 3),
    rate: Math.round(outcome.tried / Math.max(outcome.seconds, 1e-6)),
    threads: outcome.threads,
  };
  if (outcome.found) {
    const secret = secretText(outcome.found.key);
    result.secret = options.showSecret ? secret : maskSecret(secret);
    result.secretShown = options.showSecret === true;
    result.from = outcome.found.phase.label;
  }
  if (outcome.interrupted) result.interrupted = true;
  if (others > 0) result.otherTokens = others;
  return result;
}

function whyNotHmac(alg: string): string {
  if (alg.toLowerCase() === 'none') return `alg "${alg}" has no signature, so there is no secret to find (and the token is forgeable as it is)`;
  if (/^(RS|PS)\d+$/.test(alg)) return `${alg} is an RSA signature: it is made with a private key and checked with a public one, there is no shared secret to guess (only HS256/HS384/HS512 can be cracked)`;
  if (/^ES\d+K?$/.test(alg) || /^(EdDSA|Ed25519|Ed448)$/.test(alg)) return `${alg} is an elliptic-curve signature: made with a private key, there is no shared secret to guess (only HS256/HS384/HS512 can be cracked)`;
  return `alg "${alg}" is not an HMAC algorithm: only HS256/HS384/HS512 tokens can be cracked`;
}

/** The key as text: UTF-8 when it is, else "hex:..." (a ?b mask or a binary wordlist line). */
function secretText(key: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(key);
  } catch {
    return `hex:${Buffer.from(key).toString('hex')}`;
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
