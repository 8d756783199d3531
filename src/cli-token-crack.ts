import type { Command } from 'commander';

/** `session-audit token crack` (being written). */
export function defineTokenCrack(token: Command, _setExit: (code: number) => void): void {
  void token;
}
