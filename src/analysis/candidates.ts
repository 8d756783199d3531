import path from 'node:path';

/**
 * Extensions no config format read here uses: these files are skipped by name, without being opened,
 * so walking a whole repository stays fast. (Source code joins the read set when app session settings
 * are analysed.)
 */
const NOT_CONFIG = new Set(
  [
    // source code
    'js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'tsx', 'jsx', 'py', 'rb', 'go', 'java', 'kt', 'scala', 'rs', 'c', 'h', 'cc',
    'cpp', 'hpp', 'cs', 'php', 'swift', 'm', 'sh', 'bash', 'ps1', 'lua', 'pl', 'ex', 'exs', 'erl', 'clj', 'dart', 'vue', 'svelte',
    // documents, styles, data
    'md', 'markdown', 'rst', 'adoc', 'txt', 'csv', 'tsv', 'html', 'htm', 'css', 'scss', 'less', 'svg', 'xml', 'lock', 'map', 'log', 'sum',
    // binaries
    'png', 'jpg', 'jpeg', 'gif', 'webp', 'ico', 'bmp', 'pdf', 'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'tar', 'jar', 'war',
    'woff', 'woff2', 'ttf', 'otf', 'eot', 'mp3', 'mp4', 'wav', 'ogg', 'webm', 'mov', 'so', 'dll', 'dylib', 'exe', 'bin', 'class',
    'pyc', 'o', 'a', 'wasm', 'db', 'sqlite', 'pem', 'crt', 'key', 'p12', 'der',
  ],
);

const NOT_CONFIG_NAMES = new Set(['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'composer.lock', 'Cargo.lock', 'go.sum', 'LICENSE']);

export function mightBeConfig(absPath: string): boolean {
  const name = path.basename(absPath);
  if (NOT_CONFIG_NAMES.has(name)) return false;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return true; // no extension: /etc/nginx/sites-available/default, Caddyfile, .htaccess
  return !NOT_CONFIG.has(name.slice(dot + 1).toLowerCase());
}
