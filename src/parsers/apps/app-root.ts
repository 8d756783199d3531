import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../source.js';

/** Files that mark the root folder of an app, per ecosystem. */
const PROJECT_FILES = [
  'package.json', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'composer.json', 'manage.py', 'pyproject.toml',
  'requirements.txt', 'setup.py', 'Gemfile', 'go.mod', 'Dockerfile',
];

const cache = new Map<string, string>();

/**
 * The app folder a file belongs to: the nearest folder (up to the working directory) holding a
 * project file or a .csproj, else the file's own folder. Shown path, like every location.
 */
export function appRootOf(absPath: string): string {
  const stop = process.cwd();
  const start = path.dirname(absPath);
  const cached = cache.get(start);
  if (cached !== undefined) return cached;
  let dir = start;
  let found = start;
  for (;;) {
    if (PROJECT_FILES.some((name) => existsSync(path.join(dir, name))) || hasCsproj(dir)) {
      found = dir;
      break;
    }
    const parent = path.dirname(dir);
    if (dir === stop || parent === dir) break;
    dir = parent;
  }
  const shown = found === stop ? '.' : displayPath(found);
  cache.set(start, shown);
  return shown;
}

function hasCsproj(dir: string): boolean {
  try {
    // One listing per folder walked; the answer is cached per starting folder.
    return readdirSync(dir).some((name) => name.endsWith('.csproj'));
  } catch {
    return false;
  }
}
