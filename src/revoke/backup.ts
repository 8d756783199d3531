/**
 * `--backup FILE`: what `revoke` deleted, so that `restore` can bring it back exactly. JSON lines:
 *
 *   {"sessionAudit":"backup","version":1,"source":"redis://h:6379","mode":"standalone","runId":"...","createdAt":"..."}
 *   {"key":"sess:abc","pttl":86399000,"dump":"<base64 of DUMP>","at":1762164000000}
 *   {"key":"...","pttl":-1,"dump":"...","at":...,"node":"10.0.0.5:7000"}             (cluster: the node it was on)
 *   {"sadd":"spring:session:index:...:bob","member":"<session id>","pttl":-1,"at":...}  (a Spring index entry removed)
 *
 * `pttl` is the remaining time to live in ms when the key was dumped (-1: none); `at` when, in epoch
 * ms. Each batch's lines are written and fsynced BEFORE that batch's UNLINKs are sent, so a key is
 * never deleted before its backup is on disk. The file is created 0600 (session values are
 * credentials) and never overwritten: a resumed run appends to it. A key may appear twice when a
 * batch was interrupted and redone; restore uses its last line.
 */
import { closeSync, createReadStream, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError, UsageError } from '../errors.js';
import { jsonString } from './ops.js';

export const BACKUP_VERSION = 1;

export interface BackupHeader {
  sessionAudit: 'backup';
  version: number;
  source: string;
  mode: string;
  runId: string;
  createdAt: string;
}

export type BackupEntry =
  | { kind: 'key'; key: string; pttl: number; dump: string; at: number; node?: string; line: number }
  | { kind: 'sadd'; key: string; member: string; pttl: number; at: number; node?: string; line: number };

const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

export class BackupWriter {
  private constructor(
    readonly file: string,
    private readonly fd: number,
  ) {}

  /** A new backup file; an existing file is never overwritten. */
  static create(file: string, header: Omit<BackupHeader, 'sessionAudit' | 'version'>): BackupWriter {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if (code(error) === 'EEXIST') throw new UsageError(`--backup ${file}: the file exists; a backup is never overwritten (choose a new file name)`);
      throw new InputError(`cannot create the backup (${code(error)})`, file);
    }
    const writer = new BackupWriter(file, fd);
    writer.write(`${JSON.stringify({ sessionAudit: 'backup', version: BACKUP_VERSION, ...header })}\n`);
    writer.sync();
    return writer;
  }

  /** The backup of a run being resumed: its header must name that run. */
  static reopen(file: string, runId: string): BackupWriter {
    const header = readHeader(file);
    if (header.runId !== runId) throw new InputError(`this backup belongs to run ${header.runId}, not ${runId}`, file);
    try {
      return new BackupWriter(file, openSync(file, 'a', 0o600));
    } catch (error) {
      throw new InputError(`cannot append to the backup (${code(error)})`, file);
    }
  }

  write(text: string): void {
    try {
      writeSync(this.fd, text);
    } catch (error) {
      throw new InputError(`cannot write the backup (${code(error)}); nothing of this batch was deleted`, this.file);
    }
  }

  sync(): void {
    try {
      fsyncSync(this.fd);
    } catch (error) {
      throw new InputError(`cannot sync the backup (${code(error)}); nothing of this batch was deleted`, this.file);
    }
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

export function keyLine(key: string, pttl: number, dump: Buffer, at: number, node?: string): string {
  return `{"key":${jsonString(key)},"pttl":${pttl},"dump":"${dump.toString('base64')}","at":${at}${node ? `,"node":${jsonString(node)}` : ''}}\n`;
}

export function saddLine(key: string, member: string, pttl: number, at: number, node?: string): string {
  return `{"sadd":${jsonString(key)},"member":${jsonString(member)},"pttl":${pttl},"at":${at}${node ? `,"node":${jsonString(node)}` : ''}}\n`;
}

/** The first line of a backup file, checked. */
export function readHeader(file: string): BackupHeader {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new InputError(`cannot read the backup (${code(error)})`, file);
  }
  let text = '';
  try {
    const buffer = Buffer.alloc(4096);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    text = buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const first = text.split('\n')[0];
  let header: Partial<BackupHeader>;
  try {
    header = JSON.parse(first) as Partial<BackupHeader>;
  } catch {
    throw new InputError('not a session-audit backup (the first line is not its JSON header)', file);
  }
  if (header?.sessionAudit !== 'backup') throw new InputError('not a session-audit backup (no "sessionAudit": "backup" header)', file);
  if (header.version !== BACKUP_VERSION) throw new InputError(`backup version ${header.version} is not supported (this session-audit reads version ${BACKUP_VERSION})`, file);
  return header as BackupHeader;
}

/** Every entry of a backup after its header, in file order; a line cut short at the end (a killed run) is skipped. */
export async function* readEntries(file: string): AsyncGenerator<BackupEntry> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  let pendingError: InputError | undefined;
  for await (const text of lines) {
    number++;
    if (number === 1 || text.trim() === '') continue;
    // A bad line in the middle is an error; only a damaged LAST line is the normal trace of a kill.
    if (pendingError) throw pendingError;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(text) as Record<string, unknown>;
    } catch {
      pendingError = new InputError('damaged line (not JSON)', file, number);
      continue;
    }
    const node = typeof value.node === 'string' ? value.node : undefined;
    if (typeof value.key === 'string' && typeof value.dump === 'string' && typeof value.pttl === 'number' && typeof value.at === 'number') {
      yield { kind: 'key', key: value.key, pttl: value.pttl, dump: value.dump, at: value.at, node, line: number };
    } else if (typeof value.sadd === 'string' && typeof value.member === 'string' && typeof value.pttl === 'number' && typeof value.at === 'number') {
      yield { kind: 'sadd', key: value.sadd, member: value.member, pttl: value.pttl, at: value.at, node, line: number };
    } else {
      throw new InputError('not a backup entry (expected "key", "pttl", "dump", "at")', file, number);
    }
  }
}
