import { defineRule } from './types.js';

export default defineRule({
  id: 'store-open-access',
  category: 'access-control',
  severity: 'critical',
  appliesTo: ['store'],
  docs: {
    summary: 'Anyone who reaches the store can read every session: no password (Redis default user nopass, memcached has none).',
    rationale:
      'Session keys are bearer credentials: reading one is logging in as that user. A Redis whose default user has no ' +
      'password, reachable beyond loopback (or with protected-mode off), lets any process on the network list, read, ' +
      'forge or delete sessions; memcached\'s text protocol has no authentication at all.',
    fix: 'Require a password or ACL users (requirepass / ACL SETUSER default on >secret), bind to private interfaces, and firewall the port; for memcached, bind to loopback or a private network only, or use SASL with the binary protocol.',
  },
  check(store, ctx) {
    if (store.defaultUserWithoutPassword !== true) return;
    if (store.store.kind === 'memcached') {
      if (store.loopback) return;
      ctx.report({ node: store, severity: 'high', message: 'memcached answers without authentication on a non-loopback address', evidence: store.store.source });
      return;
    }
    if (store.loopback && store.protectedMode !== false) return;
    ctx.report({
      node: store,
      severity: store.loopback ? 'medium' : 'critical',
      message: `the default user needs no password${store.protectedMode === false ? ' and protected-mode is off' : ''}${store.loopback ? '' : ', and the store is reachable beyond loopback'}`,
      evidence: `user default on nopass${store.protectedMode === false ? '; protected-mode no' : ''}`,
    });
  },
});
