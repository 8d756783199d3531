/**
 * What an application's message says happened, as a LogRecord event. One small table: add a phrase
 * here. Order matters: "invalid token" is checked before "login" so "login failed: jwt expired" is an
 * auth failure, not a login.
 */
import type { LogRecord } from './record.js';

type LogEvent = NonNullable<LogRecord['event']>;

const TABLE: Array<[LogEvent, string]> = [
  ['invalid-token', String.raw`invalid[ _-]?token|jwt expired|token expired|invalid signature|jwt malformed|jwt not active|signature verification failed|token (?:is )?(?:invalid|revoked)`],
  ['session-not-found', String.raw`session not found|session expired|unknown session|no such session|session (?:is )?missing`],
  ['revoke', String.raw`revok`],
  ['logout', String.raw`\blog(?:ged)?[ _-]?out\b|\bsign(?:ed)?[ _-]?out\b`],
  ['login', String.raw`^login$|\blogged[ _-]?in\b|\bsigned[ _-]?in\b|\blogin (?:succeeded|successful|success|ok)\b|^user[ ._-]login$`],
];

// One pass over the text: each row is a capture group, the first group that matched names the event.
const PATTERN = new RegExp(TABLE.map(([, source]) => `(${source})`).join('|'), 'i');

export function eventOf(text: string): LogEvent | undefined {
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  for (let index = 0; index < TABLE.length; index++) if (match[index + 1] !== undefined) return TABLE[index][0];
  return undefined;
}
