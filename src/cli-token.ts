import type { Command } from 'commander';
import { defineTokenAudit } from './cli-token-audit.js';
import { defineTokenCrack } from './cli-token-crack.js';
import { defineTokenDecode } from './cli-token-decode.js';
import { defineTokenRevoke } from './cli-token-revoke.js';
import { defineTokenVerify } from './cli-token-verify.js';

/** `session-audit token decode|verify|audit|crack`: the wiring of each lives in its own file. */
export function defineTokenCommand(program: Command, setExit: (code: number) => void): void {
  const token = program
    .command('token')
    .description('read, verify and judge JWT / JWS / JWE tokens (decode, verify, audit, crack), and revoke them')
    .addHelpText(
      'after',
      `
Every token command takes the token as an argument or - for stdin, and accepts what people paste:
a bare token, "Bearer <token>", an Authorization: or Cookie: header line, a URL with a token
parameter, a line of JSON. With --batch it reads one token per line from a file or stdin.`,
    );
  defineTokenDecode(token, setExit);
  defineTokenVerify(token, setExit);
  defineTokenAudit(token, setExit);
  defineTokenCrack(token, setExit);
  defineTokenRevoke(token, setExit);
}
