import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';

const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.terraform']);

/** Every regular file under the given paths (a file path names itself), sorted, each once. */
export function discoverFiles(paths: string[]): string[] {
  const found = new Set<string>();
  for (const given of paths) {
    const absolute = path.resolve(given);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      throw new InputError(`${given}: no such file or directory`);
    }
    if (stats.isDirectory()) walk(absolute, found, new Set());
    else if (stats.isFile()) found.add(absolute);
    else throw new InputError(`${given}: not a file or directory`);
  }
  return [...found].sort();
}

function walk(dir: string, found: Set<string>, visited: Set<string>): void {
  // Symlinked folders are followed once per real path, so a link loop cannot recurse forever.
  let real: string;
  let entries: Dirent[];
  try {
    real = realpathSync.native(dir);
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // an unreadable folder holds nothing that can be checked; not a reason to stop
  }
  if (visited.has(real)) return;
  visited.add(real);
  for (const entry of entries) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, found, visited);
    else if (entry.isFile()) found.add(full);
    else if (entry.isSymbolicLink()) {
      try {
        const target = statSync(full);
        if (target.isDirectory()) walk(full, found, visited);
        else if (target.isFile()) found.add(full);
      } catch {
        // a dangling link points at nothing to check
      }
    }
  }
}
