/**
 * The text form of revoke and restore results (stdout). Keys appear only as masked examples
 * (mask-key.ts); values never. `--format json` prints the result object itself instead.
 */
import type { RevokeSummary } from '../commands/revoke.js';
import type { RestoreSummary } from '../commands/restore.js';
import { commandLine } from './command-line.js';

const n = (value: number) => value.toLocaleString('en-US');
const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;

function describeFilter(filter: Record<string, unknown>): string {
  const parts = Object.entries(filter).map(([name, value]) => (value === true ? name : `${name}=${Array.isArray(value) ? value.join(',') : String(value)}`));
  return parts.join(' ') || '(none)';
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => `  ${row.map((cell, column) => (column === 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ')}`.trimEnd());
}

export function renderRevoke(summary: RevokeSummary): string {
  const out: string[] = [];
  const where = `${summary.source} (${summary.mode})`;
  if (summary.dryRun) {
    out.push(
      summary.resumed
        ? `DRY RUN: nothing was deleted. Run ${summary.runId}: ${n(summary.revoked)} of ${plural(summary.matched, 'session')} revoked so far on ${where}.`
        : `DRY RUN: nothing was deleted. ${plural(summary.matched, 'session')} would be revoked on ${where}.`,
    );
  } else {
    out.push(
      summary.matched === 0
        ? `No session matched on ${where}: nothing was deleted (run ${summary.runId}).`
        : `Revoked ${plural(summary.revoked, 'session')} on ${where}, run ${summary.runId}${summary.resumed ? ' (resumed)' : ''}.`,
    );
  }
  out.push(`filter: ${describeFilter(summary.filter)}`);
  const namespaces = Object.entries(summary.byNamespace);
  if (namespaces.length > 0) {
    out.push('');
    const count = (ns: (typeof namespaces)[number][1]) => n(summary.dryRun && !summary.resumed ? ns.matched : ns.revoked);
    out.push(
      ...table([
        ['namespace', 'framework', summary.dryRun && !summary.resumed ? 'sessions' : 'revoked', 'examples'],
        ...namespaces.map(([pattern, ns]) => [pattern, ns.name, count(ns), ns.examples.join(', ')]),
      ]),
    );
  }
  if (summary.spring) {
    const { expiryKeys, indexEntries, staleIndexEntries } = summary.spring;
    out.push(`  + Spring Session: ${plural(expiryKeys, 'expiry key')}, ${plural(indexEntries, 'principal index entry', 'principal index entries')} ${summary.dryRun ? 'would go with them' : 'removed with them'}${staleIndexEntries ? ` (${n(staleIndexEntries)} index entries name sessions already gone: left as they are)` : ''}`);
  }
  if (!summary.dryRun && summary.notFound > 0) out.push(`  ${n(summary.notFound)} of them were already gone (expired meanwhile, or deleted by an interrupted attempt)`);
  if (summary.reappeared > 0) out.push(`  ${n(summary.reappeared)} were there again after an earlier attempt had deleted them (a restarted server that lost writes?): deleted again`);
  if (summary.unreadable.length > 0) {
    out.push('', 'Not selected, because their value could not be read (never guessed):');
    for (const entry of summary.unreadable) out.push(`  ${entry.pattern} (${entry.framework}): ${plural(entry.count, 'session')}: ${entry.reason}`);
  }
  if (summary.rejected.length > 0) {
    out.push('', 'Not treated as sessions:');
    for (const line of summary.rejected) out.push(`  ${line}`);
  }
  if (summary.notes.length > 0) {
    out.push('');
    for (const line of summary.notes) out.push(`note: ${line}`);
  }
  out.push('');
  if (summary.dryRun) {
    if (summary.matched === 0 && !summary.resumed) out.push('Nothing to do.');
    else {
      out.push(`To ${summary.resumed ? 'resume' : 'revoke them'}${summary.passwordRemoved ? ' (password removed: give it with REDISCLI_AUTH)' : ''}:`, `  ${summary.command}`);
      if (!summary.resumed && !/\s--backup[\s=]/.test(` ${summary.command}`)) out.push('Add --backup FILE to be able to bring them back with `session-audit restore`.');
    }
  } else {
    if (summary.backup) {
      const restore = commandLine('restore', ['--backup', summary.backup.file, '--redis', summary.source], ['--yes']).text;
      out.push(`backup: ${summary.backup.file} (${plural(summary.backup.entries, 'entry', 'entries')}); to undo: ${restore}`);
    } else out.push('backup: none (the deleted sessions cannot be restored)');
    out.push(`audit log: ${summary.auditLog ?? 'off'}`);
    out.push(`took ${(summary.durationMs / 1000).toFixed(1)} s`);
  }
  return `${out.join('\n')}\n`;
}

export function renderRestore(summary: RestoreSummary): string {
  const out: string[] = [];
  const where = `${summary.source} (${summary.mode})`;
  out.push(
    summary.dryRun
      ? `DRY RUN: nothing was written. ${plural(summary.restored, 'key')} of ${n(summary.keys)} in the backup would be restored into ${where}.`
      : `Restored ${plural(summary.restored, 'key')} of ${n(summary.keys)} in the backup into ${where}.`,
  );
  out.push(`backup: ${summary.backup} (revoke run ${summary.runId}); TTL: ${summary.ttlMode === 'recorded' ? 'the time each key had left when revoked' : 'each key\'s original expiry moment'}`);
  if (summary.existing.count > 0) out.push(`  skipped ${plural(summary.existing.count, 'key')} that exist again (never replaced): ${summary.existing.examples.join(', ')}`);
  if (summary.expired.count > 0) out.push(`  skipped ${plural(summary.expired.count, 'key')} that expired while revoked: ${summary.expired.examples.join(', ')}`);
  if (summary.failed.count > 0) {
    out.push(`  ${plural(summary.failed.count, 'key')} refused by the server:`);
    for (const [reason, count] of Object.entries(summary.failed.reasons)) out.push(`    ${n(count)}: ${reason}`);
  }
  if (summary.indexEntries.entries > 0) out.push(`  Spring Session index entries: ${n(summary.indexEntries.restored)} of ${n(summary.indexEntries.entries)} ${summary.dryRun ? 'would be added back' : 'added back'}`);
  for (const line of summary.notes) out.push(`note: ${line}`);
  if (summary.dryRun) out.push('', 'Add --yes to restore them.');
  else out.push(`audit log: ${summary.auditLog ?? 'off'}`, `took ${(summary.durationMs / 1000).toFixed(1)} s`);
  return `${out.join('\n')}\n`;
}
