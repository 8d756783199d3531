import { Option, type Command } from 'commander';
import { printError } from './cli-support.js';

/** `session-audit token decode`: header, payload and times of a JWS or JWE, nothing verified. */
export function defineTokenDecode(token: Command, setExit: (code: number) => void): void {
  token
    .command('decode')
    .description('print a token\'s header, payload and times (exp, iat, nbf, auth_time); JWE: decrypts with a key. Verifies nothing')
    .argument('[token]', 'the token, or - to read stdin (Bearer, Authorization:/Cookie: lines, URLs and JSON are understood)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--batch <file>', 'decode one token per line of FILE (- for stdin): JSON lines, then a final {"summary":{...}} line')
    .option('--now <time>', 'judge the times at this moment: ISO 8601 (2025-11-03T10:00:00Z) or epoch seconds')
    .option('--key <file>', 'JWE: the private key (PEM PKCS#8/PKCS#1/SEC1, or a JWK; an "oct" JWK for dir/A*KW)')
    .option('--secret <value>', 'JWE: the shared key (dir, A*KW) or password (PBES2), as UTF-8 text')
    .option('--secret-file <file>', 'JWE: the same, read from a file (a text file\'s final newline is ignored)')
    .addHelpText(
      'after',
      `
The signature is never printed, only its length. With --format json the output is
  {"source", "form": "jws"|"jwe", "header", "payload": {...}|null, "times": {"exp": {"value", "iso", "relative"}, ...},
   "signature": {"bytes": N} (JWS) | "encryption": {"decrypted", "key"?} (JWE), "notes"?, "now"}
--batch writes that object, compact, once per token (or {"source", "error"} for a line that cannot be
decoded), then {"summary": {"lines", "tokens", "decoded", "errors", "noToken"}} as the last line.
Blank lines and lines starting with # are skipped. Exit: 0 decoded, 1 (--batch) some line failed, 2 error.

Examples:
  $ session-audit token decode eyJhbGciOi...
  $ pbpaste | session-audit token decode -
  $ session-audit token decode 'Authorization: Bearer eyJhbGciOi...' --format json
  $ session-audit token decode "$ENCRYPTED" --key private.pem
  $ session-audit token decode --batch tokens.txt --now 2025-11-03T10:00:00Z`,
    )
    .action(async (argument: string | undefined, options) => {
      const { runTokenDecode } = await import('./commands/token-decode.js');
      const { wantsColor } = await import('./output.js');
      const { streamWriter } = await import('./tokens/render-token.js');
      const result = await runTokenDecode({
        token: argument,
        batch: options.batch,
        format: options.format,
        now: options.now,
        key: options.key,
        secret: options.secret,
        secretFile: options.secretFile,
        color: wantsColor(process.stdout),
        write: streamWriter(process.stdout),
        stderr: printError,
      });
      setExit(result.exitCode);
    });
}
