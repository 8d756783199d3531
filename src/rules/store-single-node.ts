import { sessionCount } from './support/store-counts.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'store-single-node',
  category: 'session-store',
  severity: 'low',
  appliesTo: ['store'],
  docs: {
    summary: 'One node holds every session: no replica and no cluster.',
    rationale: 'When the only node fails or is restarted every user is logged out, and until it is back nobody can log in.',
    fix: 'Add a replica with automatic failover (Sentinel, a managed service\'s high-availability option) or run a cluster.',
  },
  check(store, ctx) {
    if (store.sessionKeys === 0 || store.store.mode !== 'standalone' || store.replicas !== 0) return;
    const what = store.store.kind === 'memcached' ? 'memcached node' : 'Redis master with no replica';
    const evidence = store.store.kind === 'memcached' ? 'memcached does not replicate' : 'role:master, connected_slaves:0';
    ctx.report({ node: store, message: `a single ${what} holds all ${sessionCount(store)}`, evidence });
  },
});
