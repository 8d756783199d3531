/**
 * The audit log: one JSON line per batch deleted (or restored), appended and synced, so that "who
 * revoked what, when" survives the terminal. Default `$XDG_STATE_HOME/session-audit/audit.log`
 * (`~/.local/state/session-audit/audit.log`); `--audit-log FILE` elsewhere; `--no-audit-log` off.
 *
 * A line: { time, event, runId, batch, keys, source, mode, who: { os, acl, host }, filter, ... }.
 * Never a value, never a key name: counts only.
 */
import { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import { InputError } from '../errors.js';

export interface Who {
  /** The OS user running session-audit. */
  os: string | null;
  /** The Redis ACL user (ACL WHOAMI), or null when the server did not say. */
  acl: string | null;
  host: string;
}

export function osUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? null;
  }
}

export class AuditLog {
  private fd: number;

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opened before anything is deleted: a log that cannot be written stops the run at the start. */
  static open(file: string): AuditLog {
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      return new AuditLog(file, openSync(file, 'a', 0o600));
    } catch (error) {
      throw new InputError(
        `cannot write the audit log (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give another file with --audit-log FILE, or --no-audit-log`,
        file,
      );
    }
  }

  /** `sync`: fdatasync now (start, end and errors of a run); batch lines are synced when the log closes. */
  write(entry: Record<string, unknown>, sync = true): void {
    try {
      writeSync(this.fd, `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
      if (sync) fdatasyncSync(this.fd);
    } catch (error) {
      throw new InputError(`cannot append to the audit log (${(error as NodeJS.ErrnoException).code ?? 'error'})`, this.file);
    }
  }

  close(): void {
    try {
      fdatasyncSync(this.fd);
    } catch {
      // best effort
    }
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

export function whoAmI(acl: string | null): Who {
  return { os: osUser(), acl, host: hostname() };
}
