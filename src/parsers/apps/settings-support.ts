import type { Location, Setting } from '../../model/index.js';
import type { ParseInput } from '../types.js';
import { redactSecrets } from './redact.js';
import { hostsOf } from './store-hosts.js';

/**
 * Small pieces the php, laravel, django and rails readers share: a located Setting, evidence with
 * credentials taken out, store hosts out of lists of connection strings, and a masked secret.
 */

export function locationAt(input: ParseInput, line: number, column = 1): Location {
  return { file: input.file, line, column };
}

/** The trimmed text of a 1-based line, with any password or auth token removed. */
export function evidenceAt(input: ParseInput, line: number): string {
  return redactCredentials((input.lines()[line - 1] ?? '').trim());
}

/** A value set by a line of this file. */
export function settingAt<T>(input: ParseInput, value: T, line: number, column = 1): Setting<T> {
  return { value, location: locationAt(input, line, column), evidence: evidenceAt(input, line) };
}

/**
 * Remove credentials from text that may hold a connection string: redact.ts's rules (URL passwords,
 * `password=`), plus phpredis's `?auth=secret` and `?auth[]=user&auth[]=secret`.
 */
export function redactCredentials(text: string): string {
  return redactSecrets(text).replace(/((?:^|[?&\s;,])auth(?:\[\])?=)[^&\s'";,]*/gi, '$1***');
}

/**
 * Host names in one connection string or a list of them: `redis://:pw@redis:6379/0`,
 * `tcp://redis:6379?auth=x, tcp://redis-2:6379`, `cache-1:11211;cache-2:11211`, phpredis cluster
 * seeds `seed[]=h1:7000&seed[]=h2:7001`. Unix sockets and options (`persistent=1`) name no host;
 * a bare word (`redis`) counts only with `bare`, where the setting is known to hold a host name.
 */
export function hostsIn(text: string, bare = false): string[] {
  const hosts = text.split(/[\s,;&]+/).flatMap((part) => hostsOf(part.replace(/^seed\[\]=/, ''), bare));
  return [...new Set(hosts)];
}

/** Show a secret's line without the secret: the value is replaced, a well-known sample stays readable. */
export function maskSecretIn(evidence: string, secret: string, keepPrefix = ''): string {
  if (secret === '') return evidence;
  return evidence.split(secret).join(`${keepPrefix}***`);
}
