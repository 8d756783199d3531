/**
 * Some framework key prefixes are common words (`session:`, `sess:`, `session_`): an app may use
 * them for something else, and calling those keys sessions would raise false alarms. For string
 * session namespaces, the first bytes of a few example values (GETRANGE 0 15: the serialisation
 * header only, never the session data, never printed) must look like that framework's format;
 * when none does, the namespace is not treated as sessions.
 */
import type { Namespace } from '../../model/index.js';
import type { TypedExample } from '../keyspace-summary.js';
import { RedisReplyError } from './errors.js';
import type { RedisReader } from './reader.js';

const PROBES = 3;
const HEADER_BYTES = 16;

const isJsonObject = (head: Buffer) => head.toString('latin1').trimStart().startsWith('{');
/** Python pickle protocol 2+ starts with PROTO (0x80); msgpack maps with 0x80-0x8f, 0xde, 0xdf. */
const isPickleOrMsgpack = (head: Buffer) => head.length > 0 && (head[0] === 0x80 || (head[0] >= 0x81 && head[0] <= 0x8f) || head[0] === 0xde || head[0] === 0xdf);
/**
 * PHP's session serialisers: `php` writes `name|<serialized>`, `php_serialize` writes `a:N:{`, and
 * `php_binary` writes a length byte, the name, then the serialized value. Empty is a fresh session.
 */
const isPhpSession = (head: Buffer) =>
  head.length === 0 || /^(?:[^|;]{1,64}\||a:\d+:\{)/.test(head.toString('latin1')) || isPhpBinarySession(head);

function isPhpBinarySession(head: Buffer): boolean {
  const length = head[0];
  if (length < 1 || length > 127) return false;
  const name = head.subarray(1, 1 + length).toString('latin1');
  const after = head.subarray(1 + length, 3 + length).toString('latin1');
  // Only what the 16 header bytes show: a printable name, and a serialized value if it starts in view.
  return /^[\x21-\x7e]+$/.test(name) && (after.length === 0 || /^(?:[saiObdN]:?|N;?)/.test(after));
}
/** Laravel caches serialize() output: s:, a:, i:, O:... */
const isPhpSerialized = (head: Buffer) => /^(?:[saiObdN]:|N;)/.test(head.toString('latin1'));
/** Ruby Marshal (Rack / Rails session stores) starts with version 4.8. */
const isRubyMarshal = (head: Buffer) => head.length >= 2 && head[0] === 0x04 && head[1] === 0x08;

/**
 * Formats per framework id. Frameworks with several serialisers (Django: pickle or JSON; redistore:
 * gob or JSON) accept any of them; a framework not listed here is not checked.
 */
const FORMATS: Record<string, (head: Buffer) => boolean> = {
  'connect-redis': isJsonObject,
  'flask-session': isPickleOrMsgpack,
  django: (head) => isPickleOrMsgpack(head) || isJsonObject(head) || /^\d+$/.test(head.toString('latin1')),
  phpredis: isPhpSession,
  'php-memcached': isPhpSession,
  symfony: isPhpSession,
  laravel: isPhpSerialized,
  rails: (head) => isRubyMarshal(head) || isJsonObject(head),
};

export interface ValueConfirmation {
  /** Namespaces that lost their framework because no example value had its format. */
  rejected: string[];
  unchecked: string[];
}

export async function confirmByValue(
  namespaces: Namespace[],
  examplesOf: (pattern: string) => { examples: TypedExample[]; types: string[] },
  readerFor: (node: string | undefined) => RedisReader,
): Promise<ValueConfirmation> {
  const result: ValueConfirmation = { rejected: [], unchecked: [] };
  for (const namespace of namespaces) {
    const looksRight = namespace.framework ? FORMATS[namespace.framework] : undefined;
    if (!looksRight || namespace.role !== 'session') continue;
    const probes = examplesOf(namespace.pattern).examples.filter((example) => example.type === 'string').slice(0, PROBES);
    if (probes.length === 0) continue;
    let checked = 0;
    let matched = 0;
    try {
      for (const probe of probes) {
        const head = (await readerFor(probe.node).callBuffer('GETRANGE', probe.key, 0, HEADER_BYTES - 1)) as Buffer | null;
        if (!head) continue;
        checked++;
        if (looksRight(head)) matched++;
      }
    } catch (error) {
      if (!(error instanceof RedisReplyError)) throw error;
      result.unchecked.push(`${namespace.pattern}: values not checked against the ${namespace.frameworkName} format (${error.message})`);
      continue;
    }
    if (checked > 0 && matched === 0) {
      result.rejected.push(`${namespace.pattern}: the key shape of ${namespace.frameworkName}, but no example value has its format: not treated as sessions`);
      namespace.framework = null;
      namespace.frameworkName = null;
      namespace.role = null;
    }
  }
  return result;
}
