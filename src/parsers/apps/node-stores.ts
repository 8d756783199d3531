import type { SessionStorage } from '../../model/index.js';
import type { JsFile, JsValue } from './js-scan.js';
import { hostsOf, uniqueHosts } from './store-hosts.js';

/** A session store package for express-session, and what its sessions live in. */
export interface StorePackage {
  storage: SessionStorage;
  /** Seconds a session lives in the store when the cookie has no maxAge, and the option that sets it (seconds). */
  defaultTtl?: number;
  ttlOption?: string;
}

/**
 * express-session stores by npm name (the "compatible session stores" list in the express-session
 * README). SQLite, LokiJS and NeDB stores keep a file on the node's own disk: per node, like
 * session-file-store, whatever their README calls them.
 */
export const STORE_PACKAGES: Readonly<Record<string, StorePackage>> = {
  // connect-redis README: "ttl ... default: 86400 seconds or one day", used when the cookie has no expires.
  'connect-redis': { storage: 'redis', defaultTtl: 86400, ttlOption: 'ttl' },
  'connect-redis-crypto': { storage: 'redis' },
  'connect-ioredis': { storage: 'redis' },
  'connect-memcached': { storage: 'memcached' },
  'connect-memjs': { storage: 'memcached' },
  // connect-mongo: "ttl ... Default is 14 days" (this.ttl = options.ttl || 1209600).
  'connect-mongo': { storage: 'database', defaultTtl: 1209600, ttlOption: 'ttl' },
  'connect-mongodb-session': { storage: 'database' },
  'connect-pg-simple': { storage: 'database' },
  'connect-session-sequelize': { storage: 'database' },
  'connect-session-knex': { storage: 'database' },
  'connect-typeorm': { storage: 'database' },
  'express-mysql-session': { storage: 'database' },
  'express-session-mysql': { storage: 'database' },
  'connect-mssql-v2': { storage: 'database' },
  'connect-dynamodb': { storage: 'database' },
  'connect-couchbase': { storage: 'database' },
  'cassandra-store': { storage: 'database' },
  'connect-firestore': { storage: 'database' },
  '@google-cloud/connect-firestore': { storage: 'database' },
  '@google-cloud/connect-datastore': { storage: 'database' },
  '@quixo3/prisma-session-store': { storage: 'database' },
  'connect-session-firebase': { storage: 'database' },
  'connect-sqlite3': { storage: 'file' },
  'better-sqlite3-session-store': { storage: 'file' },
  'connect-loki': { storage: 'file' },
  'nedb-session-store': { storage: 'file' },
  'connect-nedb-session': { storage: 'file' },
  // session-file-store README: "ttl: Session time to live in seconds. Defaults to 3600".
  'session-file-store': { storage: 'file', defaultTtl: 3600, ttlOption: 'ttl' },
  'memorystore': { storage: 'memory' },
};

/** Redis and memcached client packages whose constructors name the store's address. */
const CLIENT_MODULES = new Set(['redis', '@redis/client', 'ioredis', 'memcached', 'memjs', 'memcache-client', 'pg', 'mysql', 'mysql2', 'mongodb']);
/** The same constructors by name, for a client made through a local helper module. */
const CLIENT_NAMES = new Set(['createClient', 'createCluster', 'Redis', 'IORedis', 'Cluster', 'Memcached']);
/** Option keys that hold an address; `host` takes a bare name. */
const URL_KEYS = new Set(['url', 'uri', 'mongoUrl', 'conString', 'connectionString', 'location']);
const HOST_KEYS = new Set(['host', 'hostname']);
const LIST_KEYS = new Set(['hosts', 'servers', 'nodes', 'rootNodes', 'sentinels']);
const NESTED_KEYS = new Set(['socket', 'redisOptions', 'client', 'pool', 'options']);

const MAX_DEPTH = 6;

/** Hosts a store's constructor arguments name, following `client: redisClient` to where the client is made. */
export function storeCallHosts(file: JsFile, call: Extract<JsValue, { kind: 'call' }>, index: number): { hosts: string[]; client: 'named' | 'unresolved' | 'none' } {
  const hosts: string[] = [];
  let client: 'named' | 'unresolved' | 'none' = 'none';
  for (const arg of call.args) {
    const resolved = file.resolve(arg, index);
    if (resolved.kind !== 'obj') continue;
    for (const prop of resolved.props) {
      if (prop.key !== 'client' && prop.key !== 'pool') continue;
      const made = file.resolve(prop.value, index);
      client = made.kind === 'call' ? 'named' : 'unresolved';
    }
    hosts.push(...optionHosts(file, resolved, index, 0));
  }
  return { hosts: uniqueHosts(hosts), client };
}

/** Hosts of every redis/memcached client this file makes: used when a store's client is not traceable. */
export function fileClientHosts(file: JsFile): string[] {
  const hosts: string[] = [];
  const { tokens, reader } = file;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind !== 'id' || !CLIENT_NAMES.has(token.value) || !reader.isPunct(i + 1, '(')) continue;
    // Read from the start of the member chain (`redis.createClient`, `new Redis.Cluster`).
    let start = i;
    while (reader.isPunct(start - 1, '.') && reader.isId(start - 2)) start -= 2;
    if (reader.isId(start - 1, 'new')) start--;
    const value = reader.expression(start)[0];
    if (value.kind === 'call') hosts.push(...clientHosts(file, value, start, 0));
  }
  return uniqueHosts(hosts);
}

function isClientCall(file: JsFile, call: Extract<JsValue, { kind: 'call' }>, index: number): boolean {
  const ref = file.moduleOf(call.callee, index);
  if (ref) return CLIENT_MODULES.has(ref.module);
  const callee = call.callee;
  const name = callee.kind === 'ref' ? callee.path[callee.path.length - 1] : callee.kind === 'member' ? callee.name : undefined;
  return name !== undefined && CLIENT_NAMES.has(name);
}

/** `createClient({ url })`, `new Redis(6379, 'cache')`, `new Redis.Cluster([{ host }])`, `new Memcached('mc:11211')`. */
function clientHosts(file: JsFile, call: Extract<JsValue, { kind: 'call' }>, index: number, depth: number): string[] {
  if (depth > MAX_DEPTH || !isClientCall(file, call, index)) return [];
  const hosts: string[] = [];
  for (const arg of call.args) hosts.push(...addressHosts(file, arg, index, depth + 1, true));
  return hosts;
}

/** A value in address position: a string (bare host allowed where `bare`), a list of them, or an options object. */
function addressHosts(file: JsFile, value: JsValue, index: number, depth: number, bare: boolean): string[] {
  if (depth > MAX_DEPTH) return [];
  const resolved = file.resolve(value, index);
  switch (resolved.kind) {
    case 'str':
      return hostsOf(resolved.value, bare);
    case 'arr':
      return resolved.items.flatMap((item) => addressHosts(file, item, index, depth + 1, bare));
    case 'obj':
      return optionHosts(file, resolved, index, depth + 1);
    case 'call':
      return clientHosts(file, resolved, index, depth + 1);
    default:
      return [];
  }
}

function optionHosts(file: JsFile, options: Extract<JsValue, { kind: 'obj' }>, index: number, depth: number): string[] {
  if (depth > MAX_DEPTH) return [];
  const hosts: string[] = [];
  for (const prop of options.props) {
    if (URL_KEYS.has(prop.key)) hosts.push(...addressHosts(file, prop.value, index, depth + 1, false));
    else if (HOST_KEYS.has(prop.key)) hosts.push(...addressHosts(file, prop.value, index, depth + 1, true));
    else if (LIST_KEYS.has(prop.key) || NESTED_KEYS.has(prop.key)) hosts.push(...addressHosts(file, prop.value, index, depth + 1, true));
  }
  return hosts;
}
