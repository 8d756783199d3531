import { defineRule } from './types.js';

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;

export default defineRule({
  id: 'store-noeviction-full',
  category: 'session-store',
  severity: 'high',
  appliesTo: ['store'],
  docs: {
    summary: 'A noeviction store is close to maxmemory: writes, and so logins, are about to fail.',
    rationale:
      'With maxmemory-policy noeviction Redis refuses writes once maxmemory is reached ("OOM command not allowed"). ' +
      'Creating or refreshing a session is a write, so new logins fail and active users lose their sessions on the ' +
      'next refresh.',
    fix: 'Raise maxmemory or add shards, and find what fills the store (often session keys without TTL: see session-key-no-ttl).',
  },
  check(store, ctx) {
    const { maxmemoryBytes: max, usedMemoryBytes: used } = store;
    if (store.maxmemoryPolicy !== 'noeviction' || !max || used === null) return;
    if (used / max < ctx.options.storeFullRatio) return;
    ctx.report({
      node: store,
      message: `noeviction store uses ${mib(used)} of maxmemory ${mib(max)} (${Math.round((used / max) * 100)}%): writes fail when it is full`,
      evidence: `used_memory ${used}; maxmemory ${max}`,
    });
  },
});
