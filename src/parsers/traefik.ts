import type { ConfigParser } from './types.js';

// Placeholder until the traefik parser lands: recognises nothing.
export const traefikParser: ConfigParser = {
  format: 'traefik',
  detect: () => false,
  parse: () => ({ affinities: [] }),
};
