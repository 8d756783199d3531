import type { ConfigParser } from './types.js';

// Placeholder until the nginx parser lands: recognises nothing.
export const nginxParser: ConfigParser = {
  format: 'nginx',
  detect: () => false,
  parse: () => ({ affinities: [] }),
};
