import { Option, type Command } from 'commander';
import { connectionArgs, withConnection } from './cli-connection.js';
import { EXIT_ERROR, EXIT_OK, durationFlag, printError } from './cli-support.js';
import { UsageError } from './errors.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** A repeat of the stop signal within this time is the same stop, not a second Ctrl-C. */
const REPEAT_MS = 1000;

/**
 * Ctrl-C and SIGTERM stop the watch cleanly (unsubscribe, restore, close); a second one quits at once.
 * A repeat within REPEAT_MS is ignored: wrappers often deliver one stop twice (`timeout` signals the
 * child and then its process group; supervisors signal every process of the group), and quitting at
 * once would leave notify-keyspace-events changed.
 */
function onStopSignals(controller: AbortController): () => void {
  let firstAt = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted && Date.now() - firstAt < REPEAT_MS) return;
    if (controller.signal.aborted) {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      process.stderr.write('session-audit: quitting at once: a notify-keyspace-events value changed by --enable-notifications may not be put back\n');
      process.kill(process.pid, signal);
      return;
    }
    firstAt = Date.now();
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export function defineWatchCommand(program: Command, setExit: (code: number) => void): void {
  withConnection(
    program
      .command('watch')
      .description('live view during an incident: sessions created, expired, deleted and evicted per second, and alive, per namespace'),
  )
    .addOption(new Option('-f, --format <format>', 'table (redrawn in place at a terminal) or json (one line per interval); default: table at a terminal, else json').choices(['table', 'json']))
    .option('--interval <duration>', 'time between reports, e.g. 1s, 500ms, 5s', '1s')
    .option('--duration <duration>', 'stop by itself after this long, e.g. 30s, 5m (default: until Ctrl-C)')
    .option('--namespace <glob>', 'only keys matching this Redis glob, e.g. "sess:*" (repeatable: any of them)', collect)
    .option('--session-pattern <glob>', 'also treat keys matching this glob as sessions, e.g. "myapp:sess:*" (repeatable)', collect)
    .option('--enable-notifications', 'add the missing notify-keyspace-events flags (CONFIG SET) and put the old value back on exit')
    .option('--sample <n>', 'keys per master a SCAN looks at: at start, and every interval without notifications', '10000')
    .addHelpText(
      'after',
      `
With keyspace notifications on (notify-keyspace-events with E, and x expired, g del/unlink, e evicted,
n new keys on Redis >= 7 or $/h set/hset before), one subscriber per master counts every event.
Without them it samples INFO and a bounded SCAN each interval and says "notifications off: sampling".
The server's configuration is never changed unless --enable-notifications is given; then the old
value is put back on exit (Ctrl-C, SIGTERM, --duration, or an error).

JSON line per interval: {"time", "source", "mode", "notice", "seconds", "alive", "created",
"namespaces": [{"pattern", "framework", "session", "counts", "perSecond", "alive", "aliveMargin"}], "server", "notes"}
Exit 0: stopped by Ctrl-C / SIGTERM / --duration; 2: bad usage, store unreachable or lost, or the
old notify-keyspace-events value could not be put back.

Examples:
  $ session-audit watch --redis redis://127.0.0.1:6379
  $ session-audit watch --redis redis://10.0.0.5:7000 --cluster --namespace "sess:*"
  $ session-audit watch --redis redis://127.0.0.1:6379 --enable-notifications
  $ session-audit watch --redis redis://127.0.0.1:6379 --duration 30s --format json > watch.jsonl`,
    )
    .action(async (options) => {
      const interval = await durationFlag('--interval', options.interval, '1s, 500ms, 5s');
      if (interval < 0.1) throw new UsageError(`--interval must be at least 100ms (got "${options.interval}")`);
      const duration = options.duration !== undefined ? await durationFlag('--duration', options.duration, '30s, 5m') : undefined;
      const sample = Number(options.sample);
      if (!/^\d+$/.test(String(options.sample).trim()) || !(sample > 0)) throw new UsageError(`--sample must be a whole number above 0 (got "${options.sample}")`);
      const format: 'table' | 'json' = options.format ?? (process.stdout.isTTY ? 'table' : 'json');
      const live = format === 'table' && process.stdout.isTTY === true;

      const { runWatch, restoreProblem } = await import('./commands/watch.js');
      const { InPlace, renderJsonLine, renderTable } = await import('./watch/render.js');
      const { wantsColor } = await import('./output.js');
      let style: import('./watch/render.js').TableStyle | undefined;
      if (format === 'table' && wantsColor(process.stdout)) {
        const { default: chalk } = await import('chalk');
        style = { bold: chalk.bold, dim: chalk.dim, session: chalk.green, warn: chalk.yellow };
      }
      const columns = () => process.stdout.columns || 100;
      const screen = live ? new InPlace((text) => process.stdout.write(text), columns, () => process.stdout.rows || 0) : undefined;

      const controller = new AbortController();
      const release = onStopSignals(controller);
      if (live) process.stdout.write('\x1b[?25l'); // cursor hidden while redrawing
      let result;
      try {
        result = await runWatch({
          connection: connectionArgs(options),
          interval,
          duration,
          namespaces: options.namespace ?? [],
          sessionPatterns: options.sessionPattern ?? [],
          enableNotifications: options.enableNotifications === true,
          sample,
          signal: controller.signal,
          warn: (line) => printError(line),
          onInterval: (report) => {
            if (format === 'json') process.stdout.write(renderJsonLine(report));
            else if (screen) screen.show(`${renderTable(report, { width: columns(), maxRows: Math.max(3, (process.stdout.rows || 40) - 10 - report.notes.length), style })}Ctrl-C to stop\n`);
            else process.stdout.write(`${renderTable(report, { width: 120, maxRows: 1000 })}\n`);
          },
        });
      } finally {
        if (live) process.stdout.write('\x1b[?25h');
        release();
      }
      for (const outcome of result.restored) {
        if (outcome.restored) printError(`${outcome.source}: notify-keyspace-events put back to "${outcome.old}"`);
        else printError(restoreProblem(outcome));
      }
      setExit(result.restored.every((outcome) => outcome.restored || outcome.leftAsIs) ? EXIT_OK : EXIT_ERROR);
    });
}
