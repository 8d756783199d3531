import type { ConfigParser } from './types.js';

// Placeholder until the haproxy parser lands: recognises nothing.
export const haproxyParser: ConfigParser = {
  format: 'haproxy',
  detect: () => false,
  parse: () => ({ affinities: [] }),
};
