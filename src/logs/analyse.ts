import type { LogModelNode, LogSource } from '../model/index.js';
import { DEFAULT_RULE_OPTIONS, type RuleOptions } from '../rules/types.js';
import { isAuthFailure, isLostSession } from './analyse-classify.js';
import { SessionTracker } from './analyse-sessions.js';
import { NodeTimeline, type Timeline } from './analyse-timeline.js';
import type { LogReadSummary, LogRecord } from './record.js';

/**
 * The log analysis: LogRecords in (one at a time, the readers reuse the object: whatever is kept is
 * copied), model nodes out for the log rules, and the report's `logs` section. Memory is bounded
 * whatever the size of the logs: see SessionTracker (ids) and NodeTimeline (buckets).
 */

export interface LogAnalysisOptions {
  ruleOptions?: Partial<RuleOptions>;
  /** Ids tracked at once per kind (sessions, jtis); --max-tracked. */
  maxTracked?: number;
  /** Timeline buckets kept before they are made wider (default 1440: a day of minutes). */
  maxBuckets?: number;
}

interface SourceCounts {
  file: string;
  requests: number;
  withRequestId: number;
  withoutRequestId: number;
  firstMissing: { line: number } | null;
  withSession: number;
  withJti: number;
  withNode: number;
}

/** The `logs` section beside `findings`. */
export interface LogsSection {
  inputs: (LogReadSummary['inputs'][number] & { withoutRequestId: number; withSession: number; withJti: number; withNode: number })[];
  requests: number;
  /** First and last request time (ISO 8601), when the lines have times. */
  from: string | null;
  to: string | null;
  tracking: {
    sessions: number;
    jtis: number;
    /** Ids tracked at once, at most, per kind; ids evicted to stay under it. */
    capacity: number;
    evicted: number;
    logouts: number;
  };
  timeline: Timeline;
}

const STDIN = 'stdin';
/** How an input is named in findings and the report: "stdin" for "-". */
export const shownFile = (file: string): string => (file === '-' ? STDIN : file);

export class LogAnalyser {
  readonly options: RuleOptions;
  readonly sessions: SessionTracker;
  readonly timeline: NodeTimeline;
  private readonly sources = new Map<string, SourceCounts>();
  private source: SourceCounts | undefined = undefined;
  private clock = Number.NaN;
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;
  requests = 0;

  constructor(options: LogAnalysisOptions = {}) {
    this.options = { ...DEFAULT_RULE_OPTIONS, ...options.ruleOptions };
    this.sessions = new SessionTracker({
      maxIps: this.options.logMaxIps,
      maxUserAgents: this.options.logMaxUserAgents,
      window: this.options.logWindow,
      capacity: options.maxTracked,
    });
    this.timeline = new NodeTimeline({ maxBuckets: options.maxBuckets });
  }

  /** Take one record. The object is the reader's to reuse: what is kept is copied, and kept strings are own() copies, so no slice pins an input chunk. */
  readonly add = (record: LogRecord): void => {
    this.requests++;
    // The readers call stdin "-"; findings and the report say "stdin". An input's records all share the
    // file, so this renames it once per input (readers never read record.file back).
    if (record.file === '-') record.file = STDIN;
    let source = this.source;
    if (source === undefined || source.file !== record.file) source = this.sourceOf(record.file);
    source.requests++;
    const requestId = record.requestId;
    if (requestId === undefined || requestId === '' || requestId === '-') {
      source.withoutRequestId++;
      if (source.firstMissing === null) source.firstMissing = { line: record.line };
    } else source.withRequestId++;

    // A line without a readable time takes the time of the line before it: windows stay meaningful.
    let time = record.time;
    if (Number.isFinite(time)) {
      this.clock = time;
      if (time < this.first) this.first = time;
      if (time > this.last) this.last = time;
    } else time = this.clock;

    const authFailure = isAuthFailure(record);
    const lost = authFailure ? isLostSession(record) : record.status === 419 || record.status === 440;
    this.timeline.add(record, time, authFailure, lost);
    if (record.session !== undefined) source.withSession++;
    if (record.jti !== undefined) source.withJti++;
    if (record.node !== undefined) source.withNode++;
    if (record.session !== undefined || record.jti !== undefined) this.sessions.add(record, Number.isFinite(time) ? time : 0);
  };

  private sourceOf(file: string): SourceCounts {
    let source = this.sources.get(file);
    if (source === undefined) {
      source = { file, requests: 0, withRequestId: 0, withoutRequestId: 0, firstMissing: null, withSession: 0, withJti: 0, withNode: 0 };
      this.sources.set(file, source);
    }
    this.source = source;
    return source;
  }

  /** The model nodes for the rules, and the report's `logs` section. */
  finish(summary: LogReadSummary): { nodes: LogModelNode[]; section: LogsSection } {
    const options = this.options;
    const nodes: LogModelNode[] = [];
    nodes.push(...this.sessions.sessionNodes());
    nodes.push(...this.sessions.revokedUseNodes());
    const hops = this.sessions.hopsNode(options.logSessions);
    if (hops) nodes.push(hops);
    nodes.push(...this.timeline.upstreamNodes());
    nodes.push(...this.timeline.bursts(options.logStormMin, options.logStormFactor));

    const anyRequestId = [...this.sources.values()].some((source) => source.withRequestId > 0);
    const formatOf = new Map(summary.inputs.map((input) => [shownFile(input.file), input.format]));
    const requestIdInputs = summary.requestIdInputs === undefined ? undefined : new Set(summary.requestIdInputs.map(shownFile));
    for (const source of this.sources.values()) {
      const node: LogSource = {
        kind: 'log-source',
        location: { file: source.file, line: source.firstMissing?.line ?? 1, column: 1 },
        file: source.file,
        format: formatOf.get(source.file) ?? 'unknown',
        requests: source.requests,
        withoutRequestId: source.withoutRequestId,
        // Per input when the reader says (an input whose lines all have "-" in a format with the field is the
        // finding); else, from the summary, an input whose lines never carry one is taken for a format without it.
        hasRequestIdField: requestIdInputs?.has(source.file) ?? (summary.hasRequestIdField && (source.withRequestId > 0 || !anyRequestId)),
      };
      nodes.push(node);
    }

    const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
    const stats = this.sessions.stats;
    return {
      nodes,
      section: {
        inputs: summary.inputs.map((input) => {
          const counts = this.sources.get(shownFile(input.file));
          return {
            ...input,
            file: shownFile(input.file),
            withoutRequestId: counts?.withoutRequestId ?? 0,
            withSession: counts?.withSession ?? 0,
            withJti: counts?.withJti ?? 0,
            withNode: counts?.withNode ?? 0,
          };
        }),
        requests: this.requests,
        from: iso(this.first),
        to: iso(this.last),
        tracking: {
          sessions: stats.sessionsSeen,
          jtis: stats.jtisSeen,
          capacity: this.sessions.capacity,
          evicted: this.sessions.evicted,
          logouts: stats.logouts,
        },
        timeline: this.timeline.timeline(),
      },
    };
  }
}
