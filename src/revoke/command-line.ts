/**
 * The exact command line a dry run prints ("this would do it"), rebuilt from the arguments given:
 * passwords removed from --redis URLs and --sentinel addresses (the password then comes from
 * REDISCLI_AUTH / SESSION_AUDIT_SENTINEL_AUTH), `--yes` added, each argument shell-quoted.
 */
import { redactUrl } from '../stores/redis/url.js';
import { redactSentinel } from './connection.js';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface RedactedArgs {
  args: string[];
  /** A password was removed. */
  redacted: boolean;
}

export function redactArgs(args: readonly string[]): RedactedArgs {
  const out: string[] = [];
  let redacted = false;
  const clean = (flag: string, value: string) => {
    const next = flag === '--redis' ? redactUrl(value) : flag === '--sentinel' ? redactSentinel(value) : value;
    if (next !== value) redacted = true;
    return next;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = /^(--redis|--sentinel)=(.*)$/s.exec(arg);
    if (eq) out.push(`${eq[1]}=${clean(eq[1], eq[2])}`);
    else if ((arg === '--redis' || arg === '--sentinel') && i + 1 < args.length) out.push(arg, clean(arg, args[++i]));
    else out.push(arg);
  }
  return { args: out, redacted };
}

/** `session-audit <command> <args...> [extra]`, redacted and quoted; flags in `drop` are left out. */
export function commandLine(command: string, args: readonly string[], extra: readonly string[] = [], drop: readonly string[] = []): { text: string; redacted: boolean } {
  const { args: clean, redacted } = redactArgs(args);
  const kept = clean.filter((arg) => !drop.includes(arg));
  return { text: ['session-audit', command, ...kept, ...extra].map(shellQuote).join(' '), redacted };
}
