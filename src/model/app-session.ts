import type { Location } from './location.js';

/**
 * Where an app keeps its sessions. `memory` (the process heap) and `file` (the node's disk) are per
 * node: another replica cannot see them. `cookie` and `token` are stateless (the client carries the
 * session); the rest are shared stores.
 */
export type SessionStorage = 'memory' | 'file' | 'cookie' | 'token' | 'redis' | 'memcached' | 'database' | 'shared' | 'unknown';

export const PER_NODE_STORAGE: ReadonlySet<SessionStorage> = new Set(['memory', 'file']);
export const SHARED_OR_STATELESS: ReadonlySet<SessionStorage> = new Set(['cookie', 'token', 'redis', 'memcached', 'database', 'shared']);

/** One setting and where it comes from: a line that sets it, or the framework's default (no location). */
export interface Setting<T> {
  value: T;
  /** Where the config sets it; absent when the value is the framework's documented default. */
  location?: Location;
  /** That line's text, trimmed. */
  evidence?: string;
}

export interface SessionCookieSettings {
  name?: string;
  secure?: Setting<boolean>;
  httpOnly?: Setting<boolean>;
  sameSite?: Setting<string>;
}

/**
 * A secret that signs or encrypts sessions (or auth cookies), when it is a problem:
 * - literal:  written in the code or config;
 * - sample:   a literal that is a well-known sample ('keyboard cat', 'changeme', Django's insecure key);
 * - per-node: made up by each process or node (random at start, ASP.NET Data Protection keys not
 *             persisted to a shared place): one node cannot read another's sessions.
 */
export interface SessionSecret {
  source: 'literal' | 'sample' | 'per-node';
  /** What it is, in the framework's words: "express-session secret", "Data Protection key ring". */
  what: string;
  location: Location;
  evidence: string;
}

/** How one app keeps its sessions, as its code or config says. */
export interface SessionConfig {
  kind: 'session-config';
  /** Framework id: express-session, cookie-session, spring, php, laravel, django, rails, aspnet-core, flask, gorilla. */
  framework: string;
  /** For people: "express-session", "Spring Session", "Laravel". */
  frameworkName: string;
  storage: SessionStorage;
  /** The store in the framework's words: "MemoryStore (no store option)", "connect-redis", "SESSION_DRIVER=file". */
  storageDetail: string;
  /** Store hosts the config names ("redis" from redis://redis:6379), to link to stores and services. */
  storeHosts: string[];
  /** The line that configures the session: where findings about it point. */
  location: Location;
  evidence: string;
  /** The app's folder (shown path): nearest folder with a project file (package.json, pom.xml, ...), else the file's folder. */
  appRoot: string;
  cookie: SessionCookieSettings;
  /** Seconds a session lives (idle or absolute, as the framework counts); null: never expires. Absent: not known. */
  lifetime?: Setting<number | null>;
  secret?: SessionSecret;
}
