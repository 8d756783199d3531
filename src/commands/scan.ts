import { runRules } from '../analysis/run-rules.js';
import { InputError, UsageError } from '../errors.js';
import { countBySeverity, emptyModel, severityRank, type Finding, type Namespace, type Report, type SessionMap, type StoreFacts } from '../model/index.js';
import { applySeverity, buildMap, orderByTrouble, type ScannedStore } from '../map/build-map.js';
import { RULES } from '../rules/index.js';
import { sessionCount } from '../rules/support/store-counts.js';
import { DEFAULT_RULE_OPTIONS, type RuleOptions } from '../rules/types.js';
import { parseSentinelArg } from '../stores/redis/sentinel-arg.js';
import { redactUrl, type RedisTlsOptions } from '../stores/redis/url.js';
import { sessionPatterns } from '../stores/session-patterns.js';
import { splitAlias } from '../stores/store-alias.js';
import type { StoreReport, StoreScan } from '../stores/store-report.js';
import { VERSION } from '../version.js';
import { runCheck } from './check.js';

export interface ScanOptions {
  paths: string[];
  redis: string[];
  memcached: string[];
  cluster?: boolean;
  sentinels: string[];
  sentinelName?: string;
  redisUser?: string;
  tls?: RedisTlsOptions;
  sample?: number;
  /** false: skip MEMORY USAGE sampling. */
  memory?: boolean;
  sessionPatterns: string[];
  ruleOptions?: Partial<RuleOptions>;
  /** Fingerprints of a baseline's findings, which are not reported. */
  accepted?: ReadonlySet<string>;
  /** Keys walked so far in the store being scanned, for a progress line. */
  onProgress?: (source: string, keys: number) => void;
}

export type ScanReport = Report & { stores: StoreReport[]; map: SessionMap };

export interface ScanResult {
  report: ScanReport;
  skipped: string[];
}

/**
 * The session map: config files (as `check` reads them) and live stores. A store that cannot be
 * reached or read is reported like an unparsable file (one line, exit 2) and the others still run.
 */
export async function runScan(options: ScanOptions): Promise<ScanResult> {
  const hasStores = options.redis.length + options.memcached.length + options.sentinels.length > 0;
  if (options.sentinels.length > 0 && !options.sentinelName) throw new UsageError('--sentinel needs --sentinel-name NAME (the master group to scan)');
  if (options.sentinelName && options.sentinels.length === 0) throw new UsageError('--sentinel-name needs at least one --sentinel HOST:PORT');
  const patterns = sessionPatterns(options.sessionPatterns);
  const ruleOptions = { ...DEFAULT_RULE_OPTIONS, ...options.ruleOptions };
  const paths = options.paths.length > 0 || hasStores ? options.paths : ['.'];
  const accepted = options.accepted ?? new Set<string>();

  const configs = paths.length > 0 ? await runCheck({ paths, ruleOptions, accepted }) : null;
  const scans: StoreScan[] = [];
  const errors: Report['errors'] = [...(configs?.report.errors ?? [])];
  // A store that cannot be read is reported like an unparsable file; bad usage and bugs still stop the run.
  const aliases = new Map<StoreScan, string>();
  const attempt = async (what: string, alias: string | undefined, scan: () => Promise<StoreScan>) => {
    try {
      const done = await scan();
      scans.push(done);
      if (alias) aliases.set(done, alias);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push({ file: error.file ?? what, line: null, column: null, message: error.message });
    }
  };
  if (options.redis.length > 0 || options.sentinels.length > 0) {
    const { scanRedis } = await import('../stores/scan-redis.js');
    const parsed = options.sentinels.map(parseSentinelArg);
    const sentinels = parsed.map(({ host, port }) => ({ host, port }));
    // Sentinel's own credentials (requirepass / ACL in sentinel.conf): userinfo in --sentinel, or the env var.
    const credentials = parsed.find((entry) => entry.password !== undefined) ?? { username: undefined, password: process.env.SESSION_AUDIT_SENTINEL_AUTH || undefined };
    const sentinel =
      sentinels.length > 0 ? { sentinels, name: options.sentinelName!, username: credentials.username, password: credentials.password } : undefined;
    const urls = sentinel && options.redis.length === 0 ? [undefined] : options.redis;
    for (const argument of urls) {
      const { alias, address: url } = argument ? splitAlias(argument) : { alias: undefined, address: undefined };
      // Shown in the progress line and in errors: never with its password.
      const source = url ? redactUrl(url) : `sentinel ${options.sentinelName}`;
      await attempt(source, alias, () =>
        scanRedis({
          url,
          cluster: options.cluster,
          sentinel,
          user: options.redisUser,
          tls: options.tls,
          sample: options.sample,
          memory: options.memory,
          patterns,
          onKeys: (keys) => options.onProgress?.(source, keys),
        }),
      );
    }
  }
  if (options.memcached.length > 0) {
    const { scanMemcached } = await import('../stores/scan-memcached.js');
    for (const argument of options.memcached) {
      const { alias, address } = splitAlias(argument);
      await attempt(address, alias, () => scanMemcached(address, patterns, (keys) => options.onProgress?.(address, keys)));
    }
  }

  const namespaces: Namespace[] = scans.flatMap((scan) => scan.namespaces);
  const stores: StoreFacts[] = scans.map((scan) => scan.facts);
  const live: Finding[] = runRules({ ...emptyModel(), namespaces, stores }, RULES, ruleOptions)
    .map(({ finding }) => finding)
    .filter((finding) => !accepted.has(finding.fingerprint));
  // Worst first: scan is read by people, who start at the top (check keeps file order for CI diffs).
  const findings = [...(configs?.report.findings ?? []), ...live].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const built = buildMap(configs?.system.links ?? [], configs?.system.apps ?? [], scans.map((scan) => scannedStoreOf(scan.facts, aliases.get(scan))));
  applySeverity(built, findings);
  orderByTrouble(built.map);
  return {
    report: {
      tool: { name: 'session-audit', version: VERSION },
      findings,
      summary: {
        files: configs?.report.summary.files ?? 0,
        findings: findings.length,
        bySeverity: countBySeverity(findings),
        suppressed: configs?.report.summary.suppressed ?? 0,
        baselined: configs?.report.summary.baselined ?? 0,
        errors: errors.length,
      },
      errors,
      stores: scans.map((scan) => scan.report),
      map: built.map,
    },
    skipped: configs?.skipped ?? [],
  };
}


/** A scanned store as a map box: its eviction policy, persistence and how many sessions it holds. */
function scannedStoreOf(facts: StoreFacts, alias: string | undefined): ScannedStore {
  const persistence =
    facts.store.kind === 'memcached' ? 'not persistent' : facts.rdbEnabled === false && facts.aofEnabled === false ? 'not persistent' : facts.aofEnabled ? 'AOF' : facts.rdbEnabled ? 'RDB' : 'persistence unknown';
  return {
    source: facts.store.source,
    kind: facts.store.kind,
    alias,
    facts: [
      sessionCount(facts, 'session keys'),
      facts.maxmemoryPolicy ? `eviction: ${facts.maxmemoryPolicy}` : 'eviction unknown',
      persistence,
    ],
  };
}
