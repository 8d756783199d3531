import { defineRule } from './types.js';

export default defineRule({
  id: 'shared-secret-not-shared',
  category: 'session-store',
  severity: 'high',
  appliesTo: ['session-config'],
  docs: {
    summary: 'Each node makes up its own key for signing or decrypting sessions: nodes reject each other\'s cookies.',
    rationale:
      'A secret generated at start-up (crypto.randomBytes, os.urandom, get_random_secret_key, SecureRandom) or a key ' +
      'ring kept on the node (ASP.NET Core Data Protection without PersistKeysTo...) differs between replicas and ' +
      'changes at every restart. A cookie signed by one node is invalid on the next: users are logged out at random ' +
      'behind a balancer and all at once at every deploy, even with a shared session store.',
    fix:
      'Give every node the same secret from the environment or a secret manager; for ASP.NET Core, persist the Data ' +
      'Protection key ring to a shared place (PersistKeysToStackExchangeRedis, PersistKeysToDbContext, a shared ' +
      'volume) and set one application name.',
  },
  check(config, ctx) {
    const secret = config.secret;
    if (!secret || secret.source !== 'per-node') return;
    ctx.report({
      node: { ...config, location: secret.location, evidence: secret.evidence },
      message: `${config.frameworkName}: the ${secret.what} is made by each node for itself, so nodes cannot read each other's sessions`,
    });
  },
});
