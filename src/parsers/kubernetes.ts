import type { ConfigParser } from './types.js';

// Placeholder until the kubernetes parser lands: recognises nothing.
export const kubernetesParser: ConfigParser = {
  format: 'kubernetes',
  detect: () => false,
  parse: () => ({ affinities: [] }),
};
