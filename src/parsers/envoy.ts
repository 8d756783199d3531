import type { ConfigParser } from './types.js';

// Placeholder until the envoy parser lands: recognises nothing.
export const envoyParser: ConfigParser = {
  format: 'envoy',
  detect: () => false,
  parse: () => ({ affinities: [] }),
};
