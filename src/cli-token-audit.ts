import type { Command } from 'commander';

/** `session-audit token audit` (being written). */
export function defineTokenAudit(token: Command, _setExit: (code: number) => void): void {
  void token;
}
