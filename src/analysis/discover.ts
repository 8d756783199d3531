import { readdirSync, statSync, type Dirent } from 'node:fs';
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
    if (stats.isDirectory()) walk(absolute, found);
    else if (stats.isFile()) found.add(absolute);
    else throw new InputError(`${given}: not a file or directory`);
  }
  return [...found].sort();
}

function walk(dir: string, found: Set<string>): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // an unreadable folder holds nothing that can be checked; not a reason to stop
  }
  for (const entry of entries) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, found);
    else if (entry.isFile()) found.add(full);
    else if (entry.isSymbolicLink()) {
      try {
        // A linked file is read; a linked folder is not walked (as git and ripgrep do): it may lead
        // anywhere on the disk, far outside the tree that was asked for.
        if (statSync(full).isFile()) found.add(full);
      } catch {
        // a dangling link points at nothing to check
      }
    }
  }
}
