import type { ConfigParser } from './types.js';

// Placeholder until the apache parser lands: recognises nothing.
export const apacheParser: ConfigParser = {
  format: 'apache',
  detect: () => false,
  parse: () => ({ affinities: [] }),
};
