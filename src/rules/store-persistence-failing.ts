import { defineRule } from './types.js';

export default defineRule({
  id: 'store-persistence-failing',
  category: 'session-store',
  severity: 'high',
  appliesTo: ['store'],
  docs: {
    summary: 'The last RDB snapshot or AOF write failed.',
    rationale:
      'Persistence that is configured but failing is worse than none: everyone believes a restart is safe. By default ' +
      'Redis also stops accepting writes after a failed bgsave (stop-writes-on-bgsave-error), which blocks logins.',
    fix: 'Read the Redis log for the cause (disk full, permissions, fork failing for lack of memory) and fix it.',
  },
  check(store, ctx) {
    const failing = [store.lastBgsaveOk === false ? 'rdb_last_bgsave_status:err' : null, store.aofLastWriteOk === false ? 'aof_last_write_status:err' : null].filter(
      (what): what is string => what !== null,
    );
    if (failing.length === 0) return;
    ctx.report({ node: store, message: `persistence is failing: ${failing.join(', ')}`, evidence: failing.join('; ') });
  },
});
