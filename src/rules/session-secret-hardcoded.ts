import { maskQuoted } from '../util/mask-quoted.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'session-secret-hardcoded',
  category: 'cookie',
  severity: 'high',
  appliesTo: ['session-config'],
  docs: {
    summary: 'The secret that signs or encrypts sessions is written in the code or config.',
    rationale:
      'Whoever can read the repository (or the image) can forge a session cookie for any user, or read encrypted ' +
      'ones. Sample secrets copied from documentation (\'keyboard cat\', \'changeme\', Django\'s django-insecure- key) ' +
      'are in every attacker\'s wordlist and are found in minutes.',
    fix:
      'Read the secret from the environment or a secret manager (process.env.SESSION_SECRET, os.environ["SECRET_KEY"], ' +
      'a Kubernetes Secret), give every node the same value, rotate the one that was committed, and keep old values ' +
      'only as verification keys during the rotation.',
  },
  check(config, ctx) {
    const secret = config.secret;
    if (!secret || (secret.source !== 'literal' && secret.source !== 'sample')) return;
    const message =
      secret.source === 'sample'
        ? `${config.frameworkName}: the ${secret.what} is a well-known sample value, in the source`
        : `${config.frameworkName}: the ${secret.what} is written in the source`;
    ctx.report({
      node: { ...config, location: secret.location, evidence: secret.evidence },
      message,
      severity: secret.source === 'sample' ? 'critical' : undefined,
      evidence: maskQuoted(secret.evidence),
    });
  },
});

