import { describe, expect, it } from 'vitest';
import { railsReader } from '../../../src/parsers/apps/rails.js';
import { readFixture, readText, ruleFixtures } from './read.js';

const dir = 'fixtures/parsers/apps/rails';
const at = (file: string, line: number, column = 1) => ({ file: `${dir}/${file}`, line, column });
/** Inline Ruby as config/initializers/session_store.rb of an app with no other files. */
const initializer = (text: string) => readText(railsReader, 'session_store.rb', text);

describe('rails reader', () => {
  it('wants Ruby files', () => {
    expect(railsReader.wants('session_store.rb')).toBe(true);
    expect(railsReader.wants('production.rb')).toBe(true);
    expect(railsReader.wants('Gemfile')).toBe(false);
  });

  it('reads a :cache_store session store through the cache store and force_ssl of production.rb', () => {
    expect(readFixture(railsReader, `${dir}/config/initializers/session_store.rb`)).toEqual([
      {
        kind: 'session-config',
        framework: 'rails',
        frameworkName: 'Ruby on Rails',
        storage: 'redis',
        storageDetail: `cache_store: sessions in the Rails cache, config.cache_store :redis_cache_store (${dir}/config/environments/production.rb:14): Redis at cache.internal`,
        storeHosts: ['cache.internal'],
        location: at('config/initializers/session_store.rb', 4),
        evidence: 'Rails.application.config.session_store :cache_store,',
        appRoot: dir,
        cookie: {
          name: '_shop_session',
          secure: { value: true, location: at('config/environments/production.rb', 10, 3), evidence: 'config.force_ssl = true' },
          httpOnly: { value: true },
          sameSite: { value: 'lax', location: at('config/initializers/session_store.rb', 7, 3), evidence: 'same_site: :lax' },
        },
        lifetime: { value: 1209600, location: at('config/initializers/session_store.rb', 6, 3), evidence: 'expire_after: 2.weeks,' },
      },
    ]);
  });

  it('gives nothing for a file with only cache_store and force_ssl: they matter through the session store', () => {
    expect(readFixture(railsReader, `${dir}/config/environments/production.rb`)).toEqual([]);
  });

  it('reads a literal secret_key_base in application.rb without showing it', () => {
    const [config] = readFixture(railsReader, `${dir}/config/application.rb`);
    expect(config.storage).toBe('cookie');
    expect(config.storageDetail).toBe('cookie_store (the Rails default; this file sets no session_store)');
    expect(config.secret).toEqual({
      source: 'literal',
      what: 'Rails secret_key_base (encrypts and signs the session cookie)',
      location: at('config/application.rb', 13, 5),
      evidence: 'config.secret_key_base = "***"',
    });
    expect(JSON.stringify(config)).not.toContain('9f86d081');
  });

  it('reads Rails 3 hash-rocket options and secret_token', () => {
    const [store] = readFixture(railsReader, `${dir}/legacy/config/initializers/session_store.rb`);
    expect(store.storage).toBe('cookie');
    expect(store.appRoot).toBe(`${dir}/legacy`);
    expect(store.cookie).toEqual({
      name: '_legacy_session',
      secure: { value: false },
      httpOnly: {
        value: false,
        location: at('legacy/config/initializers/session_store.rb', 3, 84),
        evidence: "Legacy::Application.config.session_store :cookie_store, :key => '_legacy_session', :httponly => false",
      },
    });
    // A cookie_store cookie without expire_after is a browser-session cookie: no known lifetime.
    expect(store.lifetime).toBeUndefined();
    const [token] = readFixture(railsReader, `${dir}/legacy/config/initializers/secret_token.rb`);
    expect(token.secret).toMatchObject({ source: 'literal', what: 'Rails secret_token (signs the session cookie)', evidence: "Legacy::Application.config.secret_token = '***'" });
  });

  it('reads redis-session-store options: url host, TTL from redis: { ttl: }, and leaves a computed secure flag out', () => {
    const [config] = readFixture(railsReader, `${dir}/sessions/config/initializers/session_store.rb`);
    expect(config.storage).toBe('redis');
    expect(config.storeHosts).toEqual(['sessions-redis']);
    expect(config.cookie).toEqual({ name: '_sessions_app', httpOnly: { value: true } });
    expect(config.lifetime).toEqual({
      value: 5400,
      location: at('sessions/config/initializers/session_store.rb', 6, 5),
      evidence: "ttl: 90.minutes,            # Redis expiration, defaults to 'expire_after'",
    });
  });

  it('finds a secret_key_base made up by each process', () => {
    const [config] = readFixture(railsReader, `${dir}/sessions/config/environments/production.rb`);
    expect(config.secret).toEqual({
      source: 'per-node',
      what: 'Rails secret_key_base (encrypts and signs the session cookie), its fallback when SECRET_KEY_BASE is unset: SecureRandom.hex makes a new one in each process',
      location: at('sessions/config/environments/production.rb', 4, 3),
      evidence: 'config.secret_key_base = ENV.fetch("SECRET_KEY_BASE") { SecureRandom.hex(64) }',
    });
  });

  it('says server-side sessions never expire when no expire_after is given', () => {
    const [redis] = initializer("Rails.application.config.session_store :redis_session_store, key: '_a', redis: { url: 'redis://r:6379/0' }\n");
    expect(redis.lifetime).toEqual({ value: null });
    const [redisStore] = initializer('Rails.application.config.session_store :redis_store, servers: ["redis://s-1:6379/0/session", "redis://s-2:6379/0/session"]\n');
    expect([redisStore.storage, redisStore.storeHosts, redisStore.lifetime]).toEqual(['redis', ['s-1', 's-2'], { value: null }]);
    const [memcached] = initializer("Rails.application.config.session_store :mem_cache_store, memcache_server: ['mc-1:11211', 'mc-2:11211']\n");
    expect([memcached.storage, memcached.storeHosts, memcached.lifetime]).toEqual(['memcached', ['mc-1', 'mc-2'], { value: null }]);
  });

  it('reads expire_after in seconds, minutes and arithmetic', () => {
    const lifetime = (value: string) => initializer(`Rails.application.config.session_store :redis_store, expire_after: ${value}\n`)[0].lifetime?.value;
    expect(lifetime('90.minutes')).toBe(5400);
    expect(lifetime('3600')).toBe(3600);
    expect(lifetime('24 * 60 * 60')).toBe(86400);
    expect(lifetime('1.month')).toBe(2629746);
    expect(lifetime('ENV["SESSION_TTL"].to_i')).toBeUndefined();
  });

  it('resolves a :cache_store session store to a cache store in the same file', () => {
    const [memory] = initializer('Rails.application.configure do\n  config.cache_store = :memory_store, { size: 64.megabytes }\n  config.session_store :cache_store, key: "_app"\nend\n');
    expect(memory.storage).toBe('memory');
    expect(memory.storageDetail).toBe('cache_store: sessions in the Rails cache, config.cache_store :memory_store (session_store.rb:2): the memory of each process');
    expect(memory.lifetime).toEqual({ value: null });
    const [memcached] = initializer('config.cache_store = :mem_cache_store, "cache-1.example.com", "cache-2.example.com"\nconfig.session_store :cache_store\n');
    expect([memcached.storage, memcached.storeHosts]).toEqual(['memcached', ['cache-1.example.com', 'cache-2.example.com']]);
    const [files] = initializer('config.cache_store = :file_store, "/tmp/cache"\nconfig.session_store(:cache_store)\n');
    expect(files.storageDetail).toBe('cache_store: sessions in the Rails cache, config.cache_store :file_store (session_store.rb:1): files in /tmp/cache on each node');
    const [nothing] = initializer('config.session_store :cache_store\n');
    expect(nothing.storage).toBe('file');
  });

  it('reads the other store forms', () => {
    const storage = (text: string) => initializer(text).map((config) => config.storage);
    expect(storage('Rails.application.config.session_store :active_record_store, key: "_app"\n')).toEqual(['database']);
    expect(storage('Rails.application.config.session_store ActionDispatch::Session::CacheStore, expire_after: 1.hour\n')).toEqual(['file']);
    const [oldStyle] = initializer("My::Application.config.session_store = :redis_session_store, {\n  :key => 'k',\n  :redis => { :host => 'sessions.internal' }\n}\n");
    expect([oldStyle.storage, oldStyle.storeHosts, oldStyle.cookie.name]).toEqual(['redis', ['sessions.internal'], 'k']);
    expect(storage('Rails.application.config.session_store :disabled\n')).toEqual([]);
    expect(storage('Rails.application.config.session_store :my_custom_store\n')).toEqual(['unknown']);
  });

  it('classifies secrets', () => {
    const secret = (line: string) => initializer(`${line}\n`)[0]?.secret;
    expect(secret('Rails.application.config.secret_key_base = ENV["SECRET_KEY_BASE"]')).toBeUndefined();
    expect(secret('Rails.application.config.secret_key_base = ENV["SECRET_KEY_BASE"] || "changeme"')).toMatchObject({ source: 'sample' });
    expect(secret('config.secret_key_base = SecureRandom.hex(64)')).toMatchObject({ source: 'per-node' });
    expect(secret('config.secret_key_base = Rails.application.credentials.secret_key_base')).toBeUndefined();
  });

  it('ignores Ruby that is not Rails config, and code it cannot follow', () => {
    expect(initializer('describe SessionStore do\n  it { expect(session_store).to be_nil }\nend\n')).toEqual([]);
    expect(initializer('session = Rails.application.config.session_options\nsecret_token = "abc"\n')).toEqual([]);
    expect(() => initializer('Rails.application.config.session_store :cookie_store, key: "_app\n')).not.toThrow();
    expect(() => initializer('config.session_store(:cache_store, { expire_after: [1, 2 }\n')).not.toThrow();
  });
});

describe('rails reader: rule fixtures', () => {
  it.each(ruleFixtures(/^rails-/))('%s gives one config, located in it', (file) => {
    expect(readFixture(railsReader, file).map((config) => config.location.file)).toEqual([file]);
  });
});
