import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.js';

/**
 * Write a whole file or nothing: into a temporary file beside it, then rename over the target. A
 * reader sees the old or the new content, never a mix, even if the process is killed. `durable`
 * (default) also fsyncs the file and its folder, so a machine crash keeps it too; run checkpoints
 * rewritten every batch skip that.
 */
export function writeFileAtomic(target: string, text: string, options: { durable?: boolean; mode?: number } = {}): void {
  const durable = options.durable ?? true;
  if (isSpecialFile(target)) {
    // /dev/stdout, /dev/null, a FIFO: nothing to replace atomically, and renaming over them would be wrong.
    try {
      writeFileSync(target, text);
    } catch (error) {
      throw new InputError(`cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`, target);
    }
    return;
  }
  const temporary = path.join(path.dirname(path.resolve(target)), `.${path.basename(target)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'w', options.mode ?? 0o644);
    writeSync(fd, text);
    if (durable) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, target);
    if (durable) syncDir(path.dirname(path.resolve(target)));
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was written there
    }
    throw new InputError(`cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`, target);
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some filesystems refuse fsync on a directory: the rename is still atomic
  }
}

function isSpecialFile(target: string): boolean {
  try {
    return !statSync(target).isFile();
  } catch {
    return false; // does not exist yet: a new regular file
  }
}

/** Colour only for a person at a terminal: honours NO_COLOR and FORCE_COLOR (https://no-color.org). */
export function wantsColor(stream: NodeJS.WriteStream): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (process.env.NO_COLOR) return false;
  return stream.isTTY === true && process.env.TERM !== 'dumb';
}
