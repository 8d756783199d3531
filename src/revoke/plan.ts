/**
 * Planning: walk the store, keep the keys that every filter selects, and hand each selected key to
 * the sink as a plan operation (ops.ts), as soon as it is known. The sink writes plan.jsonl and
 * feeds the deletion batches, so deletion can start while the walk goes on; a dry run's sink only counts.
 *
 * Per page of SCAN: name filters (select.ts) -> dedupe (a key SCAN returns twice is planned once)
 * -> on first sight of a namespace whose key prefix is a common word, a look at a few values'
 * first bytes (confirm-values.ts) -> PTTL / OBJECT IDLETIME for --ttl-none / --idle-over ->
 * value reads for --user / --created-before (values.ts). Each step only sees what passed the last.
 *
 * Spring Session: a selected session also plans its `expires:` key and the SREM of its id from the
 * principal index sets that hold it (spring.ts); `--user` on Spring reads the user's index set
 * instead of session values.
 */
import { InputError } from '../errors.js';
import type { Namespace } from '../model/index.js';
import type { RedisWriteStore } from '../stores/redis/connect.js';
import { confirmByValue } from '../stores/redis/confirm-values.js';
import { RedisReplyError, cleanReply, replyCode } from '../stores/redis/errors.js';
import { parseInfo } from '../stores/redis/info-facts.js';
import type { Arg, RedisReader, RedisWriter } from '../stores/redis/reader.js';
import { getValues } from '../stores/redis/write-batch.js';
import type { NodeRouter } from '../stores/redis/write-routing.js';
import { maskKey } from '../stores/mask-key.js';
import { escapeGlob } from '../stores/redis-glob.js';
import type { Op } from './ops.js';
import { frameworkName, SPRING_INDEX, type Classified, type RevokeFilter, type Selector } from './select.js';
import { springPrincipalIndexKey } from './session-user.js';
import { DEFAULT_SPRING_NAMESPACE, scanSets, springExpiresKey, springIndexNamespace, springSession, springSessionKey, type IndexKey } from './spring.js';
import { judgeValue, valueCommand, type ValueFilter } from './values.js';
import { walkNodes } from './walk.js';

export interface PlanSink {
  add(op: Op): void;
}

export interface PlanProgress {
  scanned: number;
  matched: number;
}

export interface PlanContext {
  store: RedisWriteStore;
  router: NodeRouter;
  selector: Selector;
  sink: PlanSink;
  stop: { now: boolean };
  /** Session keys planned by an earlier attempt of this run (resume): counted as "reappeared" when found again. */
  known?: ReadonlySet<string>;
  /** Spring Session ids (by namespace) planned by an earlier attempt: their index entries are removed too. */
  springIds?: Map<string, Set<string>>;
  onProgress?: (progress: PlanProgress) => void;
  /** Awaited before each page is handled, when it returns a promise: the deletion's backpressure. */
  room?: () => Promise<void> | undefined;
  /** SCAN COUNT (tests and the bench). */
  count?: number;
}

export interface NamespaceCount {
  framework: string;
  name: string;
  keys: number;
  examples: string[];
}

export interface Unreadable {
  framework: string;
  pattern: string;
  count: number;
  /** The most common reason (with how many keys had it); all reasons in `reasons`. */
  reason: string;
  reasons: Record<string, number>;
}

export interface PlanStats {
  /** Keys the walk returned (with SCAN MATCH: those that matched the glob). */
  scanned: number;
  /** Session keys selected by this walk. */
  matched: number;
  byNamespace: Map<string, NamespaceCount>;
  expiryKeys: number;
  indexEntries: number;
  /** Keys that passed the names but whose value could not be read: not selected. */
  unreadable: Unreadable[];
  /** Namespaces whose values do not have their framework's format: not treated as sessions. */
  rejected: string[];
  notes: string[];
  /** Selected again after an earlier attempt of this run had deleted them (a restarted server that lost writes). */
  reappeared: number;
  /** Spring index entries naming a session that no longer exists (left as they are). */
  staleIndexEntries: number;
  /** The walk ran to its end (false when stopped). */
  complete: boolean;
  match: string | null;
}

const EXAMPLES = 5;
/** Keys per value read (a page of SCAN may select a few thousand). */
const VALUE_BATCH = 1000;
/** Values of these frameworks are strings; a namespace of only other types under their prefix is not theirs. */
const STRING_FORMATS = new Set(['connect-redis', 'flask-session', 'django', 'phpredis', 'php-memcached', 'symfony', 'laravel', 'rails']);

interface Candidate {
  key: string;
  /** host:port; null: route by slot. */
  node: string | null;
  cls: Classified;
}

export class Planner {
  readonly stats: PlanStats;
  private readonly seen = new Set<string>();
  private readonly springIds: Map<string, Set<string>>;
  private readonly indexKeys = new Map<string, IndexKey>();
  private readonly confirmations = new Map<string, Promise<string | undefined>>();
  private readonly unreadable = new Map<string, Unreadable>();
  private readonly filter: RevokeFilter;
  private readonly valueFilter: ValueFilter | undefined;
  private readonly needsMeta: boolean;

  constructor(private readonly ctx: PlanContext) {
    this.filter = ctx.selector.filter;
    this.springIds = ctx.springIds ?? new Map();
    const userByValue = this.filter.user !== undefined;
    this.valueFilter =
      userByValue || this.filter.createdBefore !== undefined
        ? { user: this.filter.user, userField: ctx.selector.userField, createdBefore: this.filter.createdBefore }
        : undefined;
    this.needsMeta = this.filter.ttlNone === true || this.filter.idleOver !== undefined;
    this.stats = {
      scanned: 0,
      matched: 0,
      byNamespace: new Map(),
      expiryKeys: 0,
      indexEntries: 0,
      unreadable: [],
      rejected: [],
      notes: [],
      reappeared: 0,
      staleIndexEntries: 0,
      complete: false,
      match: ctx.selector.match ?? null,
    };
  }

  async run(): Promise<PlanStats> {
    const { ctx } = this;
    const nodes = ctx.store.nodes;
    if (this.filter.idleOver !== undefined) await Promise.all(nodes.map((node) => assertIdleTracked(node)));
    // Reading values (--user, --created-before, a namespace's format check) must not make the keys
    // look freshly used: CLIENT NO-TOUCH where the server has it.
    await this.noTouch(nodes);

    const springOnlyByIndex =
      ctx.selector.springUserByIndex && this.filter.frameworks.length === 1 && this.filter.frameworks[0] === 'spring-session' && this.filter.sessionPatterns.length === 0;
    if (!springOnlyByIndex) {
      await walkNodes(nodes, { match: ctx.selector.match, count: ctx.count ?? 2000 }, (node, keys) => this.page(node, keys), ctx.stop);
    } else {
      this.stats.notes.push(`--user on Spring Session: read from the principal index ${springPrincipalIndexKey(this.filter.user!)} (no key walk)`);
    }
    if (ctx.stop.now) return this.finish(false);
    if (ctx.selector.springUserByIndex) await this.springUserSessions();
    else if (this.springIds.size > 0) await this.springIndexEntries();
    return this.finish(!ctx.stop.now);
  }

  private finish(complete: boolean): PlanStats {
    this.stats.complete = complete;
    this.stats.unreadable = [...this.unreadable.values()].sort((a, b) => b.count - a.count);
    return this.stats;
  }

  /** CLIENT NO-TOUCH ON (Redis >= 7.2): reading values must not reset the idle times --idle-over measures. */
  private async noTouch(nodes: readonly RedisWriter[]): Promise<void> {
    const refused = await Promise.all(
      nodes.map((node) =>
        node.write('CLIENT', 'NO-TOUCH', 'ON').then(
          () => false,
          (error: unknown) => {
            if (error instanceof RedisReplyError) return true;
            throw error;
          },
        ),
      ),
    );
    if (refused.some(Boolean) && this.filter.idleOver !== undefined && this.valueFilter) {
      this.stats.notes.push(
        'this Redis has no CLIENT NO-TOUCH (Redis < 7.2): reading the values of the idle sessions reset their idle time, so a run right after this one may select fewer of them',
      );
    }
  }

  private async page(node: RedisReader, keys: string[]): Promise<void> {
    const { selector } = this.ctx;
    const room = this.ctx.room?.();
    if (room) await room;
    this.stats.scanned += keys.length;
    let candidates: Candidate[] = [];
    for (const key of keys) {
      const cls = selector.classify(key);
      if (cls === undefined) continue;
      if (cls === SPRING_INDEX) {
        if (!this.indexKeys.has(key)) this.indexKeys.set(key, { key, node: node.address });
        continue;
      }
      // A name that is not UTF-8 comes back mangled (U+FFFD): never send a mangled name to UNLINK.
      if (key.includes('\uFFFD')) {
        this.countUnreadable(cls, 'the key name is not valid UTF-8: not handled');
        continue;
      }
      if (cls.framework === 'spring-session' && selector.springUserByIndex) continue;
      candidates.push({ key, node: node.address, cls });
    }
    if (candidates.length > 0) {
      // Idle times first: the look at a few values that confirms a namespace reads them (GETRANGE),
      // which would make those keys look freshly used on a server without CLIENT NO-TOUCH.
      if (this.needsMeta) candidates = await this.metaFilter(candidates);
      candidates = await this.confirmNamespaces(node, candidates);
      await this.filterAndPlan(candidates, this.valueFilter, undefined, false);
    }
    this.ctx.onProgress?.({ scanned: this.stats.scanned, matched: this.stats.matched });
  }

  /**
   * Common-word prefixes (`session:`, `sess:`...) are sessions only if their values have the
   * framework's format: checked once per namespace, on a few keys, the first time it is seen.
   */
  private async confirmNamespaces(node: RedisReader, candidates: Candidate[]): Promise<Candidate[]> {
    const byPattern = new Map<string, Candidate[]>();
    for (const candidate of candidates) {
      if (candidate.cls.custom) continue;
      const list = byPattern.get(candidate.cls.pattern);
      if (list) list.push(candidate);
      else byPattern.set(candidate.cls.pattern, [candidate]);
    }
    const rejected = new Set<string>();
    for (const [pattern, list] of byPattern) {
      let decision = this.confirmations.get(pattern);
      if (!decision) {
        decision = this.confirm(node, list[0].cls, list.slice(0, 3).map((c) => c.key));
        this.confirmations.set(pattern, decision);
        const reason = await decision;
        if (reason) this.stats.rejected.push(reason);
      }
      if (await decision) rejected.add(pattern);
    }
    return rejected.size === 0 ? candidates : candidates.filter((c) => !rejected.has(c.cls.pattern));
  }

  private async confirm(node: RedisReader, cls: Classified, keys: string[]): Promise<string | undefined> {
    const name = frameworkName(cls.framework);
    const types = await node.pipeline(keys.map((key) => ['TYPE', key] as const));
    const examples = keys.flatMap((key, i) => {
      const [error, type] = types[i];
      return !error && type !== 'none' ? [{ key, type: String(type), node: node.source }] : [];
    });
    if (STRING_FORMATS.has(cls.framework) && examples.length > 0 && examples.every((example) => example.type !== 'string')) {
      return `${cls.pattern}: the key shape of ${name}, but its keys are ${examples[0].type}es, not strings: not treated as sessions (--session-pattern '${cls.pattern}' says they are)`;
    }
    const namespace = { pattern: cls.pattern, framework: cls.framework, frameworkName: name, role: 'session' } as Namespace;
    const result = await confirmByValue([namespace], () => ({ examples, types: [...new Set(examples.map((e) => e.type))] }), () => node);
    if (namespace.framework === null) return `${result.rejected[0] ?? cls.pattern} (--session-pattern '${cls.pattern}' says they are)`;
    // Could not look (GETRANGE refused): revoke does not delete what it could not check.
    if (result.unchecked.length > 0) return `${result.unchecked[0]}: not treated as sessions (--session-pattern '${cls.pattern}' says they are)`;
    return undefined;
  }

  private countUnreadable(cls: Classified, reason: string): void {
    const id = `${cls.framework}\u0000${cls.pattern}`;
    let entry = this.unreadable.get(id);
    if (!entry) {
      entry = { framework: cls.framework, pattern: cls.pattern, count: 0, reason, reasons: {} };
      this.unreadable.set(id, entry);
    }
    entry.count++;
    entry.reasons[reason] = (entry.reasons[reason] ?? 0) + 1;
    if (entry.reasons[reason] > (entry.reasons[entry.reason] ?? 0)) entry.reason = reason;
  }

  /** The per-key filters, then the plan (`valueFilter`: the run's, or less for Spring sessions found by index). */
  private async filterAndPlan(candidates: Candidate[], valueFilter: ValueFilter | undefined, onPlanned: ((candidate: Candidate) => void) | undefined, meta: boolean): Promise<void> {
    let kept = candidates;
    if (meta && kept.length > 0) kept = await this.metaFilter(kept);
    if (valueFilter && kept.length > 0) kept = await this.valueFilterStep(kept, valueFilter);
    for (const candidate of kept) if (this.plan(candidate)) onPlanned?.(candidate);
  }

  private async metaFilter(candidates: Candidate[]): Promise<Candidate[]> {
    const { ttlNone, idleOver } = this.filter;
    const commands = candidates.flatMap((c) => {
      const out: Array<{ key: string; node?: string; command: [string, ...Arg[]] }> = [];
      if (ttlNone) out.push({ key: c.key, node: c.node ?? undefined, command: ['PTTL', c.key] });
      if (idleOver !== undefined) out.push({ key: c.key, node: c.node ?? undefined, command: ['OBJECT', 'IDLETIME', c.key] });
      return out;
    });
    const replies = await this.ctx.router.send(commands);
    const per = (ttlNone ? 1 : 0) + (idleOver !== undefined ? 1 : 0);
    return candidates.filter((c, i) => {
      let at = i * per;
      if (ttlNone) {
        const [error, pttl] = replies[at++];
        if (error) throw new RedisReplyError(`PTTL: ${cleanReply(error.message)}`, this.ctx.store.source, replyCode(error));
        if (pttl !== -1) return false; // has a TTL, or gone (-2)
      }
      if (idleOver !== undefined) {
        const [error, idle] = replies[at++];
        if (error) {
          if (/no such key/i.test(error.message)) return false;
          if (/^NOPERM/.test(error.message)) throw new RedisReplyError(`OBJECT IDLETIME: ${cleanReply(error.message)} (the ACL user needs +object|idletime)`, this.ctx.store.source, 'NOPERM');
          this.countUnreadable(c.cls, `OBJECT IDLETIME: ${cleanReply(error.message)}`);
          return false;
        }
        if (!(Number(idle) > idleOver)) return false;
      }
      return true;
    });
  }

  private async valueFilterStep(candidates: Candidate[], filter: ValueFilter): Promise<Candidate[]> {
    const kept: Candidate[] = [];
    for (let from = 0; from < candidates.length; from += VALUE_BATCH) {
      const chunk = candidates.slice(from, from + VALUE_BATCH);
      // Plain GETs (most frameworks) in one read-only script per page; hashes per key.
      const commands = chunk.map((c) => valueCommand(c.cls.framework, c.key, filter));
      const replies = commands.every((command) => command[0] === 'GET')
        ? await getValues(this.ctx.router, chunk.map((c) => ({ key: c.key, node: c.node ?? undefined })))
        : await this.ctx.router.send(chunk.map((c, i) => ({ key: c.key, node: c.node ?? undefined, command: commands[i] })), { buffers: true });
      chunk.forEach((candidate, i) => {
        const [error] = replies[i];
        // A refused read says nothing about the session: stop, rather than count it unreadable.
        if (error && /^NOPERM/.test(error.message)) {
          throw new RedisReplyError(`${commands[i][0]}: ${cleanReply(error.message)} (the ACL user needs +get, +hgetall and +hmget for --user / --created-before)`, this.ctx.store.source, 'NOPERM');
        }
        const verdict = judgeValue(candidate.cls.framework, replies[i], filter);
        if (verdict.kind === 'match') kept.push(candidate);
        else if (verdict.kind === 'unreadable') this.countUnreadable(candidate.cls, verdict.reason);
      });
    }
    return kept;
  }

  private plan(candidate: Candidate): boolean {
    const { key, cls } = candidate;
    const before = this.seen.size;
    this.seen.add(key);
    if (this.seen.size === before) return false; // selected meanwhile by the other half of the walk
    this.stats.matched++;
    if (this.ctx.known?.has(key)) this.stats.reappeared++;
    let count = this.stats.byNamespace.get(cls.pattern);
    if (!count) {
      count = { framework: cls.framework, name: frameworkName(cls.framework), keys: 0, examples: [] };
      this.stats.byNamespace.set(cls.pattern, count);
    }
    count.keys++;
    if (count.examples.length < EXAMPLES) count.examples.push(maskKey(key));
    // Standalone: no node in the plan (there is one); cluster: the master the walk found it on.
    const node = this.ctx.router.cluster ? candidate.node : null;
    this.ctx.sink.add({ t: 's', node, pattern: cls.pattern, framework: cls.framework, key });
    if (cls.framework !== 'spring-session') return true;
    const spring = springSession(key);
    if (!spring) return true;
    let ids = this.springIds.get(spring.ns);
    if (!ids) this.springIds.set(spring.ns, (ids = new Set()));
    ids.add(spring.id);
    const expires = springExpiresKey(spring.ns, spring.id);
    if (!this.seen.has(expires)) {
      this.seen.add(expires);
      this.stats.expiryKeys++;
      this.ctx.sink.add({ t: 'r', node: null, key: expires });
    }
    return true;
  }

  /** `--user` on Spring Session: the sessions in the user's principal index sets. */
  private async springUserSessions(): Promise<void> {
    const user = this.filter.user!;
    const namespaces = new Set([DEFAULT_SPRING_NAMESPACE]);
    for (const { key } of this.indexKeys.values()) {
      const ns = springIndexNamespace(key);
      if (ns && key === springPrincipalIndexKey(user, ns)) namespaces.add(ns);
    }
    const sets: IndexKey[] = [...namespaces].map((ns) => {
      const key = springPrincipalIndexKey(user, ns);
      return this.indexKeys.get(key) ?? { key, node: null };
    });
    const found: Array<{ set: IndexKey; ns: string; id: string }> = [];
    await scanSets(this.ctx.router, sets, (set, members) => {
      const ns = springIndexNamespace(set.key)!;
      for (const id of members) found.push({ set, ns, id });
    }, this.ctx.stop);
    // The index says whose session it is; the other filters still apply, and a stale entry (its
    // session already gone) is no session to revoke.
    const candidates: Candidate[] = [];
    const setOf = new Map<string, IndexKey>();
    for (const { set, ns, id } of found) {
      const key = springSessionKey(ns, id);
      const cls = this.ctx.selector.passesNames(key);
      if (!cls || cls.framework !== 'spring-session' || this.seen.has(key)) continue;
      candidates.push({ key, node: null, cls });
      setOf.set(key, set);
    }
    const exists = await this.ctx.router.send(candidates.map((c) => ({ key: c.key, command: ['EXISTS', c.key] as [string, ...Arg[]] })));
    const live = candidates.filter((_, i) => Number(exists[i][1]) > 0);
    this.stats.staleIndexEntries += candidates.length - live.length;
    const valueFilter = this.filter.createdBefore !== undefined ? { createdBefore: this.filter.createdBefore } : undefined;
    await this.filterAndPlan(live, valueFilter, (candidate) => {
      const set = setOf.get(candidate.key)!;
      const spring = springSession(candidate.key)!;
      this.stats.indexEntries++;
      this.ctx.sink.add({ t: 'i', node: set.node, key: set.key, member: spring.id });
    }, this.needsMeta);
  }

  /** The index entries of the Spring sessions planned: SREM each id from every index set that holds it. */
  private async springIndexEntries(): Promise<void> {
    const match = this.ctx.selector.match;
    const namespaces = [...this.springIds.keys()];
    const covered = match === undefined || namespaces.every((ns) => match === 'spring:session:*' && ns.startsWith('spring:session'));
    if (!covered) {
      // The walk's MATCH hid the index keys: walk again for them alone.
      for (const ns of namespaces) {
        await walkNodes(this.ctx.store.nodes, { match: `${escapeGlob(ns)}:index:*`, count: this.ctx.count ?? 2000 }, (node, keys) => {
          for (const key of keys) if (springIndexNamespace(key) === ns && !this.indexKeys.has(key)) this.indexKeys.set(key, { key, node: node.address });
        }, this.ctx.stop);
      }
    }
    const sets = [...this.indexKeys.values()].filter((set) => this.springIds.has(springIndexNamespace(set.key) ?? ''));
    await scanSets(this.ctx.router, sets, (set, members) => {
      const ids = this.springIds.get(springIndexNamespace(set.key)!)!;
      for (const member of members) {
        if (!ids.has(member)) continue;
        this.stats.indexEntries++;
        this.ctx.sink.add({ t: 'i', node: set.node, key: set.key, member });
      }
    }, this.ctx.stop);
  }
}

/** --idle-over reads OBJECT IDLETIME, which Redis does not track under an LFU eviction policy. */
async function assertIdleTracked(node: RedisReader): Promise<void> {
  const policy = parseInfo(await node.info('memory')).get('maxmemory_policy');
  if (policy && /lfu/i.test(policy)) {
    throw new InputError(`--idle-over: this server's maxmemory-policy is ${policy}, so Redis does not track idle time (OBJECT IDLETIME is refused); use --created-before or --ttl-none`, node.source);
  }
}
