import type { ConfigParser } from './types.js';

// Placeholder until the caddy parser lands: recognises nothing.
export const caddyParser: ConfigParser = {
  format: 'caddy',
  detect: () => false,
  parse: () => ({ affinities: [] }),
};
