import type { Command } from 'commander';

/** `session-audit token verify` (being written). */
export function defineTokenVerify(token: Command, _setExit: (code: number) => void): void {
  void token;
}
