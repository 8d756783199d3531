import type { Command } from 'commander';

/** `session-audit token decode` (being written). */
export function defineTokenDecode(token: Command, _setExit: (code: number) => void): void {
  void token;
}
