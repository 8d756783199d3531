/**
 * ioredis failures -> ONE clear InputError line (`redis://127.0.0.1:1: cannot connect: ECONNREFUSED`),
 * exit code 2 through the CLI. The `source` is always the redacted URL, and server replies are
 * cleaned of anything that could echo a password back.
 */
import { InputError } from '../../errors.js';

interface ErrorLike {
  message?: string;
  code?: string;
  name?: string;
}

/** The server answered with an error reply (NOPERM, unknown command, WRONGPASS...), as opposed to a transport failure. */
export function isReplyError(error: unknown): boolean {
  return (error as ErrorLike)?.name === 'ReplyError';
}

/** The first word of a Redis error reply: NOPERM, NOSCRIPT, ERR, WRONGPASS... */
export function replyCode(error: unknown): string {
  return /^([A-Z]+)\b/.exec((error as ErrorLike)?.message ?? '')?.[1] ?? '';
}

const TLS_HINTS: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'server certificate not trusted (give its CA with --tls-ca, or --tls-insecure)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'server certificate is self-signed (give it with --tls-ca, or --tls-insecure)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'server certificate not trusted (give its CA with --tls-ca, or --tls-insecure)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'server certificate does not name this host',
  CERT_HAS_EXPIRED: 'server certificate has expired',
};

/** Short reason for a transport error: the errno code when there is one, else a cleaned message. */
export function describeConnectError(error: unknown): string {
  const e = (error ?? {}) as ErrorLike;
  if (e.code && TLS_HINTS[e.code]) return `TLS: ${TLS_HINTS[e.code]}`;
  if (e.code && /^E[A-Z]+$/.test(e.code)) return e.code; // ECONNREFUSED, ETIMEDOUT, ENOTFOUND, ECONNRESET...
  const message = e.message ?? String(error);
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) return 'authentication failed (wrong user or password)';
  if (/NOAUTH/.test(message)) return 'authentication required (give a password in the URL or REDISCLI_AUTH)';
  if (/Unknown RESP type|Protocol error/i.test(message)) return 'not a Redis server (unexpected reply)';
  if (/wrong version number|packet length too long|EPROTO/i.test(message)) return 'TLS handshake failed (is this a TLS port? use redis:// for plain TCP)';
  if (/^connect ETIMEDOUT|timed out/i.test(message)) return 'ETIMEDOUT';
  return cleanReply(message);
}

/** Server error text, single line, without anything that looks like it echoes a credential. */
export function cleanReply(message: string): string {
  return message.split('\n')[0].replace(/(AUTH|HELLO)\s+\S+(\s+\S+)?/gi, '$1 ...').trim();
}

export function connectError(source: string, error: unknown, tls = false): InputError {
  const reason = describeConnectError(error);
  // A TLS hello sent to a plain-TCP Redis gets no answer at all: say what that usually means.
  const hint = tls && reason === 'ETIMEDOUT' ? ' (no TLS handshake: if this port speaks plain TCP, use redis://)' : '';
  return new InputError(`cannot connect: ${reason}${hint}`, source);
}

/**
 * The server refused one command (NOPERM, unknown command, scripting disabled...). Distinct from a
 * transport failure so a caller can fall back (EVAL_RO refused -> pipelined commands) or report
 * "could not check" and go on, while a lost connection still ends the scan.
 */
export class RedisReplyError extends InputError {
  constructor(
    message: string,
    source: string,
    /** NOPERM, ERR, NOSCRIPT...: the first word of the reply. */
    readonly code: string,
  ) {
    super(message, source);
    this.name = 'RedisReplyError';
  }
}

/** A failure after connecting: the connection dropped, a command timed out, or the server refused. */
export function commandError(source: string, what: string, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const message = (error as ErrorLike)?.message ?? String(error);
  if (isReplyError(error)) return new RedisReplyError(`${what}: ${cleanReply(message)}`, source, replyCode(error));
  if (/Connection is closed|Command aborted due to connection close|ECONNRESET|EPIPE|Stream isn't writeable/i.test(message) || (error as ErrorLike)?.code === 'ECONNRESET') {
    return new InputError('connection lost', source);
  }
  if (/Command timed out/i.test(message)) return new InputError(`no reply in time to ${what} (server busy or frozen)`, source);
  return new InputError(`${what}: ${cleanReply(message)}`, source);
}
