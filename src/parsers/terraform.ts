import type { ConfigParser } from './types.js';

// Placeholder until the terraform parser lands: recognises nothing.
export const terraformParser: ConfigParser = {
  format: 'terraform',
  detect: () => false,
  parse: () => ({ affinities: [] }),
};
