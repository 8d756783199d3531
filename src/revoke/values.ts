/**
 * Filters that need a session's value: `--user ID` and `--created-before TIME`. Values are read only
 * for keys that passed every other filter, in pipelined batches (GET for string sessions, HGETALL or
 * HMGET for hashes), never printed, never kept. A value whose format cannot be read is never guessed:
 * the key is not selected, and counted as unreadable with the reason.
 */
import { isJavaSerialized, javaScalar } from './formats/java-serialized.js';
import { phpSessionDecode } from './formats/php.js';
import { couldNameUser } from './session-user-prefilter.js';
import { userOf, type SessionValue } from './session-user.js';
import { RECORDS_CREATION } from './select.js';
import type { Arg, PipelineReply } from '../stores/redis/reader.js';
import { cleanReply } from '../stores/redis/errors.js';

export interface ValueFilter {
  user?: string;
  userField?: string[];
  /** Epoch ms. */
  createdBefore?: number;
}

export type Verdict = { kind: 'match' } | { kind: 'no' } | { kind: 'gone' } | { kind: 'unreadable'; reason: string };

const MATCH: Verdict = { kind: 'match' };
const NO: Verdict = { kind: 'no' };
const GONE: Verdict = { kind: 'gone' };
const unreadable = (reason: string): Verdict => ({ kind: 'unreadable', reason });

const HASH_FRAMEWORKS = new Set(['spring-session', 'aspnet-core']);

/** The command that reads what `filter` needs of one session of `framework`. */
export function valueCommand(framework: string, key: string, filter: ValueFilter): [string, ...Arg[]] {
  if (framework === 'spring-session' && filter.user === undefined) return ['HMGET', key, 'creationTime'];
  return HASH_FRAMEWORKS.has(framework) ? ['HGETALL', key] : ['GET', key];
}

/** The verdict for one reply of valueCommand. */
export function judgeValue(framework: string, reply: PipelineReply, filter: ValueFilter): Verdict {
  const [error, raw] = reply;
  if (error) {
    if (/^WRONGTYPE/.test(error.message)) return unreadable(HASH_FRAMEWORKS.has(framework) ? 'not a hash' : 'not a string value');
    return unreadable(cleanReply(error.message));
  }
  let value: SessionValue;
  if (Array.isArray(raw)) {
    if (framework === 'spring-session' && filter.user === undefined) {
      // HMGET creationTime: [value or null]
      const [created] = raw as Array<Buffer | null>;
      if (created === null || created === undefined) return GONE;
      return createdVerdict(springCreation(created), filter);
    }
    if (raw.length === 0) return GONE;
    const fields = new Map<string, Buffer>();
    for (let i = 0; i + 1 < raw.length; i += 2) fields.set(String(raw[i]), raw[i + 1] as Buffer);
    value = { type: 'hash', fields };
  } else {
    if (raw === null || raw === undefined) return GONE;
    value = { type: 'string', bytes: raw as Buffer };
  }
  if (filter.createdBefore !== undefined) {
    const created = creationOf(framework, value);
    const verdict = createdVerdict(created, filter);
    if (verdict.kind !== 'match') return verdict;
  }
  if (filter.user !== undefined) {
    const options = { userField: filter.userField };
    if (!couldNameUser(framework, value, filter.user, options)) return NO;
    const reading = userOf(framework, value, options);
    if (reading.kind === 'unreadable') return unreadable(reading.reason);
    return reading.kind === 'user' && reading.user === filter.user ? MATCH : NO;
  }
  return MATCH;
}

type Creation = { ms: number } | { unreadable: string };

function createdVerdict(created: Creation, filter: ValueFilter): Verdict {
  if ('unreadable' in created) return unreadable(created.unreadable);
  return created.ms < (filter.createdBefore ?? Infinity) ? MATCH : NO;
}

/** Spring Session's creationTime field: a Java-serialized Long (JdkSerializationRedisSerializer) or JSON / text digits. */
function springCreation(bytes: Buffer): Creation {
  try {
    if (isJavaSerialized(bytes)) {
      const value = javaScalar(bytes);
      if (typeof value === 'bigint') return { ms: Number(value) };
      return { unreadable: 'creationTime is not a number' };
    }
  } catch (error) {
    return { unreadable: `creationTime: ${(error as Error).message}` };
  }
  const text = bytes.toString('latin1').trim();
  return /^\d{1,16}$/.test(text) ? { ms: Number(text) } : { unreadable: 'creationTime is neither a Java Long nor a number' };
}

/** When the session was created, for the frameworks that record it (select.ts RECORDS_CREATION). */
export function creationOf(framework: string, value: SessionValue): Creation {
  if (!RECORDS_CREATION.has(framework)) return { unreadable: `${framework} does not record when a session was created` };
  if (framework === 'spring-session') {
    if (value.type !== 'hash') return { unreadable: 'expected a Spring Session hash' };
    const created = value.fields.get('creationTime');
    return created ? springCreation(created) : { unreadable: 'no creationTime field' };
  }
  // Symfony's MetadataBag: _sf2_meta = ['u' => updated, 'c' => created, 'l' => lifetime], in seconds.
  if (value.type !== 'string') return { unreadable: 'expected a string value' };
  try {
    const meta = phpSessionDecode(value.bytes).vars.get('_sf2_meta');
    const created = meta instanceof Map ? meta.get('c') : undefined;
    if (typeof created === 'number' || typeof created === 'bigint') return { ms: Number(created) * 1000 };
    return { unreadable: 'a PHP session without Symfony metadata (_sf2_meta): no creation time' };
  } catch (error) {
    return { unreadable: (error as Error).message };
  }
}
