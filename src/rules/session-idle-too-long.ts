import { idleTimeoutOf } from '../stores/frameworks.js';
import { formatDuration } from '../util/duration.js';
import { defineRule } from './types.js';

/** Far longer: twice the default, so a modestly raised timeout is not reported. */
const FACTOR = 2;

export default defineRule({
  id: 'session-idle-too-long',
  category: 'session-ttl',
  severity: 'medium',
  appliesTo: ['namespace'],
  docs: {
    summary: "Live sessions have been idle far longer than their framework's default idle timeout.",
    rationale:
      'A session untouched for days that is still in the store is still valid: the idle timeout in force is at least ' +
      'that long, whatever the framework default says. Either the timeout was raised far beyond the default, or keys ' +
      'are written with a long fixed TTL instead of a sliding one. An abandoned session on a shared computer, or a ' +
      'stolen cookie, stays usable all that time.',
    fix: "Set the framework's idle timeout to what the application needs (Spring maxInactiveInterval, connect-redis ttl with rolling sessions, PHP session.gc_maxlifetime) and make sure the store TTL follows it.",
  },
  check(namespace, ctx) {
    const timeout = idleTimeoutOf(namespace.framework);
    const idle = namespace.idle?.max ?? null;
    if (namespace.role !== 'session' || timeout === undefined || idle === null || idle <= timeout * FACTOR) return;
    ctx.report({
      node: namespace,
      message: `${namespace.frameworkName} sessions (${namespace.pattern}) idle for up to ${formatDuration(idle)} are still alive; the framework's default idle timeout is ${formatDuration(timeout)}`,
      evidence: `OBJECT IDLETIME max ${idle}s, p50 ${namespace.idle?.p50 ?? '-'}s`,
    });
  },
});
