import path from 'node:path';
import { parseCaddyJson } from './caddy-json.js';
import { parseCaddyfile } from './caddyfile.js';
import type { ConfigParser, ParseInput } from './types.js';

/**
 * Caddy: the Caddyfile (caddyfile.ts) and the native JSON config (caddy-json.ts).
 * A Caddyfile is known by its name only (Caddyfile, *.Caddyfile, Caddyfile.*, *.caddy), as Caddy's
 * own adapter does; a JSON file by the name caddy.json or by `"apps": { "http": ... }` at its top.
 */
export const caddyParser: ConfigParser = {
  format: 'caddy',
  detect(input) {
    const base = baseName(input).toLowerCase();
    if (base.endsWith('.json')) return base === 'caddy.json' || looksLikeCaddyJson(input.text);
    return base === 'caddyfile' || base.endsWith('.caddyfile') || base.startsWith('caddyfile.') || base.endsWith('.caddy');
  },
  parse(input) {
    return baseName(input).toLowerCase().endsWith('.json') ? parseCaddyJson(input) : parseCaddyfile(input);
  },
};

function baseName(input: ParseInput): string {
  return path.posix.basename(input.file.replace(/\\/g, '/'));
}

/** A glance, not a parse: the top-level "apps" object holding an "http" app with servers. */
function looksLikeCaddyJson(text: string): boolean {
  return /^\s*\{/.test(text) && /"apps"\s*:\s*\{/.test(text) && /"http"\s*:\s*\{/.test(text) && /"servers"\s*:\s*\{/.test(text);
}
