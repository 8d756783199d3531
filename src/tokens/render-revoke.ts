/** `token revoke`'s text output: what the entry held, what is (or would be) written, and what to run. */
import type { EntryState, TokenRevokeSummary } from '../commands/token-revoke.js';
import { humanSpan, isoTime } from './times.js';
import { safeText } from './verify-errors.js';

/** "expires in 42m (2026-11-28T05:00:00Z)", or "no TTL". */
export function describeTtl(ttlMs: number | null, nowMs: number): string {
  if (ttlMs === null || ttlMs < 0) return 'no TTL: stays until deleted';
  return `expires in ${humanSpan(Math.ceil(ttlMs / 1000))} (${isoTime(Math.ceil((nowMs + ttlMs) / 1000))})`;
}

const what = (summary: TokenRevokeSummary) =>
  summary.kind === 'jti' ? `token jti '${safeText(summary.id)}'` : `every token of sub '${safeText(summary.id)}' issued before ${summary.at}`;

function describeState(state: EntryState, kind: TokenRevokeSummary['kind'], nowMs: number): string {
  const seconds = Number(state.value);
  const value = Number.isFinite(seconds) && /^\d+$/.test(state.value) ? isoTime(seconds) : `'${safeText(state.value, 30)}'`;
  return `${kind === 'sub' ? 'cutoff' : 'revoked at'} ${value}, ${describeTtl(state.ttlMs, nowMs)}`;
}

export function renderTokenRevoke(summary: TokenRevokeSummary, nowMs: number): string {
  const lines: string[] = [];
  if (summary.ttlMs !== null && summary.ttlMs <= 0) {
    lines.push(`nothing to do: ${what(summary)}`, ...summary.notes.map((note) => `  ${note}`));
    return `${lines.join('\n')}\n`;
  }
  const key = safeText(summary.key, 200);
  if (summary.dryRun) {
    lines.push(`dry run: nothing written. On ${summary.source} this would revoke ${what(summary)}:`);
    lines.push(`  ${key} = ${summary.value} (${summary.at}), ${describeTtl(summary.ttlMs, nowMs)}`);
    lines.push(`  now: ${summary.before ? describeState(summary.before, summary.kind, nowMs) : 'not on the denylist'}`);
    for (const note of summary.notes) lines.push(`  note: ${note}`);
    lines.push('To write it, run:', `  ${summary.command}`);
    return `${lines.join('\n')}\n`;
  }
  const after = summary.after!;
  lines.push(summary.changed ? `revoked ${what(summary)} on ${summary.source}` : `already revoked: ${what(summary)} on ${summary.source} (a later cutoff or a longer TTL was there; kept)`);
  lines.push(`  ${key}: ${describeState(after, summary.kind, nowMs)}`);
  for (const note of summary.notes) lines.push(`  note: ${note}`);
  if (summary.auditLog) lines.push(`  audit log: ${summary.auditLog}`);
  lines.push("  verifiers that check the denylist now refuse it (session-audit token verify --denylist URL; the README shows an application's check)");
  return `${lines.join('\n')}\n`;
}
