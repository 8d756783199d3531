import type { ConfigParser } from './types.js';

// Placeholder until the cloudformation parser lands: recognises nothing.
export const cloudformationParser: ConfigParser = {
  format: 'cloudformation',
  detect: () => false,
  parse: () => ({ affinities: [] }),
};
