import type { ConfigParser } from './types.js';

// Placeholder until the compose parser lands: recognises nothing.
export const composeParser: ConfigParser = {
  format: 'compose',
  detect: () => false,
  parse: () => ({ affinities: [] }),
};
