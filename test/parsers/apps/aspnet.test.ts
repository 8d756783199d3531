import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionConfig } from '../../../src/model/index.js';
import { aspnetReader } from '../../../src/parsers/apps/aspnet.js';
import { timeSpanSeconds } from '../../../src/parsers/apps/durations.js';
import { sourceFromText } from '../../../src/parsers/source.js';
import { repoRoot } from '../../support/parse.js';
import { readFixture as readFixtureWith } from './read.js';

const DIR = 'fixtures/parsers/apps/aspnet';

const readFixture = (relativePath: string) => readFixtureWith(aspnetReader, relativePath);

/** Read inline C# as a Program.cs in a folder without project files (appRoot '.'). */
function readCode(lines: string[]): SessionConfig[] {
  return aspnetReader.read(sourceFromText('inline/Program.cs', lines.join('\n'), path.join(repoRoot, 'inline', 'Program.cs')));
}

const at = (file: string, line: number, column: number) => ({ file, line, column });

describe('aspnet reader: wants', () => {
  it('wants C# files by name', () => {
    expect(['Program.cs', 'Startup.cs', 'SessionSetup.CS'].map((name) => aspnetReader.wants(name))).toEqual([true, true, true]);
    expect(['Program.csx', 'appsettings.json', 'Shop.csproj', 'pom.xml'].map((name) => aspnetReader.wants(name))).toEqual([false, false, false, false]);
  });

  it('bails out on C# that registers no sessions, caches or cookies', () => {
    expect(readCode(['public class OrderService', '{', '    public string Session { get; set; }', '}'])).toEqual([]);
  });
});

describe('aspnet reader: minimal hosting Program.cs', () => {
  const file = `${DIR}/Program.cs`;
  const [session, cookieAuth] = readFixture(file);

  it('reads the session: the Redis cache of the non-development branch wins over the TryAdd memory cache', () => {
    expect(session).toEqual({
      kind: 'session-config',
      framework: 'aspnet-core',
      frameworkName: 'ASP.NET Core session',
      storage: 'redis',
      storageDetail: 'AddStackExchangeRedisCache (RedisCache)',
      // Endpoints only: password=..., ssl=... are options and are never copied.
      storeHosts: ['redis-primary', 'redis-replica'],
      location: at(file, 21, 18),
      evidence: 'builder.Services.AddSession(options =>',
      appRoot: DIR,
      cookie: {
        name: '.Shop.Session',
        secure: { value: true, location: at(file, 27, 13), evidence: 'options.Cookie.SecurePolicy = CookieSecurePolicy.Always;' },
        httpOnly: { value: true, location: at(file, 25, 13), evidence: 'options.Cookie.HttpOnly = true;' },
        sameSite: { value: 'Lax' },
      },
      lifetime: { value: 1800, location: at(file, 23, 13), evidence: 'options.IdleTimeout = TimeSpan.FromMinutes(30);' },
      // AddDataProtection without PersistKeysTo... (the Redis one is commented out): each node makes its own keys.
      secret: { source: 'per-node', what: 'Data Protection key ring', location: at(file, 38, 18), evidence: 'builder.Services.AddDataProtection()' },
    });
  });

  it('never copies the Redis password into any field', () => {
    expect(JSON.stringify(readFixture(file))).not.toContain('Sup3rSecret');
  });

  it('reads cookie authentication with its defaults: SameAsRequest counts as not secure', () => {
    expect(cookieAuth).toEqual({
      kind: 'session-config',
      framework: 'aspnet-core',
      frameworkName: 'ASP.NET Core cookie authentication',
      storage: 'cookie',
      storageDetail: 'AddCookie: the authentication ticket travels in the cookie, encrypted with the Data Protection keys',
      storeHosts: [],
      location: at(file, 31, 6),
      evidence: '.AddCookie(options =>',
      appRoot: DIR,
      cookie: { name: '.AspNetCore.Cookies', secure: { value: false }, httpOnly: { value: true }, sameSite: { value: 'Lax' } },
      lifetime: { value: 28800, location: at(file, 33, 17), evidence: 'options.ExpireTimeSpan = TimeSpan.FromHours(8);' },
    });
  });
});

describe('aspnet reader: Startup.cs', () => {
  const file = `${DIR}/Startup.cs`;

  it('reads a SQL Server cache, located cookie flags and a TimeSpan constructor; keys persisted to a DbContext', () => {
    expect(readFixture(file)).toEqual([
      {
        kind: 'session-config',
        framework: 'aspnet-core',
        frameworkName: 'ASP.NET Core session',
        storage: 'database',
        storageDetail: 'AddDistributedSqlServerCache (a database table)',
        storeHosts: [],
        location: at(file, 36, 22),
        evidence: 'services.AddSession(options =>',
        appRoot: DIR,
        cookie: {
          name: '.AspNetCore.Session',
          secure: { value: false, location: at(file, 39, 25), evidence: 'options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;' },
          httpOnly: { value: false, location: at(file, 40, 25), evidence: 'options.Cookie.HttpOnly = false; // the legacy SPA reads it' },
          sameSite: { value: 'Lax' },
        },
        lifetime: { value: 2700, location: at(file, 38, 25), evidence: 'options.IdleTimeout = new TimeSpan(0, 45, 0);' },
      },
    ]);
  });
});

describe('aspnet reader: stores', () => {
  it('AddDistributedMemoryCache with AddSession is memory, with the SessionOptions defaults', () => {
    const [config] = readCode(['builder.Services.AddDistributedMemoryCache();', 'builder.Services.AddSession();']);
    expect(config).toMatchObject({
      storage: 'memory',
      storageDetail: 'AddDistributedMemoryCache (MemoryDistributedCache: each process keeps its own sessions)',
      location: at('inline/Program.cs', 2, 18),
      cookie: { name: '.AspNetCore.Session', secure: { value: false }, httpOnly: { value: true }, sameSite: { value: 'Lax' } },
      lifetime: { value: 1200 },
      secret: { source: 'per-node', location: at('inline/Program.cs', 2, 18), evidence: 'builder.Services.AddSession();' },
    });
    expect(config.cookie.secure?.location).toBeUndefined();
  });

  it('a memory cache without AddSession is a cache, not sessions', () => {
    expect(readCode(['builder.Services.AddDistributedMemoryCache();', 'builder.Services.AddMemoryCache();', 'app.UseSession();'])).toEqual([]);
    expect(readCode(['builder.Services.AddStackExchangeRedisCache(o => o.Configuration = "redis:6379");'])).toEqual([]);
  });

  it('commented-out registrations do not count', () => {
    const configs = readCode([
      'builder.Services.AddDistributedMemoryCache();',
      '// builder.Services.AddStackExchangeRedisCache(o => o.Configuration = "redis:6379");',
      '/* builder.Services.AddAuthentication().AddCookie(); */',
      'builder.Services.AddSession();',
      '// builder.Services.AddDataProtection().PersistKeysToStackExchangeRedis(redis);',
    ]);
    expect(configs.map((c) => [c.storage, c.frameworkName, c.secret?.source])).toEqual([['memory', 'ASP.NET Core session', 'per-node']]);
    expect(readCode(['// builder.Services.AddSession();', 'var x = "AddSession()";'])).toEqual([]);
  });

  it('reads memcached servers and database caches', () => {
    const memcached = readCode([
      'builder.Services.AddEnyimMemcached(options =>',
      '{',
      '    options.AddServer("memcached-0", 11211);',
      '    options.Servers.Add(new Server { Address = "memcached-1", Port = 11211 });',
      '});',
      'builder.Services.AddSession();',
    ]);
    expect(memcached[0]).toMatchObject({ storage: 'memcached', storageDetail: 'AddEnyimMemcached (EnyimMemcachedCore)', storeHosts: ['memcached-0', 'memcached-1'] });
    const postgres = readCode(['builder.Services.AddDistributedPostgreSqlCache(setup => setup.ConnectionString = cs);', 'builder.Services.AddSession();']);
    expect(postgres[0]).toMatchObject({ storage: 'database', storageDetail: 'AddDistributedPostgreSqlCache (a database table)', storeHosts: [] });
  });

  it('reads Redis endpoints from ConfigurationOptions and leaves computed configuration without hosts', () => {
    const options = readCode([
      'builder.Services.AddStackExchangeRedisCache(options =>',
      '{',
      '    options.ConfigurationOptions = new ConfigurationOptions { Password = "hunter2" };',
      '    options.ConfigurationOptions.EndPoints.Add("[::1]:6380");',
      '});',
      'builder.Services.AddSession();',
    ]);
    expect(options[0].storeHosts).toEqual(['::1']);
    expect(JSON.stringify(options)).not.toContain('hunter2');
    const computed = readCode(['builder.Services.AddStackExchangeRedisCache(o => o.Configuration = builder.Configuration.GetConnectionString("Redis"));', 'builder.Services.AddSession();']);
    expect(computed[0]).toMatchObject({ storage: 'redis', storeHosts: [] });
  });

  it('AddSession without any cache registration in the file is unknown', () => {
    expect(readCode(['services.AddSession(o => o.IdleTimeout = TimeSpan.FromHours(2));'])[0]).toMatchObject({
      storage: 'unknown',
      storageDetail: 'AddSession without an IDistributedCache registration in this file',
      lifetime: { value: 7200, location: at('inline/Program.cs', 1, 28) },
    });
  });

  it('masks a password on the evidence line', () => {
    const [config] = readCode(['builder.Services.AddStackExchangeRedisCache(o => o.Configuration = "redis:6379,password=pw1"); builder.Services.AddSession();']);
    expect(config.evidence).toBe('builder.Services.AddStackExchangeRedisCache(o => o.Configuration = "redis:6379,password=***"); builder.Services.AddSession();');
  });
});

describe('aspnet reader: cookie options', () => {
  it('reads Configure<SessionOptions>, object-initializer cookies and SameSite', () => {
    const [config] = readCode([
      'builder.Services.AddDistributedMemoryCache();',
      'builder.Services.AddSession();',
      'builder.Services.Configure<SessionOptions>(options =>',
      '{',
      '    options.Cookie = new CookieBuilder { Name = "sid", SecurePolicy = CookieSecurePolicy.None, SameSite = SameSiteMode.Strict };',
      '    options.IdleTimeout = TimeSpan.MaxValue;',
      '});',
    ]);
    expect(config.cookie).toMatchObject({ name: 'sid', secure: { value: false, location: { line: 5 } }, sameSite: { value: 'Strict', location: { line: 5 } } });
    expect(config.lifetime).toMatchObject({ value: null, location: { line: 6 } });
  });

  it('leaves a setting unknown when the code computes it', () => {
    const [config] = readCode([
      'builder.Services.AddDistributedMemoryCache();',
      'builder.Services.AddSession(o => { o.IdleTimeout = settings.Timeout; o.Cookie.SecurePolicy = policy; });',
    ]);
    expect(config.lifetime).toBeUndefined();
    expect(config.cookie.secure).toBeUndefined();
    expect(config.cookie.httpOnly).toEqual({ value: true });
  });

  it('reads Identity cookies with ConfigureApplicationCookie', () => {
    const [config] = readCode([
      'builder.Services.AddDefaultIdentity<IdentityUser>(options => options.SignIn.RequireConfirmedAccount = true)',
      '    .AddEntityFrameworkStores<ApplicationDbContext>();',
      'builder.Services.ConfigureApplicationCookie(options =>',
      '{',
      '    options.Cookie.HttpOnly = false;',
      '    options.ExpireTimeSpan = TimeSpan.FromDays(30);',
      '});',
    ]);
    expect(config).toMatchObject({
      frameworkName: 'ASP.NET Core cookie authentication',
      storage: 'cookie',
      location: at('inline/Program.cs', 1, 18),
      cookie: { name: '.AspNetCore.Identity.Application', secure: { value: false }, httpOnly: { value: false, location: { line: 5 } } },
      lifetime: { value: 30 * 86400, location: { line: 6 } },
      secret: { source: 'per-node', location: at('inline/Program.cs', 1, 18) },
    });
  });

  it('an ITicketStore keeps tickets server-side', () => {
    const [config] = readCode(['services.AddAuthentication().AddCookie(o => o.SessionStore = new RedisTicketStore(cache));']);
    expect(config).toMatchObject({ storage: 'unknown', storageDetail: 'authentication tickets in a custom ITicketStore (SessionStore = new RedisTicketStore(cache))' });
  });
});

describe('aspnet reader: Data Protection keys', () => {
  const app = ['builder.Services.AddAuthentication().AddCookie();'];

  it('keys persisted to Redis, a DbContext, Azure Blob Storage or a folder are shared', () => {
    for (const persist of [
      'PersistKeysToStackExchangeRedis(redis, "DataProtection-Keys")',
      'PersistKeysToDbContext<KeysContext>()',
      'PersistKeysToAzureBlobStorage(new Uri(blobUri))',
      'PersistKeysToFileSystem(new DirectoryInfo("/keys"))',
    ]) {
      const [config] = readCode([...app, `builder.Services.AddDataProtection().${persist};`]);
      expect(config.secret, persist).toBeUndefined();
    }
  });

  it('keys in the registry, or no AddDataProtection at all, are per node', () => {
    const registry = readCode([...app, 'builder.Services.AddDataProtection()', '    .PersistKeysToRegistry(Registry.CurrentUser.OpenSubKey("keys"));']);
    expect(registry[0].secret).toEqual({
      source: 'per-node',
      what: 'Data Protection key ring',
      location: at('inline/Program.cs', 2, 18),
      evidence: 'builder.Services.AddDataProtection()',
    });
    const none = readCode(app);
    expect(none[0].secret).toMatchObject({ source: 'per-node', location: at('inline/Program.cs', 1, 38), evidence: 'builder.Services.AddAuthentication().AddCookie();' });
  });

  it('AddDataProtection without sessions or cookie authentication gives nothing', () => {
    expect(readCode(['builder.Services.AddDataProtection();'])).toEqual([]);
  });
});

describe('aspnet reader: TimeSpan expressions', () => {
  it('converts the common forms to seconds', () => {
    expect(timeSpanSeconds('TimeSpan.FromMinutes(20)')).toBe(1200);
    expect(timeSpanSeconds('TimeSpan.FromSeconds(1_800)')).toBe(1800);
    expect(timeSpanSeconds('TimeSpan.FromHours(1.5)')).toBe(5400);
    expect(timeSpanSeconds('TimeSpan.FromMinutes(1, 30)')).toBe(90);
    expect(timeSpanSeconds('new TimeSpan(1, 0, 0, 0)')).toBe(86400);
    expect(timeSpanSeconds('new TimeSpan(600_000_000)')).toBe(60);
    expect(timeSpanSeconds('new(0, 20, 0)')).toBe(1200);
    expect(timeSpanSeconds('TimeSpan.Parse("01:00:00")')).toBe(3600);
    expect(timeSpanSeconds('TimeSpan.Zero')).toBe(0);
    expect(timeSpanSeconds('Timeout.InfiniteTimeSpan')).toBeNull();
    expect(timeSpanSeconds('config.Timeout')).toBeUndefined();
  });
});

describe('aspnet reader: rule fixtures carry what their rules read', () => {
  const read = (file: string) => readFixture(`fixtures/rules/${file}`);

  it('in-memory-session-store: memory cache vs Redis', () => {
    expect(read('in-memory-session-store/aspnet-distributed-memory-cache.cs').map((c) => [c.storage, c.location.line])).toEqual([['memory', 8]]);
    expect(read('in-memory-session-store/aspnet-redis-cache.ok.cs').map((c) => c.storage)).toEqual(['redis']);
  });

  it('session-cookie-insecure: SecurePolicy Always with HttpOnly is secure', () => {
    expect(read('session-cookie-insecure/aspnet-secure-always.ok.cs').map((c) => [c.cookie.secure?.value, c.cookie.httpOnly?.value])).toEqual([[true, true]]);
  });

  it('shared-secret-not-shared: keys not persisted vs persisted to Redis', () => {
    expect(read('shared-secret-not-shared/aspnet-no-persisted-keys.cs').map((c) => [c.secret?.source, c.secret?.location.line])).toEqual([['per-node', 13]]);
    expect(read('shared-secret-not-shared/aspnet-keys-in-redis.ok.cs').map((c) => c.secret)).toEqual([undefined]);
  });
});
