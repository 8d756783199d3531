import { UsageError } from '../errors.js';
import type { SessionFramework } from './frameworks.js';

/** `--session-pattern GLOB`: custom session key shapes, checked before the built-in frameworks. */
export type SessionPatterns = readonly SessionFramework[];

export function sessionPatterns(globs: readonly string[]): SessionPatterns {
  return globs.map((glob) => {
    if (!/[^*?]/.test(glob)) throw new UsageError(`--session-pattern "${glob}": the pattern must name something besides * and ?`);
    // Redis-style globs as users write them for SCAN MATCH: * and ? (character classes are rare in key names).
    const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return { id: 'custom', name: `custom (${glob})`, glob, role: 'session' as const, match: new RegExp(`^${source}$`, 's') };
  });
}
