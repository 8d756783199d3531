import { Option, type Command } from 'commander';
import { printError } from './cli-support.js';

/** `session-audit token verify`: signature and claims, exit 0 valid / 1 invalid (one line why) / 2 error. */
export function defineTokenVerify(token: Command, setExit: (code: number) => void): void {
  token
    .command('verify')
    .description('check a token\'s signature and claims: exit 0 valid (prints the claims), 1 invalid (one line says why), 2 error')
    .argument('[token]', 'the token, or - to read stdin (Bearer, Authorization:/Cookie: lines, URLs and JSON are understood)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--secret <value>', 'HMAC secret (HS256/384/512), as UTF-8 text')
    .option('--secret-file <file>', 'HMAC secret read from a file (a text file\'s final newline is ignored)')
    .option('--key <file>', 'public key: PEM (SPKI, X.509 certificate, or a private key: its public part), a JWK, or a JWKS')
    .option('--jwks <file|url>', 'a JWKS file, or an http(s) URL fetched once (no redirects)')
    .option('--issuer <url>', 'OIDC issuer: keys from <url>/.well-known/openid-configuration -> jwks_uri; checks iss too')
    .option('--alg <list>', 'allowed algorithms, comma-separated (default: those the key fits; "none" is never allowed)')
    .option('--iss <list>', 'expected issuer(s), comma-separated')
    .option('--aud <list>', 'expected audience(s), comma-separated: the token must name at least one')
    .option('--sub <value>', 'expected subject')
    .option('--max-age <duration>', 'reject tokens issued (iat) longer ago than this: 15m, 1h, 1d')
    .option('--clock-tolerance <duration>', 'leeway for exp, nbf and iat: 30s, 2m', '0')
    .option('--require <claims>', 'claims that must be present, comma-separated: jti,exp')
    .option('--now <time>', 'judge the token at this moment: ISO 8601 (2025-11-03T10:00:00Z) or epoch seconds')
    .option('--denylist <url>', 'also check the token against the denylist "token revoke" writes in this Redis (read-only: EXISTS, GET), redis[s]://[user[:password]@]host[:port][/db]')
    .option('--denylist-prefix <prefix>', 'the denylist key prefix: <prefix>jti:<jti>, <prefix>sub:<sub> (default: revoked:)')
    .option('--timeout <duration>', 'time limit for fetching a JWKS or discovery document', '5s')
    .option('--batch <file>', 'verify one token per line of FILE (- for stdin): JSON lines, then a final {"summary":{...}} line')
    .addOption(new Option('--threads <n>', '--batch worker threads (default: one per core)').argParser((value) => Number(value)).hideHelp())
    .addHelpText(
      'after',
      `
Give exactly one of --secret, --secret-file, --key, --jwks, --issuer.
Valid: exit 0; text: the claims and times; --format json:
  {"source", "valid": true, "alg", "key", "header", "claims", "times", "denylist"?, "now"}
Invalid: exit 1 and ONE line on stderr, e.g.
  session-audit: invalid token: expired 2025-11-03T10:00:00Z, 3 days ago
  session-audit: invalid token: signature does not match the key with kid 'abc'
  session-audit: invalid token: aud is 'web', expected 'api'
(with --format json, {"source", "valid": false, "reason"} on stdout too).
With --denylist, a valid token is invalid when <prefix>jti:<jti> exists ("revoked: jti 'x' is on the
denylist"), or when <prefix>sub:<sub> holds a cutoff and its iat is before it ("revoked: tokens of sub
'alice' issued before ..."); a token without a jti is invalid too: it cannot be checked ("no jti: ...").
--batch writes {"source": "file:line", "valid": true, "claims": {...}} or {"source", "valid": false,
"reason"} per token, then {"summary": {"lines", "tokens", "valid", "invalid", "noToken", "revoked"?}} as
the last line; exit 1 when any token is invalid or a non-blank line holds none (# lines are skipped).
Bad arguments, unreadable keys, an unreachable or invalid JWKS / discovery document / denylist: exit 2.

Examples:
  $ session-audit token verify "$TOKEN" --secret "$JWT_SECRET"
  $ session-audit token verify "$TOKEN" --key public.pem --aud api --iss https://auth.example.com
  $ session-audit token verify - --issuer https://accounts.google.com --aud my-client-id < token.txt
  $ session-audit token verify "$TOKEN" --jwks https://auth.example.com/.well-known/jwks.json --alg RS256
  $ session-audit token verify "$TOKEN" --key public.pem --denylist redis://127.0.0.1:6379
  $ session-audit token verify --batch tokens.txt --secret-file secret.txt --require jti,exp`,
    )
    .action(async (argument: string | undefined, options) => {
      const { runTokenVerify } = await import('./commands/token-verify.js');
      const { wantsColor } = await import('./output.js');
      const { streamWriter } = await import('./tokens/render-token.js');
      const result = await runTokenVerify({
        token: argument,
        ...options,
        clockTolerance: options.clockTolerance,
        color: wantsColor(process.stdout),
        write: streamWriter(process.stdout),
        stderr: printError,
      });
      setExit(result.exitCode);
    });
}
