import type { LogHops, LogRevokedUse, LogSession } from '../model/index.js';
import { digestOf, isAccepted, isLostSession, isStaticPath, logoutOf } from './analyse-classify.js';
import { own } from '../util/own-string.js';
import type { LogRecord } from './record.js';

/**
 * Per-session and per-jti state with bounded memory, for session-reuse-many-ips, session-hops-nodes and
 * token-used-after-logout.
 *
 * - At most `capacity` ids are tracked at once (IdTable: a Map from id to slot over a fixed ring of
 *   recycled entries, CLOCK eviction of ids idle longer than the window first). 1M distinct sessions
 *   keep it at `capacity` entries.
 * - Each id keeps capped small sets of client IPs and user agents, each value with the time last seen:
 *   the distinct values within the window are counted when a value arrives; when a set is full, the
 *   value seen longest ago makes room (and the count is then a lower bound: `capped`).
 * - Ids that cross a threshold are copied into a bounded list of flagged ids (the findings), so an
 *   eviction never loses a finding.
 * - Logged-out / revoked ids are kept in their own bounded map (oldest dropped first).
 */

export interface SessionTrackerOptions {
  maxIps: number;
  maxUserAgents: number;
  /** Seconds. */
  window: number;
  /** Ids tracked at once, per kind (default 100,000). */
  capacity?: number;
  /** Logged-out ids remembered (default 100,000). */
  logoutCapacity?: number;
  /** Flagged ids kept for findings, per rule (default 1,000). */
  flagCapacity?: number;
}

/**
 * One tracked id. Most ids only ever see one IP and one user agent: those live in plain fields, and
 * the arrays of further values are made on the second distinct value. IPv4 addresses are kept as
 * numbers and user agents as ids of a bounded intern table, so an entry pins no slice of the input.
 */
class Entry {
  requests = 0;
  ip0: IpValue | undefined = undefined;
  ipT0 = 0;
  ips: number[] | null = null;
  ipVals: IpValue[] | null = null;
  ua0 = -1;
  uaT0 = 0;
  uas: number[] | null = null;
  uaVals: number[] | null = null;
  /** The most distinct IPs / user agents within one window so far. */
  maxIps = 0;
  maxUas = 0;
  capped = false;
  lastNode: string | undefined = undefined;
  hopped = false;
  first = 0;
  last = 0;
  /**
   * The latest accepted use (see isUse), so a logout read after it (another file, or a log out of order)
   * still finds a use later in time: -Infinity when none.
   */
  useTime = Number.NEGATIVE_INFINITY;
  useFile = '';
  useLine = 0;
  useStatus: number | undefined = undefined;
  useNode: string | undefined = undefined;

  /** Make the entry new for another id (entries are recycled: no allocation per new id). */
  reset(time: number): void {
    this.requests = 0;
    this.first = time;
    this.last = time;
    this.ip0 = undefined;
    this.ipT0 = 0;
    this.ips = null;
    this.ipVals = null;
    this.ua0 = -1;
    this.uaT0 = 0;
    this.uas = null;
    this.uaVals = null;
    this.maxIps = 0;
    this.maxUas = 0;
    this.capped = false;
    this.lastNode = undefined;
    this.hopped = false;
    this.useTime = Number.NEGATIVE_INFINITY;
    this.useFile = '';
    this.useLine = 0;
    this.useStatus = undefined;
    this.useNode = undefined;
  }
}

/** An IPv4 address as a number, anything else as a string of its own. */
type IpValue = number | string;

function ipValue(ip: string): IpValue {
  let value = 0;
  let part = -1;
  let dots = 0;
  for (let index = 0; index < ip.length; index++) {
    const code = ip.charCodeAt(index);
    if (code === 46) {
      if (part < 0 || dots === 3) return own(ip);
      value = value * 256 + part;
      part = -1;
      dots++;
    } else if (code >= 48 && code <= 57) {
      part = part < 0 ? code - 48 : part * 10 + code - 48;
      if (part > 255) return own(ip);
    } else return own(ip);
  }
  if (dots !== 3 || part < 0) return own(ip);
  return value * 256 + part;
}

const ipText = (value: IpValue): string =>
  typeof value === 'string' ? value : `${Math.floor(value / 16777216)}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;

/** User agents to small numbers: a few thousand distinct ones are kept, the rest are told apart by a hash. */
class Interner {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  constructor(private readonly cap = 4096) {}

  id(text: string): number {
    const known = this.ids.get(text);
    if (known !== undefined) return known;
    if (this.names.length >= this.cap) return this.cap + hash31(text);
    const kept = own(text);
    this.ids.set(kept, this.names.length);
    this.names.push(kept);
    return this.names.length - 1;
  }

  name(id: number): string {
    return id < this.names.length ? this.names[id] : '(one of many: not kept)';
  }
}

function hash31(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 1;
}

interface Logout {
  file: string;
  line: number;
  time: number;
  how: string;
  /** The logout's request id: the same request's access line, logged after the app's "logged out", is no use after it. */
  requestId: string | undefined;
}

interface Use {
  file: string;
  line: number;
  time: number;
  status: number | undefined;
  node: string | undefined;
}

/**
 * A request that uses the id in a way a logout should have stopped: accepted, not a static file
 * (served whatever the cookie says), not a logout itself, and for a session cookie only when the log
 * names a signed-in user (a browser sends its old cookie after logout, and many frameworks then start
 * an empty session under the same id: harmless).
 */
function isUse(idKind: 'session' | 'jti', record: LogRecord): boolean {
  if (!isAccepted(record) || isStaticPath(record.path)) return false;
  return idKind === 'jti' || (record.user !== undefined && record.user !== '' && record.user !== '-');
}

const MAX_HOP_EXAMPLES = 6;

/** Distinct IPs / user agents kept per id (the first one included): bounds memory per id. */
const MAX_VALUES = 32;
/** The highest --max-ips / --max-user-agents that can still be crossed, with a few values to show beyond it. */
export const MAX_THRESHOLD = MAX_VALUES - 4;

/**
 * A use in another file than its logout counts only this long after it: the logout request's own line in
 * the other log (an access log beside the app's "logged out") is stamped by another clock, often to the
 * second, and may carry no request id to match.
 */
const OTHER_FILE_SLACK_MS = 2000;

export class SessionTracker {
  readonly capacity: number;
  private readonly windowMs: number;
  private readonly ipCap: number;
  private readonly uaCap: number;
  private readonly logoutCapacity: number;
  private readonly flagCapacity: number;
  private readonly sessions: IdTable;
  private readonly jtis: IdTable;
  private readonly agents = new Interner();
  private readonly logouts: Generations<Logout>;
  private readonly flagged = new Map<string, LogSession>();
  private readonly revokedUses = new Map<string, LogRevokedUse>();
  /** Latest time seen (ms), the clock of the window. */
  private clock = Number.NEGATIVE_INFINITY;
  /** Counts for the report. */
  readonly stats = { sessionsSeen: 0, jtisSeen: 0, flaggedDropped: 0, logouts: 0 };
  private readonly hops = {
    sessionsHopped: 0,
    hops: 0,
    hopsLost: 0,
    stays: 0,
    staysLost: 0,
    first: null as { file: string; line: number } | null,
    nodes: new Set<string>(),
    examples: [] as LogHops['examples'],
  };

  constructor(private readonly options: SessionTrackerOptions) {
    this.capacity = options.capacity ?? 100_000;
    this.logoutCapacity = options.logoutCapacity ?? 100_000;
    this.flagCapacity = options.flagCapacity ?? 1000;
    this.windowMs = options.window * 1000;
    this.sessions = new IdTable(this.capacity, this.windowMs);
    this.jtis = new IdTable(this.capacity, this.windowMs);
    this.logouts = new Generations<Logout>(this.logoutCapacity);
    // One more than the threshold is enough to cross it; a few more make the shown lists useful.
    // A set never counts past its cap, so a threshold of MAX_VALUES or more could never be crossed:
    // the CLI keeps --max-ips / --max-user-agents at most MAX_THRESHOLD.
    this.ipCap = Math.min(MAX_VALUES, Math.max(options.maxIps + 4, 6));
    this.uaCap = Math.min(MAX_VALUES, Math.max(options.maxUserAgents + 4, 6));
  }

  /** Ids tracked right now (sessions, jtis): never above `capacity` each. */
  get size(): { sessions: number; jtis: number; logouts: number; flagged: number } {
    return { sessions: this.sessions.size, jtis: this.jtis.size, logouts: this.logouts.size, flagged: this.flagged.size };
  }

  get evicted(): number {
    return this.sessions.evicted + this.jtis.evicted;
  }

  add(record: LogRecord, time: number): void {
    if (time > this.clock) this.clock = time;
    const session = record.session;
    const jti = record.jti;
    if (session !== undefined && session !== '' && session !== '-') this.touch(this.sessions, 'session', session, record, time);
    if (jti !== undefined && jti !== '' && jti !== '-') this.touch(this.jtis, 'jti', jti, record, time);
  }

  private touch(table: IdTable, idKind: 'session' | 'jti', id: string, record: LogRecord, time: number): void {
    const entry = table.lookup(id, time, this.clock);
    if (table.fresh) {
      if (idKind === 'session') this.stats.sessionsSeen++;
      else this.stats.jtisSeen++;
    }
    entry.requests++;
    if (time > entry.last) entry.last = time;
    if (time < entry.first) entry.first = time;

    const ip = record.ip;
    if (ip !== undefined && ip !== '' && ip !== '-') {
      const count = this.noteIp(entry, ipValue(ip), time);
      if (count > entry.maxIps) {
        entry.maxIps = count;
        if (count > this.options.maxIps) this.flag(idKind, id, entry, record, time);
      } else if (count === entry.maxIps && entry.capped && count > this.options.maxIps) this.flag(idKind, id, entry, record, time);
    }
    const ua = record.userAgent;
    if (ua !== undefined && ua !== '' && ua !== '-') {
      // The id's own user agent again (the usual case): a string compare, no hashing of ~100 characters.
      const agent = entry.ua0 >= 0 && this.agents.names[entry.ua0] === ua ? entry.ua0 : this.agents.id(ua);
      const count = this.noteUa(entry, agent, time);
      if (count > entry.maxUas) {
        entry.maxUas = count;
        if (count > this.options.maxUserAgents) this.flag(idKind, id, entry, record, time);
      } else if (count === entry.maxUas && entry.capped && count > this.options.maxUserAgents) this.flag(idKind, id, entry, record, time);
    }

    if (idKind === 'session') {
      const node = record.node;
      if (node !== undefined && node !== '' && node !== '-') this.noteNode(entry, id, node, record);
    }

    const how = logoutOf(record);
    if (this.logouts.size > 0) {
      const key = idKind === 'session' ? `s\0${id}` : `j\0${id}`;
      const logout = this.logouts.get(key);
      if (logout !== undefined && how === null) this.checkAfterLogout(key, idKind, id, logout, record, time);
    }
    if (how !== null) {
      const key = idKind === 'session' ? `s\0${id}` : `j\0${id}`;
      const logout = this.noteLogout(key, record, time, how);
      // A use later in time but read before this logout (files read one after the other overlap in time).
      if (entry.useTime > time + (entry.useFile === record.file ? 0 : OTHER_FILE_SLACK_MS)) {
        this.revokedUse(key, idKind, id, logout, { file: entry.useFile, line: entry.useLine, time: entry.useTime, status: entry.useStatus, node: entry.useNode }, true);
      }
    } else if (time > entry.useTime && isUse(idKind, record)) {
      entry.useTime = time;
      entry.useFile = record.file;
      entry.useLine = record.line;
      entry.useStatus = record.status;
      entry.useNode = record.node === undefined ? undefined : this.nodeName(record.node);
    }
  }

  /**
   * Note an IP at a time; returns the number of distinct IPs within the window when it may have grown
   * (a new one, or one back after more than a window), else -1. noteUa is the same for user agents.
   */
  private noteIp(entry: Entry, value: IpValue, time: number): number {
    if (entry.ip0 === undefined) {
      entry.ip0 = value;
      entry.ipT0 = time;
      return 1;
    }
    if (entry.ip0 === value) {
      const previous = entry.ipT0;
      if (time > previous) entry.ipT0 = time;
      return Math.abs(time - previous) > this.windowMs ? this.countIps(entry, time) : -1;
    }
    if (entry.ipVals === null) {
      entry.ipVals = [];
      entry.ips = [];
    }
    const added = this.noteMore(entry, entry.ipVals, entry.ips!, value, time, this.ipCap);
    return added ? this.countIps(entry, time) : -1;
  }

  private noteUa(entry: Entry, value: number, time: number): number {
    if (entry.ua0 < 0) {
      entry.ua0 = value;
      entry.uaT0 = time;
      return 1;
    }
    if (entry.ua0 === value) {
      const previous = entry.uaT0;
      if (time > previous) entry.uaT0 = time;
      return Math.abs(time - previous) > this.windowMs ? this.countUas(entry, time) : -1;
    }
    if (entry.uaVals === null) {
      entry.uaVals = [];
      entry.uas = [];
    }
    const added = this.noteMore(entry, entry.uaVals, entry.uas!, value, time, this.uaCap);
    return added ? this.countUas(entry, time) : -1;
  }

  /** The values after the first: true when the count may have grown. The first value is never replaced. */
  private noteMore<T>(entry: Entry, vals: T[], times: number[], value: T, time: number, cap: number): boolean {
    const windowMs = this.windowMs;
    for (let index = 0; index < vals.length; index++) {
      if (vals[index] === value) {
        const previous = times[index];
        if (time > previous) times[index] = time;
        return Math.abs(time - previous) > windowMs;
      }
    }
    if (vals.length < cap - 1) {
      vals.push(value);
      times.push(time);
    } else {
      let oldest = 0;
      for (let index = 1; index < times.length; index++) if (times[index] < times[oldest]) oldest = index;
      if (Math.abs(time - times[oldest]) <= windowMs) entry.capped = true;
      vals[oldest] = value;
      times[oldest] = time;
    }
    return true;
  }

  private countIps(entry: Entry, time: number): number {
    return (Math.abs(time - entry.ipT0) <= this.windowMs ? 1 : 0) + (entry.ips === null ? 0 : countWithin(entry.ips, time, this.windowMs));
  }

  private countUas(entry: Entry, time: number): number {
    return (Math.abs(time - entry.uaT0) <= this.windowMs ? 1 : 0) + (entry.uas === null ? 0 : countWithin(entry.uas, time, this.windowMs));
  }

  private flag(idKind: 'session' | 'jti', id: string, entry: Entry, record: LogRecord, time: number): void {
    const key = `${idKind}\0${id}`;
    const existing = this.flagged.get(key);
    if (existing === undefined && this.flagged.size >= this.flagCapacity) {
      this.stats.flaggedDropped++;
      return;
    }
    if (existing !== undefined && existing.ipsInWindow >= entry.maxIps && existing.userAgentsInWindow >= entry.maxUas && existing.capped === entry.capped) return;
    const windowMs = this.windowMs;
    const within = <T>(first: T | undefined, firstTime: number, vals: T[] | null, times: number[] | null): T[] => {
      const all: T[] = first !== undefined && Math.abs(time - firstTime) <= windowMs ? [first] : [];
      if (vals !== null && times !== null) vals.forEach((value, index) => Math.abs(time - times[index]) <= windowMs && all.push(value));
      return all;
    };
    this.flagged.set(key, {
      kind: 'log-session',
      // The request that crossed the threshold first.
      location: existing?.location ?? { file: record.file, line: record.line, column: 1 },
      idKind,
      digest: existing?.digest ?? digestOf(id),
      ipsInWindow: Math.max(entry.maxIps, existing?.ipsInWindow ?? 0),
      userAgentsInWindow: Math.max(entry.maxUas, existing?.userAgentsInWindow ?? 0),
      ips: within(entry.ip0, entry.ipT0, entry.ipVals, entry.ips).map(ipText),
      userAgents: within(entry.ua0 < 0 ? undefined : entry.ua0, entry.uaT0, entry.uaVals, entry.uas).map((id) => this.agents.name(id)),
      capped: entry.capped,
      windowSeconds: this.options.window,
      requests: entry.requests,
      firstTime: Math.min(entry.first, existing?.firstTime ?? Number.POSITIVE_INFINITY),
      lastTime: entry.last,
    });
  }

  private noteNode(entry: Entry, id: string, node: string, record: LogRecord): void {
    const previous = entry.lastNode;
    if (previous === node) {
      this.hops.stays++;
      if (isLostSession(record)) this.hops.staysLost++;
      return;
    }
    entry.lastNode = this.nodeName(node);
    if (previous === undefined) return;
    const hops = this.hops;
    const lost = isLostSession(record);
    hops.hops++;
    if (lost) hops.hopsLost++;
    if (!entry.hopped) {
      entry.hopped = true;
      hops.sessionsHopped++;
    }
    if (hops.first === null) hops.first = { file: record.file, line: record.line };
    if (hops.nodes.size < 64) {
      hops.nodes.add(previous);
      hops.nodes.add(entry.lastNode);
    }
    // A few examples, the lost ones first: they are the ones that show the verdict.
    const examples = hops.examples;
    if (examples.length < MAX_HOP_EXAMPLES || (lost && examples.some((example) => !example.lost))) {
      const example = { digest: digestOf(id), from: previous, to: entry.lastNode, file: record.file, line: record.line, lost };
      if (examples.length < MAX_HOP_EXAMPLES) examples.push(example);
      else examples[examples.findIndex((candidate) => !candidate.lost)] = example;
    }
  }

  private readonly nodeNames = new Map<string, string>();

  /** One copy per node name (there are few), so entries share it. */
  private nodeName(node: string): string {
    let name = this.nodeNames.get(node);
    if (name === undefined) {
      name = own(node);
      if (this.nodeNames.size < 4096) this.nodeNames.set(name, name);
    }
    return name;
  }

  private noteLogout(key: string, record: LogRecord, time: number, how: string): Logout {
    this.stats.logouts++;
    const requestId = record.requestId === undefined || record.requestId === '' || record.requestId === '-' ? undefined : own(record.requestId);
    const logout = { file: record.file, line: record.line, time, how, requestId };
    this.logouts.set(own(key), logout);
    return logout;
  }

  /** A use after its logout counts when it is later than the logout and a real use (isUse). */
  private checkAfterLogout(key: string, idKind: 'session' | 'jti', id: string, logout: Logout, record: LogRecord, time: number): void {
    if (!(time > logout.time || (time === logout.time && record.file === logout.file && record.line > logout.line))) return;
    if (!isUse(idKind, record) || (logout.requestId !== undefined && record.requestId === logout.requestId)) return;
    if (record.file !== logout.file && time <= logout.time + OTHER_FILE_SLACK_MS) return;
    this.revokedUse(key, idKind, id, logout, { file: record.file, line: record.line, time, status: record.status, node: record.node });
  }

  private revokedUse(key: string, idKind: 'session' | 'jti', id: string, logout: Logout, use: Use, readBefore = false): void {
    const existing = this.revokedUses.get(key);
    if (existing !== undefined) {
      existing.uses++;
      return;
    }
    if (this.revokedUses.size >= this.flagCapacity) {
      this.stats.flaggedDropped++;
      return;
    }
    this.revokedUses.set(key, {
      kind: 'log-revoked-use',
      location: { file: use.file, line: use.line, column: 1 },
      idKind,
      digest: digestOf(id),
      logout: { file: logout.file, line: logout.line, column: 1 },
      logoutHow: logout.how,
      logoutTime: logout.time,
      useTime: use.time,
      uses: 1,
      readBeforeLogout: readBefore,
      status: use.status ?? null,
      node: use.node === undefined ? null : own(use.node),
    });
  }

  sessionNodes(): LogSession[] {
    return [...this.flagged.values()];
  }

  revokedUseNodes(): LogRevokedUse[] {
    return [...this.revokedUses.values()];
  }

  /** The hops of every session across nodes, with the verdict: null when no session was seen on two nodes. */
  hopsNode(sessions: 'auto' | 'shared' | 'local'): LogHops | null {
    const hops = this.hops;
    if (hops.hops === 0 || hops.first === null) return null;
    let verdict: LogHops['verdict'];
    if (sessions !== 'auto') verdict = sessions;
    else {
      const hopRate = hops.hopsLost / hops.hops;
      const stayRate = hops.stays > 0 ? hops.staysLost / hops.stays : 0;
      if (hops.hopsLost >= 2 && hopRate >= 0.25 && hopRate >= 3 * stayRate) verdict = 'local';
      else if (hops.hops >= 5 && hopRate <= Math.max(0.02, 2 * stayRate)) verdict = 'shared';
      else verdict = 'unknown';
    }
    return {
      kind: 'log-hops',
      location: { file: hops.first.file, line: hops.first.line, column: 1 },
      sessionsTracked: this.stats.sessionsSeen,
      sessionsHopped: hops.sessionsHopped,
      hops: hops.hops,
      hopsLost: hops.hopsLost,
      stays: hops.stays,
      staysLost: hops.staysLost,
      verdict,
      verdictFrom: sessions === 'auto' ? 'logs' : 'flag',
      nodes: [...hops.nodes].sort(),
      examples: [...hops.examples].sort((a, b) => Number(b.lost) - Number(a.lost)),
    };
  }
}

function countWithin(times: number[], time: number, windowMs: number): number {
  let count = 0;
  for (let index = 0; index < times.length; index++) if (Math.abs(time - times[index]) <= windowMs) count++;
  return count;
}

/**
 * At most `capacity` entries, found through a Map from id to slot (V8 hashes strings natively and
 * caches the hash: far cheaper than hashing in JS). When full, a new id takes the slot a clock hand
 * finds first among the next few that was idle for longer than the window, else the least recently
 * seen of them (CLOCK, an approximate LRU); its entry object is recycled, so the number of entries and
 * ids kept never grows past `capacity`.
 */
class IdTable {
  private readonly slots = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly entries: Entry[] = [];
  private hand = 0;
  evicted = 0;
  /** Set by lookup: the id was not in the table. */
  fresh = false;

  constructor(
    readonly capacity: number,
    private readonly windowMs: number,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  // The last id looked up: a page and its assets come one after the other with the same cookie.
  private lastId = '';
  private lastEntry: Entry | undefined = undefined;

  lookup(id: string, time: number, clock: number): Entry {
    if (id === this.lastId && this.lastEntry !== undefined) {
      this.fresh = false;
      return this.lastEntry;
    }
    const slot = this.slots.get(id);
    if (slot !== undefined) {
      this.fresh = false;
      this.lastId = id.length < 13 ? id : this.ids[slot];
      return (this.lastEntry = this.entries[slot]);
    }
    this.fresh = true;
    this.lastEntry = undefined;
    const kept = own(id);
    const entries = this.entries;
    if (entries.length < this.capacity) {
      const entry = new Entry();
      entry.reset(time);
      this.slots.set(kept, entries.length);
      entries.push(entry);
      this.ids.push(kept);
      this.lastId = kept;
      return (this.lastEntry = entry);
    }
    const horizon = clock - this.windowMs;
    let victim = this.hand;
    for (let probe = 0; probe < 8; probe++) {
      const index = (this.hand + probe) % this.capacity;
      if (entries[index].last < horizon) {
        victim = index;
        break;
      }
      if (entries[index].last < entries[victim].last) victim = index;
    }
    this.hand = (victim + 1) % this.capacity;
    this.evicted++;
    this.slots.delete(this.ids[victim]);
    this.slots.set(kept, victim);
    this.ids[victim] = kept;
    const entry = entries[victim];
    entry.reset(time);
    this.lastId = kept;
    return (this.lastEntry = entry);
  }
}

/** Two generations of a bounded map: when the young one is full the old one is dropped whole. */
class Generations<T> {
  private young = new Map<string, T>();
  private old = new Map<string, T>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: string): T | undefined {
    return this.young.get(key) ?? this.old.get(key);
  }

  set(key: string, value: T): void {
    this.young.set(key, value);
    if (this.young.size >= Math.max(1, Math.floor(this.capacity / 2))) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}
