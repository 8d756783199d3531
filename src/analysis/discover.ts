import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
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

function walk(dir: string, found: Set<string>, visiting: Set<string>): void {
  // Symlinked folders are followed once per real path, so a link loop cannot recurse forever.
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return;
  }
  if (visiting.has(real)) return;
  visiting.add(real);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // unreadable folder: nothing in it can be checked; not a reason to stop
  }
  for (const name of names.sort()) {
    if (SKIPPED_DIRS.has(name)) continue;
    const full = path.join(dir, name);
    let stats;
    try {
      stats = lstatSync(full);
      if (stats.isSymbolicLink()) stats = statSync(full);
    } catch {
      continue;
    }
    if (stats.isDirectory()) walk(full, found, visiting);
    else if (stats.isFile()) found.add(full);
  }
}
