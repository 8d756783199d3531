import { defineRule } from './types.js';

export default defineRule({
  id: 'store-no-tls',
  category: 'transport',
  severity: 'medium',
  appliesTo: ['store'],
  docs: {
    summary: 'Sessions travel in plain TCP to a store that is not on loopback.',
    rationale: 'Session ids and session data (and the store password) cross the network readable by anyone on the path.',
    fix: 'Use TLS (rediss://, tls-port in Redis 6+, your provider\'s in-transit encryption), or keep the store on loopback or a private, encrypted network.',
  },
  check(store, ctx) {
    if (store.tls || store.loopback) return;
    ctx.report({ node: store, message: `plain TCP to ${store.store.source}: session ids cross the network unencrypted`, evidence: store.store.source });
  },
});
