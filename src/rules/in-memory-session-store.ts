import { defineRule } from './types.js';

export default defineRule({
  id: 'in-memory-session-store',
  category: 'session-store',
  severity: 'high',
  appliesTo: ['session-config'],
  docs: {
    summary: 'The app keeps sessions on the node that created them (process memory or local files).',
    rationale:
      'A session kept in one process\'s memory (express-session\'s MemoryStore, the servlet container\'s sessions, ' +
      'Django\'s LocMemCache, ASP.NET\'s distributed memory cache) or on one node\'s disk (PHP\'s files handler, ' +
      'Laravel\'s file driver) exists only there. Behind a load balancer every other node sees a logged-out user; a ' +
      'restart or redeploy logs everyone out; and the only fix left is sticky sessions, which break in their own ways.',
    fix:
      'Keep sessions in a store every node shares: Redis (connect-redis, spring-session-data-redis, phpredis, ' +
      'django-redis, redis-session-store, AddStackExchangeRedisCache), Memcached or the database; or use signed ' +
      'stateless cookies or tokens.',
  },
  check(config, ctx) {
    if (config.storage !== 'memory' && config.storage !== 'file') return;
    const where = config.storage === 'memory' ? 'in the memory of each process' : 'on the local disk of each node';
    ctx.report({ node: config, message: `${config.frameworkName} keeps sessions ${where}: ${config.storageDetail}` });
  },
});
