import { UsageError } from '../errors.js';
import type { SessionFramework } from './frameworks.js';
import { globToRegExp } from './redis-glob.js';

/** `--session-pattern GLOB`: custom session key shapes, checked before the built-in frameworks. */
export type SessionPatterns = readonly SessionFramework[];

export function sessionPatterns(globs: readonly string[]): SessionPatterns {
  return globs.map((glob) => {
    if (!/[^*?]/.test(glob)) throw new UsageError(`--session-pattern "${glob}": the pattern must name something besides * and ?`);
    // Redis globs, with the server's own meaning (SCAN MATCH), as --namespace reads them.
    return { id: 'custom', name: `custom (${glob})`, glob, role: 'session' as const, match: globToRegExp(glob, '--session-pattern') };
  });
}
