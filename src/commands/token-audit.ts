import { InputError } from '../errors.js';
import { countBySeverity, type Finding, type Report, type ReportProblem, type Token, type TokenForm } from '../model/index.js';
import type { RuleOptions } from '../rules/types.js';
import { TokenAuditor, type AuditedToken } from '../tokens/audit.js';
import { decodeToken } from '../tokens/decode.js';
import { readBatch, readOneToken, type FoundToken } from '../tokens/input.js';
import { VERSION } from '../version.js';

export interface TokenAuditOptions {
  /** The token argument, or '-' for stdin (single-token mode). */
  token?: string;
  /** --batch FILE|-: one token per line. */
  batch?: string;
  /** When the tokens are judged, seconds since the epoch (--now, or the clock). */
  now: number;
  ruleOptions?: Partial<RuleOptions>;
  secret?: Uint8Array;
  wordlist?: string;
  /** --batch only: 'sample' (default) searches the secret lists for a sample of each signer's tokens, 'all' for every token. */
  secretCheck?: 'sample' | 'all';
}

/** The `token` section of a single-token report: what was judged, never the signature. */
export interface TokenSummary {
  source: string;
  form: TokenForm;
  header: Record<string, unknown>;
  /** The payload (JWS, or a JSON payload); null for a JWE or a payload that is not a JSON object. */
  claims: Record<string, unknown> | null;
  /** Length of the compact token, in bytes. */
  size: number;
}

/** The `token` section of a --batch report. */
export interface BatchSummary {
  tokens: number;
  withFindings: number;
  /** Findings per rule id, most frequent first. */
  byRule: Record<string, number>;
  /** Input lines on which no JWT was found (blank lines included). */
  linesWithoutToken: number;
}

export type TokenAuditReport = Report & { token: TokenSummary | BatchSummary };

export interface TokenAuditResult {
  report: TokenAuditReport;
  /** Things to tell the user on stderr (never on stdout, which holds the report). */
  notes: string[];
}

/** Tokens decoded and audited together: bounds memory, and one wordlist pass per chunk. */
const CHUNK = 2000;
const CHUNK_WITH_WORDLIST = 10_000;

export async function runTokenAudit(options: TokenAuditOptions): Promise<TokenAuditResult> {
  const auditor = new TokenAuditor({
    ruleOptions: options.ruleOptions,
    secret: options.secret,
    wordlist: options.wordlist,
    sampling: options.batch !== undefined && options.secretCheck !== 'all',
  });
  return options.batch !== undefined ? auditBatch(options.batch, options, auditor) : auditOne(options, auditor);
}

async function auditOne(options: TokenAuditOptions, auditor: TokenAuditor): Promise<TokenAuditResult> {
  const { token: found, others } = await readOneToken(options.token);
  const token = decodeToken(found.raw, { source: found.source, now: options.now });
  const [{ findings }] = await auditor.audit([token]);
  const notes: string[] = [];
  if (others > 0) notes.push(`${others} more JWT${others === 1 ? '' : 's'} in the input ${others === 1 ? 'was' : 'were'} not audited: use --batch for a list`);
  if (options.secret && auditor.stats.secretMismatches > 0) notes.push('--secret does not verify this token: its length was not judged');
  return {
    report: reportOf(findings, [], 0, { source: token.source, form: token.form, header: token.header, claims: token.payload, size: token.raw.length }),
    notes,
  };
}

async function auditBatch(file: string, options: TokenAuditOptions, auditor: TokenAuditor): Promise<TokenAuditResult> {
  const findings: Finding[] = [];
  const errors: ReportProblem[] = [];
  const summary: BatchSummary = { tokens: 0, withFindings: 0, byRule: {}, linesWithoutToken: 0 };
  const chunkSize = options.wordlist ? CHUNK_WITH_WORDLIST : CHUNK;
  let chunk: Token[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    for (const audited of await auditor.audit(chunk)) collect(audited, findings, summary);
    chunk = [];
  };
  for await (const line of readBatch(file)) {
    if (line.tokens.length === 0) summary.linesWithoutToken++;
    for (const found of line.tokens) {
      const token = decodeBatchToken(found, options.now, errors);
      if (token) chunk.push(token);
    }
    if (chunk.length >= chunkSize) await flush();
  }
  await flush();
  const byRule = Object.fromEntries(Object.entries(summary.byRule).sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b)));
  const notes: string[] = [];
  if (options.secret && auditor.stats.secretMismatches > 0) {
    notes.push(`--secret does not verify ${auditor.stats.secretMismatches} HS token${auditor.stats.secretMismatches === 1 ? '' : 's'}: their key length was not judged`);
  }
  const { hsTokens, searched } = auditor.stats;
  if (searched < hsTokens) {
    notes.push(
      `weak-secret search: ${searched} of ${hsTokens} distinct HS tokens searched in full (a sample of each signer; secrets found were tried on all); --secret-check all searches every one`,
    );
  }
  return { report: reportOf(findings, errors, file === '-' ? 0 : 1, { ...summary, byRule }), notes };
}

/** A token on a --batch line that does not decode is an input problem of that line: reported, and the run goes on. */
function decodeBatchToken(found: FoundToken, now: number, errors: ReportProblem[]): Token | null {
  try {
    return decodeToken(found.raw, { source: found.source, location: found.location, now });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    errors.push({ file: found.location?.file ?? null, line: found.location?.line ?? null, column: null, message: error.message });
    return null;
  }
}

function collect({ findings: found }: AuditedToken, findings: Finding[], summary: BatchSummary): void {
  summary.tokens++;
  if (found.length === 0) return;
  summary.withFindings++;
  for (const finding of found) {
    findings.push(finding);
    summary.byRule[finding.ruleId] = (summary.byRule[finding.ruleId] ?? 0) + 1;
  }
}

function reportOf(findings: Finding[], errors: ReportProblem[], files: number, token: TokenSummary | BatchSummary): TokenAuditReport {
  return {
    tool: { name: 'session-audit', version: VERSION },
    findings,
    summary: {
      files,
      findings: findings.length,
      bySeverity: countBySeverity(findings),
      suppressed: 0,
      baselined: 0,
      errors: errors.length,
    },
    errors,
    token,
  };
}

