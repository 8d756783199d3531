/**
 * What `token decode` and `token verify` print: pretty JSON (coloured only when asked, i.e. on a TTY),
 * the time claims as ISO dates and relative phrases, and the JSON shapes of `--format json`.
 * Signature bytes are never printed, only their length. Token text is attacker-controlled: every
 * control character (C0, DEL, C1) reaches the terminal escaped, never raw.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Token } from '../model/index.js';
import { TIME_CLAIMS, isoTime, tokenTimes, type TimeInfo } from './times.js';
import { safeText } from './verify-errors.js';

/** JSON.stringify escapes C0 controls; DEL and C1 (e.g. U+009B, a CSI on some terminals) too, here. */
export function safeJson(value: unknown, indent?: number): string {
  // eslint-disable-next-line no-control-regex
  return (JSON.stringify(value, null, indent) ?? 'null').replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Pretty JSON, keys / strings / numbers coloured when `chalk` has colour. */
export function prettyJson(value: unknown, chalk: ChalkInstance, indent = '  '): string {
  const text = safeJson(value, 2);
  const coloured =
    chalk.level === 0
      ? text
      : text.replace(/("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g, (match, string?: string, colon?: string, literal?: string, number?: string) => {
          if (string !== undefined) return colon ? chalk.cyan(string) + colon : chalk.green(string);
          if (literal !== undefined) return chalk.magenta(literal);
          if (number !== undefined) return chalk.yellow(number);
          return match;
        });
  return coloured
    .split('\n')
    .map((line) => indent + line)
    .join('\n');
}

export function chalkFor(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/** The time claims as aligned lines: "  exp        2025-11-03T10:00:00Z  expired 3 days ago". */
export function timeLines(times: Partial<Record<string, TimeInfo>>, chalk: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const claim of TIME_CLAIMS) {
    const info = times[claim];
    if (!info) continue;
    const name = claim.padEnd(9);
    if (info.problem) lines.push(`  ${name}  ${chalk.red(`${safeJson(info.value)}: ${info.problem}`)}`);
    else {
      const relative = /^expired|in the future|not valid before/.test(info.relative ?? '') ? chalk.red(info.relative) : info.relative;
      lines.push(`  ${name}  ${info.iso}  ${relative}`);
    }
  }
  return lines;
}

export interface DecodedView {
  source: string;
  form: 'jws' | 'jwe';
  header: Record<string, unknown>;
  payload: Record<string, unknown> | null;
  times: Partial<Record<string, TimeInfo>>;
  /** JWS only: the signature's length; the bytes are never shown. */
  signature?: { bytes: number };
  /** JWE only. */
  encryption?: { decrypted: boolean; key?: string; plaintextBytes?: number };
  /** A JWE whose plaintext is itself a JWS (a nested JWT, cty "JWT"). */
  nested?: DecodedView;
  /** Encoding problems worth knowing (duplicate keys, non-canonical base64url). */
  notes?: string[];
  /** The time the relative phrases are computed for. */
  now: string;
}

/** Notes about how the token is written, from the strict decoder. */
export function encodingNotes(token: Token): string[] {
  const notes: string[] = [];
  for (const key of token.encoding.duplicateKeys) notes.push(`duplicate key ${key}: JSON parsers disagree on which one counts (RFC 8725 §3.1 asks for rejection)`);
  if (token.encoding.nonCanonical.length > 0) notes.push(`non-canonical base64url in the ${token.encoding.nonCanonical.join(', ')}: two different strings decode to this token`);
  if (token.form === 'jws' && token.header.b64 === false) notes.push('b64: false: the payload is not base64url-encoded (RFC 7797), so it is not shown as claims');
  return notes;
}

export function viewOfToken(token: Token): DecodedView {
  const view: DecodedView = {
    source: token.source,
    form: token.form,
    header: token.header,
    payload: token.payload,
    times: tokenTimes(token.payload, token.now),
    now: isoTime(token.now),
  };
  if (token.form === 'jws') view.signature = { bytes: token.signature.length };
  const notes = encodingNotes(token);
  if (notes.length > 0) view.notes = notes;
  return view;
}

/** The `--format json` object of decode (and one line of decode --batch, compacted). */
export function decodedJson(view: DecodedView): Record<string, unknown> {
  const json: Record<string, unknown> = { source: view.source, form: view.form, header: view.header, payload: view.payload, times: view.times };
  if (view.signature) json.signature = view.signature;
  if (view.encryption) json.encryption = view.encryption;
  if (view.nested) json.nested = decodedJson(view.nested);
  if (view.notes) json.notes = view.notes;
  json.now = view.now;
  return json;
}

function algLine(view: DecodedView, chalk: ChalkInstance): string {
  const field = (value: unknown) => (typeof value === 'string' ? safeText(value, 40) : safeJson(value));
  const alg = field(view.header.alg);
  if (view.form === 'jws') {
    const none = typeof view.header.alg === 'string' && view.header.alg.toLowerCase() === 'none';
    return `${chalk.bold('JWS')}  alg ${alg}  signature ${view.signature?.bytes ?? 0} bytes${none ? chalk.red('  (unsigned: alg none)') : chalk.dim('  (not verified: use token verify)')}`;
  }
  const enc = view.encryption?.decrypted ? chalk.dim(`  (decrypted with ${view.encryption.key})`) : chalk.dim('  (encrypted)');
  return `${chalk.bold('JWE')}  alg ${alg}  enc ${field(view.header.enc)}${enc}`;
}

/** The text of decode for one token. */
export function decodedText(view: DecodedView, chalk: ChalkInstance, depth = 0): string {
  const out: string[] = [algLine(view, chalk), chalk.bold(view.form === 'jwe' ? 'Protected header' : 'Header'), prettyJson(view.header, chalk)];
  out.push(chalk.bold('Payload'));
  if (view.nested) out.push(`  a nested JWT (signed, then encrypted):`, ...decodedText(view.nested, chalk, depth + 1).split('\n').map((line) => `  ${line}`));
  else if (view.payload) out.push(prettyJson(view.payload, chalk));
  else if (view.form === 'jwe' && !view.encryption?.decrypted) out.push(chalk.dim('  encrypted: give --key, --secret or --secret-file to decrypt it'));
  else if (view.form === 'jwe') out.push(chalk.dim(`  not a JSON object (${view.encryption?.plaintextBytes ?? 0} bytes)`));
  else out.push(chalk.dim('  not a JSON object'));
  const times = timeLines(view.times, chalk);
  if (times.length > 0 && !view.nested) out.push(`${chalk.bold('Times')} ${chalk.dim(`(now ${view.now})`)}`, ...times);
  if (view.notes) out.push(chalk.bold('Notes'), ...view.notes.map((note) => `  - ${note}`));
  return out.join('\n') + (depth === 0 ? '\n' : '');
}

/** A writer that honours back-pressure (100k JSON lines must not pile up in memory). */
export function streamWriter(stream: NodeJS.WritableStream): (text: string) => Promise<void> {
  return (text) =>
    new Promise((resolve, reject) => {
      if (stream.write(text)) resolve();
      else {
        const onDrain = () => {
          stream.off('error', onError);
          resolve();
        };
        const onError = (error: unknown) => {
          stream.off('drain', onDrain);
          reject(error);
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      }
    });
}
