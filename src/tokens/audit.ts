import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { runRules } from '../analysis/run-rules.js';
import { InputError } from '../errors.js';
import { emptyModel, severityRank, type Finding, type FoundSecret, type Token } from '../model/index.js';
import { RULES } from '../rules/index.js';
import { DEFAULT_RULE_OPTIONS, type Rule, type RuleOptions } from '../rules/types.js';
import { hmacAlgOf, type HmacAlg } from './alg-families.js';
import { hmacMatches, signingInput } from './hmac-check.js';
import { BUILT_IN_SECRETS } from './weak-secrets.js';

/**
 * The token audit, shared by `token audit` and the rule fixtures: find weak HMAC secrets (they need the
 * HMAC, so they are computed before the rules and put on the Token node), then run the token rules.
 *
 * Cost: a token that is not HS256/384/512 costs the decode and the rules only (~15 µs). Searching the
 * built-in list costs one HMAC per secret (about 90, ~3 µs each: ~0.3 ms per token), so:
 *  - a token text seen before (the same token on many log lines) is answered from a memo;
 *  - secrets found earlier in the run are tried first, on every HS token (a few HMACs at most), so every
 *    token signed with a found secret is reported;
 *  - with `sampling` (--batch, unless --secret-check all) the full list is searched for the first 64
 *    distinct tokens of each signer (alg, kid, iss), then for 1 in 64: one signer's tokens share a key,
 *    and a found key is then tried on all of them. A signer whose nodes use different keys still gets
 *    every key sampled many times over in any sizeable batch.
 * `--wordlist` costs one HMAC per word per searched token still unmatched, streamed once per chunk.
 */

export interface AuditSettings {
  ruleOptions?: Partial<RuleOptions>;
  /** --secret / --secret-file: the HMAC key the user says signs the tokens (judged for length). */
  secret?: Uint8Array;
  /** --wordlist: a file of candidate secrets, one a line, streamed (never loaded whole). */
  wordlist?: string;
  /** Search the full secret lists for a sample of each signer's tokens only (see above). Default: every token. */
  sampling?: boolean;
}

export interface AuditedToken {
  token: Token;
  /** Worst first. */
  findings: Finding[];
}

export interface AuditStats {
  /** Distinct HS tokens seen (memo hits not counted). */
  hsTokens: number;
  /** Of those, the ones searched against the full lists (all of them unless sampling). */
  searched: number;
  /** HMACs computed. */
  hmacs: number;
  /** HS tokens the --secret did not verify (it was judged only against those it verifies). */
  secretMismatches: number;
}

interface Candidate {
  secret: string;
  key: Buffer;
  from: FoundSecret['from'];
}

/** An HS token, ready for HMACs. */
interface HsToken {
  hmac: HmacAlg;
  input: Buffer;
  signature: Buffer;
  tokens: Token[];
  found?: FoundSecret;
}

/** The memo: a found secret, 'none' (searched in full, nothing found), or 'sampled-out' (only found secrets tried). */
type Verdict = FoundSecret | 'none' | 'sampled-out';

/** Distinct token texts remembered; cleared when full. */
const MEMO_LIMIT = 100_000;
/** Secrets found in this run, tried before (and, for sampled-out tokens, instead of) the lists. */
const RECENT_LIMIT = 8;
/** Sampling: every distinct token of a signer's first SAMPLE_FIRST, then one in SAMPLE_EVERY. */
export const SAMPLE_FIRST = 64;
export const SAMPLE_EVERY = 64;

const TOKEN_RULES: readonly Rule[] = RULES.filter((rule) => rule.appliesTo.includes('token'));

export class TokenAuditor {
  readonly stats: AuditStats = { hsTokens: 0, searched: 0, hmacs: 0, secretMismatches: 0 };
  private readonly options: RuleOptions;
  private readonly given?: { secret: Buffer; inList: boolean };
  private readonly wordlist?: string;
  private readonly sampling: boolean;
  private readonly candidates: Candidate[];
  private recent: Candidate[] = [];
  private readonly memo = new Map<string, Verdict>();
  private readonly signers = new Map<string, number>();

  constructor(settings: AuditSettings = {}) {
    this.options = { ...DEFAULT_RULE_OPTIONS, ...settings.ruleOptions };
    this.candidates = BUILT_IN_SECRETS.map((secret) => ({ secret, key: Buffer.from(secret, 'utf8'), from: 'built-in list' as const }));
    if (settings.secret) {
      const secret = Buffer.from(settings.secret);
      this.given = { secret, inList: this.candidates.some((candidate) => candidate.key.equals(secret)) };
    }
    this.wordlist = settings.wordlist;
    this.sampling = settings.sampling === true;
  }

  /** Judge decoded tokens: secrets first (filling weakSecret / shortSecretBytes), then the token rules. */
  async audit(tokens: Token[]): Promise<AuditedToken[]> {
    const pending = new Map<string, HsToken>();
    const sampledOut: HsToken[] = [];
    for (const token of tokens) this.checkSecrets(token, pending, sampledOut);
    if (pending.size > 0) {
      const fresh = await this.searchWordlist([...pending.values()]);
      for (const [raw, entry] of pending) {
        this.remember(raw, entry.found ?? 'none');
        if (entry.found) for (const token of entry.tokens) token.weakSecret = entry.found;
      }
      // Secrets the wordlist found in this chunk: try them on the chunk's tokens that were not searched.
      if (fresh.length > 0) {
        for (const entry of sampledOut) {
          const found = this.tryCandidates(fresh, entry);
          if (!found) continue;
          this.remember(entry.tokens[0].raw, found);
          for (const token of entry.tokens) token.weakSecret = found;
        }
      }
    }
    const byToken = new Map<Token, Finding[]>(tokens.map((token) => [token, []]));
    for (const { node, finding } of runRules({ ...emptyModel(), tokens }, TOKEN_RULES, this.options)) {
      byToken.get(node as Token)?.push(finding);
    }
    return tokens.map((token) => ({ token, findings: byToken.get(token)!.sort(worstFirst) }));
  }

  /** The synchronous part: the given secret, the memo, secrets found so far, then the built-in list. */
  private checkSecrets(token: Token, pending: Map<string, HsToken>, sampledOut: HsToken[]): void {
    if (token.form !== 'jws') return;
    const hmac = hmacAlgOf(token.header.alg);
    if (!hmac || token.signature.length !== hmac.bytes) return;
    const signature = Buffer.from(token.signature.buffer, token.signature.byteOffset, token.signature.byteLength);
    const entry: HsToken = { hmac, input: signingInput(token.segments), signature, tokens: [token] };
    let givenMatches = false;
    if (this.given) {
      this.stats.hmacs++;
      givenMatches = hmacMatches(hmac.hash, this.given.secret, entry.input, signature);
      if (!givenMatches) this.stats.secretMismatches++;
      else if (this.given.secret.length < hmac.bytes) token.shortSecretBytes = this.given.secret.length;
    }
    const known = this.memo.get(token.raw);
    if (known === 'none') return;
    if (known !== undefined && known !== 'sampled-out') {
      token.weakSecret = known;
      return;
    }
    const waiting = pending.get(token.raw);
    if (waiting) {
      waiting.tokens.push(token);
      return;
    }
    if (known === undefined) this.stats.hsTokens++;
    // The given secret verifies the token: it is the key, weak when it is in the built-in list.
    let found: FoundSecret | undefined =
      givenMatches && this.given?.inList ? { secret: this.given.secret.toString('utf8'), from: 'built-in list' } : this.tryCandidates(this.recent, entry);
    if (!found && !givenMatches && known === undefined && this.shouldSearch(token)) {
      this.stats.searched++;
      found = this.tryCandidates(this.candidates, entry);
      if (found) this.promote(this.candidates.find((candidate) => candidate.secret === found!.secret)!);
      else if (this.wordlist) {
        pending.set(token.raw, entry);
        return;
      } else {
        this.remember(token.raw, 'none');
        return;
      }
    } else if (!found && givenMatches) {
      if (known === undefined && this.wordlist) {
        this.stats.searched++;
        pending.set(token.raw, entry);
      } else {
        this.remember(token.raw, 'none');
      }
      return;
    }
    if (found) {
      token.weakSecret = found;
      this.remember(token.raw, found);
      return;
    }
    this.remember(token.raw, 'sampled-out');
    sampledOut.push(entry);
  }

  /** Sampling: is this token one of its signer's first SAMPLE_FIRST, or one in SAMPLE_EVERY after? */
  private shouldSearch(token: Token): boolean {
    if (!this.sampling) return true;
    const kid = token.header.kid;
    const iss = token.payload?.iss;
    const signer = `${String(token.header.alg)}\0${typeof kid === 'string' ? kid : JSON.stringify(kid ?? null)}\0${typeof iss === 'string' ? iss : JSON.stringify(iss ?? null)}`;
    if (this.signers.size >= MEMO_LIMIT) this.signers.clear();
    const seen = (this.signers.get(signer) ?? 0) + 1;
    this.signers.set(signer, seen);
    return seen <= SAMPLE_FIRST || seen % SAMPLE_EVERY === 0;
  }

  private tryCandidates(candidates: readonly Candidate[], entry: HsToken): FoundSecret | undefined {
    for (const candidate of candidates) {
      this.stats.hmacs++;
      if (hmacMatches(entry.hmac.hash, candidate.key, entry.input, entry.signature)) return { secret: candidate.secret, from: candidate.from };
    }
    return undefined;
  }

  /**
   * Stream the wordlist once for all pending tokens; a token stops at its first match, the file when all
   * matched. Returns the secrets found.
   */
  private async searchWordlist(pending: HsToken[]): Promise<Candidate[]> {
    const fresh: Candidate[] = [];
    if (!this.wordlist) return fresh;
    const file = this.wordlist;
    const stream = createReadStream(file);
    let failure: InputError | undefined;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      failure = new InputError(`cannot read the wordlist (${error.code ?? 'error'})`, file);
    });
    await new Promise<void>((resolve) => {
      stream.once('open', () => resolve());
      stream.once('error', () => resolve());
    });
    if (failure) throw failure;
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let open = pending;
    try {
      for await (const word of lines) {
        const key = Buffer.from(word, 'utf8');
        let matched = false;
        for (const entry of open) {
          this.stats.hmacs++;
          if (hmacMatches(entry.hmac.hash, key, entry.input, entry.signature)) {
            entry.found = { secret: word, from: 'wordlist' };
            matched = true;
          }
        }
        if (matched) {
          open = open.filter((entry) => !entry.found);
          const candidate: Candidate = { secret: word, key, from: 'wordlist' };
          fresh.push(candidate);
          this.promote(candidate);
        }
        if (open.length === 0) break;
      }
    } finally {
      lines.close();
      stream.destroy();
    }
    if (failure) throw failure;
    return fresh;
  }

  private promote(candidate: Candidate): void {
    this.recent = [candidate, ...this.recent.filter((other) => other.secret !== candidate.secret)].slice(0, RECENT_LIMIT);
  }

  private remember(raw: string, verdict: Verdict): void {
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(raw, verdict);
  }
}

function worstFirst(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.ruleId.localeCompare(b.ruleId);
}

/** Audit a few tokens in one go (every token searched in full): their findings, token by token, worst first within each. */
export async function auditTokens(tokens: Token[], settings: AuditSettings = {}): Promise<Finding[]> {
  const audited = await new TokenAuditor(settings).audit(tokens);
  return audited.flatMap((entry) => entry.findings);
}
