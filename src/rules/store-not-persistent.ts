import { formatDuration } from '../util/duration.js';
import { sessionCount } from './support/store-counts.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'store-not-persistent',
  category: 'session-store',
  severity: 'medium',
  appliesTo: ['store'],
  docs: {
    summary: 'The session store keeps nothing on disk: a restart logs everyone out.',
    rationale:
      'Redis with no RDB snapshots and no AOF, and memcached always, lose every key on restart, upgrade or crash. For a ' +
      'session store that is a mass logout at every deploy of the store, and a seed of "random" logouts when a node restarts.',
    fix: 'Turn on AOF (appendonly yes, appendfsync everysec) or RDB snapshots for the session Redis; for memcached, accept it knowingly or move sessions to Redis with persistence.',
  },
  check(store, ctx) {
    if (store.sessionKeys === 0 || store.rdbEnabled !== false || store.aofEnabled !== false) return;
    const uptime = store.uptimeSeconds !== null ? ` (up ${formatDuration(store.uptimeSeconds)})` : '';
    const what = store.store.kind === 'memcached' ? 'memcached keeps sessions only in memory' : 'no RDB snapshots and no AOF';
    ctx.report({
      node: store,
      message: `${what}${uptime}: a restart loses all ${sessionCount(store)}`,
      evidence: store.store.kind === 'memcached' ? `uptime ${store.uptimeSeconds}` : 'save ""; appendonly no',
    });
  },
});
