/**
 * Which keys `revoke` may touch. Only keys recognised as sessions are ever candidates: the key shapes
 * of src/stores/frameworks.ts (role "session"), or `--session-pattern GLOB`. Every filter given is
 * combined with AND:
 *   --namespace GLOB (repeatable: any of them), --framework ID (repeatable: any of them),
 *   --user ID [--user-field a.b.c], --idle-over DURATION, --created-before TIME, --ttl-none,
 * and `--all-sessions` stands for "no filter" and must be spelled out.
 */
import { UsageError } from '../errors.js';
import { FRAMEWORKS, recogniseKey } from '../stores/frameworks.js';
import { sessionPatterns } from '../stores/session-patterns.js';
import { globToRegExp } from '../stores/redis-glob.js';
import { parseUserField } from './session-user.js';

export interface RevokeFilter {
  namespaces: string[];
  frameworks: string[];
  sessionPatterns: string[];
  user?: string;
  /** `--user-field`, dotted. */
  userField?: string;
  /** Seconds. */
  idleOver?: number;
  /** Epoch milliseconds. */
  createdBefore?: number;
  ttlNone?: boolean;
  allSessions?: boolean;
}

export const ASPNET_CORE_ID = 'aspnet-core';
const ASPNET_CORE_NAME = 'ASP.NET Core (distributed cache)';

/** Every framework id `--framework` accepts (aliases: spring -> spring-session). */
export const FRAMEWORK_IDS: readonly string[] = [...new Set([...FRAMEWORKS.map((f) => f.id), ASPNET_CORE_ID])];
const ALIASES: Record<string, string> = { spring: 'spring-session', express: 'connect-redis', 'express-session': 'connect-redis', flask: 'flask-session', php: 'phpredis', aspnet: ASPNET_CORE_ID };

/**
 * A SCAN MATCH glob per framework that covers every key frameworks.ts recognises for it (a superset:
 * the client-side test still decides). Frameworks with two unrelated key shapes have none.
 * Spring's covers its index keys too, which the revocation needs (SREM of the session's id).
 */
const WALK_GLOB: Record<string, string | undefined> = {
  'connect-redis': 'sess:*',
  'spring-session': 'spring:session:*',
  phpredis: 'PHPREDIS_SESSION:*',
  'php-memcached': 'memc.sess.*',
  symfony: 'sf_s*',
  django: '*django.contrib.sessions.cache*',
  'flask-session': 'session:*',
  redistore: 'session_*',
};

/** Frameworks whose session value records when the session was created. */
export const RECORDS_CREATION = new Set(['spring-session', 'symfony', 'phpredis', 'php-memcached']);

export function normaliseFramework(id: string): string {
  const known = ALIASES[id] ?? id;
  if (!FRAMEWORK_IDS.includes(known)) throw new UsageError(`--framework ${id}: unknown (one of ${FRAMEWORK_IDS.join(', ')}; spring for spring-session)`);
  return known;
}

export function frameworkName(id: string): string {
  if (id === ASPNET_CORE_ID) return ASPNET_CORE_NAME;
  return FRAMEWORKS.find((f) => f.id === id)?.name ?? id;
}

export interface Classified {
  /** The namespace shown in reports: the framework's glob, or the --session-pattern glob. */
  pattern: string;
  framework: string;
  /** From --session-pattern: the user said these are sessions (no check of their values). */
  custom?: true;
}

/** A Spring Session principal index key (bookkeeping, never a candidate itself). */
export const SPRING_INDEX = Symbol('spring-index');

/** Whether any filter narrows the selection (a bare `revoke` must not touch anything). */
export function hasFilter(filter: RevokeFilter): boolean {
  return (
    filter.namespaces.length > 0 ||
    filter.frameworks.length > 0 ||
    filter.user !== undefined ||
    filter.idleOver !== undefined ||
    filter.createdBefore !== undefined ||
    filter.ttlNone === true
  );
}

export function validateFilter(filter: RevokeFilter): void {
  if (filter.userField !== undefined && filter.user === undefined) throw new UsageError('--user-field needs --user ID');
  if (!hasFilter(filter) && !filter.allSessions) {
    throw new UsageError(
      'no sessions selected: give a filter (--namespace, --framework, --user, --idle-over, --created-before, --ttl-none) or --all-sessions to revoke every recognised session',
    );
  }
  if (filter.allSessions && hasFilter(filter)) throw new UsageError('--all-sessions selects every session: it cannot be combined with filters');
  if (filter.user === '') throw new UsageError('--user: the user id is empty');
  if (filter.userField !== undefined) parseUserField(filter.userField);
  for (const glob of filter.namespaces) globToRegExp(glob);
  if (filter.frameworks.includes(ASPNET_CORE_ID) && filter.sessionPatterns.length === 0) {
    throw new UsageError('--framework aspnet-core: ASP.NET Core cache keys are InstanceName + id; name them with --session-pattern "MyApp*"');
  }
  if (filter.createdBefore !== undefined && filter.frameworks.length > 0 && !filter.frameworks.some((id) => RECORDS_CREATION.has(id))) {
    throw new UsageError(
      `--created-before: ${filter.frameworks.join(', ')} ${filter.frameworks.length > 1 ? 'do' : 'does'} not record when a session was created (only ${[...RECORDS_CREATION].join(', ')} do)`,
    );
  }
}

export class Selector {
  private readonly custom;
  private readonly customFramework: string | undefined;
  private readonly frameworks: Set<string> | undefined;
  private readonly namespaceRes: RegExp[];
  readonly userField: string[] | undefined;
  /** The SCAN MATCH glob, when one glob covers every key the filter can select. */
  readonly match: string | undefined;
  /** Spring Session keys are in scope. */
  readonly spring: boolean;
  /** `--user` on Spring Session is answered by its principal index, not by reading session values. */
  readonly springUserByIndex: boolean;

  constructor(readonly filter: RevokeFilter) {
    this.custom = sessionPatterns(filter.sessionPatterns);
    this.frameworks = filter.frameworks.length > 0 ? new Set(filter.frameworks) : undefined;
    // With exactly one --framework, keys of --session-pattern are that framework's sessions (read as it writes them).
    this.customFramework = filter.frameworks.length === 1 ? filter.frameworks[0] : undefined;
    this.namespaceRes = filter.namespaces.map((glob) => globToRegExp(glob));
    this.userField = filter.userField !== undefined ? parseUserField(filter.userField) : undefined;
    this.spring = !this.frameworks || this.frameworks.has('spring-session');
    this.springUserByIndex = this.spring && filter.user !== undefined && this.userField === undefined;
    this.match = this.chooseMatch();
  }

  private chooseMatch(): string | undefined {
    const serverSafe = (glob: string) => !/[[\]\\]/.test(glob);
    if (this.filter.namespaces.length === 1) return this.filter.namespaces[0];
    if (this.custom.length > 0) {
      // Keys of --session-pattern are candidates whatever their shape: one MATCH only if it is the only source.
      const onlyCustom = this.customFramework === ASPNET_CORE_ID && this.custom.length === 1;
      return onlyCustom && serverSafe(this.custom[0].glob) ? this.custom[0].glob : undefined;
    }
    if (this.frameworks?.size === 1) return WALK_GLOB[[...this.frameworks][0]];
    return undefined;
  }

  /** A key the walk returned: a candidate session (by name), a Spring index key, or nothing. */
  classify(key: string): Classified | typeof SPRING_INDEX | undefined {
    let found: Classified | undefined;
    for (const pattern of this.custom) {
      if (pattern.match.test(key)) {
        found = { pattern: pattern.glob, framework: this.customFramework ?? 'custom', custom: true };
        break;
      }
    }
    if (!found) {
      const framework = recogniseKey(key);
      if (!framework) return undefined;
      if (framework.role === 'index') return this.spring && framework.id === 'spring-session' ? SPRING_INDEX : undefined;
      if (framework.role !== 'session') return undefined;
      found = { pattern: framework.glob, framework: framework.id };
    }
    if (this.frameworks && !this.frameworks.has(found.framework)) return undefined;
    if (this.namespaceRes.length > 0 && !this.namespaceRes.some((re) => re.test(key))) return undefined;
    return found;
  }

  /** Whether this session key passes the name filters (for keys found through an index, not a walk). */
  passesNames(key: string): Classified | undefined {
    const found = this.classify(key);
    return found && found !== SPRING_INDEX ? found : undefined;
  }

  /** The filter as the audit log and the report show it (never a value). */
  describe(): Record<string, unknown> {
    const f = this.filter;
    return {
      ...(f.allSessions ? { allSessions: true } : {}),
      ...(f.namespaces.length ? { namespaces: f.namespaces } : {}),
      ...(f.frameworks.length ? { frameworks: f.frameworks } : {}),
      ...(f.sessionPatterns.length ? { sessionPatterns: f.sessionPatterns } : {}),
      ...(f.user !== undefined ? { user: f.user } : {}),
      ...(f.userField !== undefined ? { userField: f.userField } : {}),
      ...(f.idleOver !== undefined ? { idleOverSeconds: f.idleOver } : {}),
      ...(f.createdBefore !== undefined ? { createdBefore: new Date(f.createdBefore).toISOString() } : {}),
      ...(f.ttlNone ? { ttlNone: true } : {}),
    };
  }
}
