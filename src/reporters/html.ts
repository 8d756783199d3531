import { SEVERITIES, type Finding, type Severity } from '../model/index.js';
import type { StoreReport } from '../stores/store-report.js';
import { formatDuration } from '../util/duration.js';
import { esc } from './html-escape.js';
import { hasMap, unlinkedEntries } from './map-common.js';
import { NODE_COLORS, svgMap } from './svg-map.js';
import { whereOf } from './table.js';
import { ttlChart } from './ttl-chart.js';
import { formatBucket, svgTimeSeries } from './svg-chart.js';
import type { LogsSection } from '../logs/analyse.js';
import { scopeOf } from './scope.js';
import type { Reporter, ScanLikeReport } from './types.js';

const SEVERITY_TITLES: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

const count = (value: number) => value.toLocaleString('en-US');
const plural = (value: number, word: string) => `${count(value)} ${word}${value === 1 ? '' : 's'}`;
const seconds = (value: number | null) => (value === null ? '–' : formatDuration(value));
const bytes = (value: number | null) =>
  value === null
    ? '–'
    : value < 1024
      ? `${value} B`
      : value < 1048576
        ? `${(value / 1024).toFixed(0)} KiB`
        : value < 1073741824
          ? `${(value / 1048576).toFixed(1)} MiB`
          : `${(value / 1073741824).toFixed(1)} GiB`;
const yesNo = (value: boolean | null) => (value === null ? 'unknown' : value ? 'yes' : 'no');

const CSS = `
:root { color-scheme: light; --ink: #0f172a; --muted: #475569; --faint: #64748b; --line: #e2e8f0; --bg: #f8fafc;
  --critical: ${NODE_COLORS.critical.stroke}; --high: ${NODE_COLORS.high.stroke}; --medium: ${NODE_COLORS.medium.stroke};
  --low: ${NODE_COLORS.low.stroke}; --info: ${NODE_COLORS.info.stroke}; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 22px; margin: 0; letter-spacing: -0.01em; }
h2 { font-size: 17px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 10px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
header .meta { color: var(--muted); margin: 4px 0 16px; }
.counts { display: flex; flex-wrap: wrap; gap: 10px; margin: 0; padding: 0; list-style: none; }
.counts li { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--sev, #cbd5e1); border-radius: 8px; padding: 8px 16px 8px 12px; min-width: 112px; }
.counts li.total { --sev: #334155; }
.counts li.zero { opacity: 0.55; }
.counts .n { display: block; font-size: 22px; font-weight: 650; line-height: 1.2; }
.counts .label { color: var(--muted); font-size: 12.5px; }
.sev-critical { --sev: var(--critical); } .sev-high { --sev: var(--high); } .sev-medium { --sev: var(--medium); }
.sev-low { --sev: var(--low); } .sev-info { --sev: var(--info); }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 16px; }
.map-scroll { overflow-x: auto; }
.session-map { display: block; font-family: inherit; width: 100%; min-width: 720px; height: auto; margin: 0 auto; }
.session-map .column-title { font-size: 11px; font-weight: 650; letter-spacing: 0.08em; text-transform: uppercase; fill: var(--faint); }
.session-map .node-name { font-size: 13px; font-weight: 600; fill: var(--ink); }
.session-map .node-fact { font-size: 11.5px; fill: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 12px 0 0; padding: 0; list-style: none; color: var(--muted); font-size: 12.5px; }
.legend li::before { content: ""; display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -2px; border-radius: 3px; border: 2px solid var(--sev, #94a3b8); background: color-mix(in srgb, var(--sev, #ffffff) 14%, white); }
details { margin-top: 12px; color: var(--muted); }
details ul { margin: 6px 0 0; padding-left: 20px; }
.group { margin-bottom: 8px; }
.group h3 { display: flex; align-items: center; gap: 8px; color: var(--sev); }
.group h3::before { content: ""; width: 10px; height: 10px; border-radius: 50%; background: var(--sev); }
.group h3 .n { color: var(--muted); font-weight: 500; font-size: 13px; }
.finding { background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--sev); border-radius: 8px; padding: 12px 16px; margin: 0 0 10px; }
.finding .head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 12px; margin-bottom: 4px; }
.finding .rule { font-weight: 600; }
.finding .where { color: var(--muted); word-break: break-all; }
.finding .message { margin: 4px 0 8px; font-size: 14.5px; }
.finding pre { margin: 0 0 8px; padding: 8px 10px; background: #f1f5f9; border-radius: 6px; white-space: pre-wrap; word-break: break-word; }
.finding .fix { margin: 0; color: #14532d; }
.finding .fix strong { color: #166534; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px; font-weight: 650; color: #fff; background: var(--sev); text-transform: uppercase; letter-spacing: 0.04em; }
.store { margin-bottom: 20px; }
.store h3 { margin-top: 0; word-break: break-all; }
.settings { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 6px 20px; margin: 0 0 14px; }
.settings div { display: flex; flex-direction: column; }
.settings dt { color: var(--faint); font-size: 12px; }
.settings dd { margin: 0; font-weight: 550; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; margin: 8px 0 14px; }
.charts figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px 10px 4px; background: #fff; }
.charts figcaption { font-size: 12.5px; color: var(--muted); margin-bottom: 4px; max-width: 372px; overflow-wrap: anywhere; }
.charts figcaption code { color: var(--ink); }
.ttl-chart { display: block; font-family: inherit; }
figure.timeline { margin: 0 0 14px; }
.timeline-chart { display: block; font-family: inherit; width: 100%; min-width: 720px; height: auto; }
.timeline-chart .series-name { font-size: 12px; font-weight: 600; fill: var(--ink); }
.timeline-chart .series-max, .timeline-chart .axis-label { font-size: 11px; fill: var(--muted); }
.ttl-chart .bar-count { font-size: 11px; font-weight: 600; fill: var(--ink); }
.ttl-chart .bar-count.bad { fill: var(--high); }
.ttl-chart .bar-label { font-size: 11px; fill: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; background: #f8fafc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.bad { color: var(--high); font-weight: 600; }
.table-scroll { overflow-x: auto; }
.notes { margin: 10px 0 0; padding-left: 20px; color: #92400e; }
.errors li { margin-bottom: 4px; }
footer { margin-top: 40px; color: var(--faint); font-size: 12px; }
`;

function header(report: ScanLikeReport): string {
  const { summary } = report;
  const extras = [
    summary.suppressed ? `${count(summary.suppressed)} suppressed` : '',
    summary.baselined ? `${count(summary.baselined)} in baseline` : '',
    summary.errors ? `${plural(summary.errors, 'input')} could not be read or parsed` : '',
  ].filter(Boolean);
  const counts = SEVERITIES.map((severity) => {
    const n = summary.bySeverity[severity] ?? 0;
    return `<li class="sev-${severity}${n === 0 ? ' zero' : ''}"><span class="n">${count(n)}</span><span class="label">${SEVERITY_TITLES[severity]}</span></li>`;
  });
  return [
    '<header>',
    '<h1>session-audit report</h1>',
    `<p class="meta">${esc(`${plural(summary.findings, 'finding')} in ${scopeOf(report)}${extras.length ? `; ${extras.join(', ')}` : ''}`)}</p>`,
    `<ul class="counts" aria-label="Findings by severity">${counts.join('')}</ul>`,
    '</header>',
  ].join('\n');
}

function mapSection(report: ScanLikeReport): string {
  if (!hasMap(report.map)) return '';
  const map = report.map;
  const legend = [
    ...SEVERITIES.map((severity) => `<li class="sev-${severity}">${SEVERITY_TITLES[severity]}</li>`),
    '<li>no findings</li>',
  ];
  const unlinked = unlinkedEntries(map).map(
    ({ text, where }) => `<li>${esc(text)}${where ? ` <code class="muted">${esc(where)}</code>` : ''}</li>`,
  );
  return [
    '<section id="map">',
    '<h2>Session map</h2>',
    '<div class="card">',
    `<div class="map-scroll">${svgMap(map)}</div>`,
    `<ul class="legend" aria-label="Border colour: worst finding about the node">${legend.join('')}</ul>`,
    unlinked.length > 0 ? `<details><summary>${esc(plural(unlinked.length, 'item'))} could not be linked</summary><ul>${unlinked.join('')}</ul></details>` : '',
    '</div>',
    '</section>',
  ].join('\n');
}

function findingHtml(finding: Finding): string {
  const where = whereOf(finding);
  return [
    `<article class="finding sev-${finding.severity}">`,
    '<div class="head">',
    `<span class="pill">${esc(finding.severity)}</span>`,
    `<code class="rule">${esc(finding.ruleId)}</code>`,
    where ? `<code class="where">${esc(where)}</code>` : '',
    '</div>',
    `<p class="message">${esc(finding.message)}</p>`,
    finding.evidence ? `<pre><code>${esc(finding.evidence)}</code></pre>` : '',
    finding.fix ? `<p class="fix"><strong>Fix:</strong> ${esc(finding.fix)}</p>` : '',
    '</article>',
  ].join('\n');
}

function findingsSection(report: ScanLikeReport): string {
  const out = ['<section id="findings">', '<h2>Findings</h2>'];
  if (report.findings.length === 0) out.push('<p class="muted">No findings.</p>');
  for (const severity of SEVERITIES) {
    const findings = report.findings.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    out.push(
      `<section class="group sev-${severity}">`,
      `<h3>${SEVERITY_TITLES[severity]}<span class="n">${esc(plural(findings.length, 'finding'))}</span></h3>`,
      ...findings.map(findingHtml),
      '</section>',
    );
  }
  out.push('</section>');
  return out.join('\n');
}

function storeHtml(store: StoreReport): string {
  const { settings } = store;
  const sample = store.sample ? `, sampled ${count(store.sample.sampled)} of ${count(store.sample.total)} keys` : '';
  const meta = `${store.kind} ${store.mode} · ${count(store.keysScanned)} keys walked in ${(store.durationMs / 1000).toFixed(1)} s${sample}${store.method ? ` · ${store.method}` : ''}`;
  const facts: Array<[string, string]> = [
    ['Version', settings.version ?? 'unknown'],
    ['Session keys', `${settings.keysEstimated ? '~' : ''}${count(settings.sessionKeys)}`],
    ['Eviction policy', settings.maxmemoryPolicy ?? 'unknown'],
    ['Memory used / max', `${bytes(settings.usedMemoryBytes)} / ${settings.maxmemoryBytes ? bytes(settings.maxmemoryBytes) : 'no limit'}`],
    ['Evicted keys', settings.evictedKeys === null ? 'unknown' : count(settings.evictedKeys)],
    ['Persistence', store.kind === 'memcached' ? 'none (memcached)' : `RDB ${yesNo(settings.rdbEnabled)}, AOF ${yesNo(settings.aofEnabled)}`],
    ['Replicas', settings.replicas === null ? 'unknown' : count(settings.replicas)],
    ['TLS', settings.tls ? 'yes' : 'no'],
  ];
  if (store.kind === 'memcached') facts.splice(5, 1);
  const sessions = store.namespaces.filter((namespace) => namespace.role === 'session');
  const charts = sessions.map(
    (namespace) =>
      `<figure><figcaption><code>${esc(namespace.pattern)}</code>${namespace.frameworkName ? ` · ${esc(namespace.frameworkName)}` : ''} · ${esc(
        `${namespace.errorMargin ? '~' : ''}${plural(namespace.keys, 'key')}`,
      )}</figcaption>${ttlChart(namespace)}</figure>`,
  );
  const rows = store.namespaces.map((namespace) => {
    const keys = `${namespace.errorMargin ? '~' : ''}${count(namespace.keys)}${namespace.errorMargin ? ` ±${count(namespace.errorMargin)}` : ''}`;
    const noTtlBad = namespace.withoutTtl > 0 && namespace.role === 'session';
    return [
      '<tr>',
      `<td><code>${esc(namespace.pattern)}</code></td>`,
      `<td>${esc(namespace.frameworkName ?? namespace.framework ?? '–')}</td>`,
      `<td>${esc(namespace.role ?? 'other')}</td>`,
      `<td class="num">${esc(keys)}</td>`,
      `<td class="num${noTtlBad ? ' bad' : ''}">${esc(count(namespace.withoutTtl))}</td>`,
      `<td class="num">${esc(`${seconds(namespace.ttl.p50)} / ${seconds(namespace.ttl.p95)}`)}</td>`,
      '</tr>',
    ].join('');
  });
  const notes = [...store.unchecked, ...store.unreachable.map((node) => `unreachable cluster master: ${node}`)];
  return [
    '<section class="store card">',
    `<h3>${esc(store.source)}</h3>`,
    `<p class="muted">${esc(meta)}</p>`,
    `<dl class="settings">${facts.map(([term, value]) => `<div><dt>${esc(term)}</dt><dd>${esc(value)}</dd></div>`).join('')}</dl>`,
    sessions.length > 0
      ? `<h4 class="muted">Session keys by TTL</h4><div class="charts">${charts.join('')}</div>`
      : '<p class="muted">No session keys found.</p>',
    rows.length > 0
      ? '<div class="table-scroll"><table><thead><tr><th>Namespace</th><th>Framework</th><th>Role</th><th class="num">Keys</th><th class="num">Without TTL</th><th class="num">TTL p50 / p95</th></tr></thead>' +
        `<tbody>${rows.join('')}</tbody></table></div>`
      : '',
    notes.length > 0 ? `<ul class="notes">${notes.map((note) => `<li>not checked: ${esc(note)}</li>`).join('')}</ul>` : '',
    '</section>',
  ].join('\n');
}

function storesSection(report: ScanLikeReport): string {
  if (!report.stores || report.stores.length === 0) return '';
  return ['<section id="stores">', '<h2>Stores</h2>', ...report.stores.map(storeHtml), '</section>'].join('\n');
}

/** `session-audit logs`: the inputs read, and requests / auth failures per node over time as an SVG chart. */
function logsSection(report: ScanLikeReport): string {
  const logs = (report as { logs?: LogsSection }).logs;
  if (!logs) return '';
  const { timeline } = logs;
  const rows = logs.inputs.map(
    (input) =>
      `<tr><td><code>${esc(input.file)}</code></td><td>${esc(input.format)}</td><td class="num">${esc(count(input.lines))}</td><td class="num">${esc(count(input.parsed))}</td>` +
      `<td class="num${input.skipped > 0 ? ' bad' : ''}">${esc(count(input.skipped))}</td><td class="num">${esc(count(input.withSession))}</td><td class="num">${esc(count(input.withJti))}</td></tr>`,
  );
  const chart =
    timeline.start === null || timeline.buckets === 0
      ? '<p class="muted">The lines carry no times: no timeline.</p>'
      : [
          `<figure class="card timeline"><figcaption class="muted">${esc(
            `Requests per node (blue) and auth failures (red: 401/403, invalid-token, session-not-found), per ${formatBucket(timeline.bucketSeconds)}` +
              (logs.from && logs.to ? `, ${logs.from.slice(0, 16).replace('T', ' ')} to ${logs.to.slice(0, 16).replace('T', ' ')} UTC` : ''),
          )}</figcaption>`,
          `<div class="map-scroll">${svgTimeSeries(
            timeline.nodes.map((node) => ({ name: node.name, values: node.requests, alarms: node.failures })),
            {
              className: 'timeline-chart',
              ariaLabel: 'Requests and auth failures per node over time',
              start: timeline.start,
              bucketSeconds: timeline.bucketSeconds,
              unit: 'requests',
              alarmUnit: 'auth failures',
            },
          )}</div>`,
          '</figure>',
        ].join('');
  const tracking = logs.tracking;
  return [
    '<section id="logs">',
    '<h2>Logs</h2>',
    `<p class="muted">${esc(
      `${plural(logs.requests, 'request')} read; ${plural(tracking.sessions, 'session id')} and ${plural(tracking.jtis, 'jti')} seen, at most ${count(tracking.capacity)} of each tracked at once` +
        (tracking.evicted > 0 ? ` (${count(tracking.evicted)} idle ones dropped)` : ''),
    )}</p>`,
    chart,
    '<div class="table-scroll"><table><thead><tr><th>Input</th><th>Format</th><th class="num">Lines</th><th class="num">Read</th><th class="num">Skipped</th><th class="num">With session</th><th class="num">With jti</th></tr></thead>' +
      `<tbody>${rows.join('')}</tbody></table></div>`,
    '</section>',
  ].join('\n');
}

function errorsSection(report: ScanLikeReport): string {
  if (report.errors.length === 0) return '';
  const items = report.errors.map((problem) => {
    const where = [problem.file, problem.line, problem.column].filter((part) => part !== null).join(':');
    return `<li>${where ? `<code>${esc(where)}</code>: ` : ''}${esc(problem.message)}</li>`;
  });
  return ['<section id="errors">', '<h2>Inputs that could not be read or parsed</h2>', `<ul class="errors">${items.join('')}</ul>`, '</section>'].join('\n');
}

/**
 * One self-contained HTML page: inline CSS and SVG, no script, nothing fetched from the network.
 * Every piece of text is escaped: names and messages come from config files and stores.
 */
export const htmlReporter: Reporter = (report) => {
  const title = `session-audit: ${plural(report.summary.findings, 'finding')}`;
  return `${[
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    header(report),
    mapSection(report),
    findingsSection(report),
    logsSection(report),
    storesSection(report),
    errorsSection(report),
    `<footer>${esc(`${report.tool.name} ${report.tool.version}`)}</footer>`,
    '</main>',
    '</body>',
    '</html>',
  ]
    .filter(Boolean)
    .join('\n')}\n`;
};
