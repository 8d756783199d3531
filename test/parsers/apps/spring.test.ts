import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EnvSetting, SessionConfig } from '../../../src/model/index.js';
import { springDurationSeconds, isoDurationSeconds } from '../../../src/parsers/apps/durations.js';
import { springReader } from '../../../src/parsers/apps/spring.js';
import { sourceFromText } from '../../../src/parsers/source.js';
import { repoRoot } from '../../support/parse.js';
import { parseErrorFrom, readFixture as readFixtureWith } from './read.js';

const DIR = 'fixtures/parsers/apps/spring';

const readFixture = (relativePath: string) => readFixtureWith(springReader, relativePath);

/** Read inline text as a file of this name in a folder without project files (appRoot '.'). */
function readText(fileName: string, text: string): SessionConfig[] {
  return springReader.read(sourceFromText(`inline/${fileName}`, text, path.join(repoRoot, 'inline', fileName)));
}

const parseErrorOf = (fileName: string, text: string) => parseErrorFrom(() => readText(fileName, text), fileName);

const at = (file: string, line: number, column: number) => ({ file, line, column });

describe('spring reader: wants', () => {
  it('wants build files, properties and YAML by name alone', () => {
    for (const name of ['pom.xml', 'spring-web.pom.xml', 'build.gradle', 'build.gradle.kts', 'application.yml', 'application-prod.yaml', 'app.properties', 'values.yaml']) {
      expect(springReader.wants(name), name).toBe(true);
    }
    for (const name of ['Program.cs', 'package.json', 'pom.xml.bak', 'settings.gradle', 'build.gradle.old', 'nginx.conf']) {
      expect(springReader.wants(name), name).toBe(false);
    }
  });
});

describe('spring reader: Maven pom.xml', () => {
  const file = `${DIR}/pom.xml`;

  it('reads the Spring Session store at its artifactId line, naming the other store modules', () => {
    expect(readFixture(file)).toEqual([
      {
        kind: 'session-config',
        framework: 'spring',
        frameworkName: 'Spring Session',
        storage: 'redis',
        storageDetail:
          'spring-session-data-redis: Spring Session keeps sessions in Redis; also on the classpath: spring-session-jdbc (Spring Boot picks Redis first)',
        storeHosts: [],
        location: at(file, 41, 4),
        evidence: '<artifactId>spring-session-data-redis</artifactId>',
        appRoot: DIR,
        cookie: {},
      },
    ]);
  });

  it('keeps sessions in Tomcat memory for a web app without Spring Session; test scope and comments do not count', () => {
    const pom = (dependencies: string) =>
      `<?xml version="1.0"?>\n<project>\n  <dependencies>\n${dependencies}\n  </dependencies>\n</project>\n`;
    const dependency = (artifact: string, extra = '') =>
      `    <dependency>\n      <groupId>org.springframework.x</groupId>\n      <artifactId>${artifact}</artifactId>${extra}\n    </dependency>`;
    const [config] = readText(
      'pom.xml',
      pom(
        [
          dependency('spring-boot-starter-web'),
          dependency('spring-session-jdbc', '\n      <scope>test</scope>'),
          `<!-- ${dependency('spring-session-data-redis')} -->`,
        ].join('\n'),
      ),
    );
    expect(config.storage).toBe('memory');
    expect(config.storageDetail).toContain('Tomcat StandardManager');
    expect(config.location).toEqual(at('inline/pom.xml', 6, 7));
    expect(config.evidence).toBe('<artifactId>spring-boot-starter-web</artifactId>');
    expect(config.appRoot).toBe('.');
    expect(config.lifetime).toBeUndefined();
    expect(config.cookie).toEqual({});
  });

  it('gives nothing for a build that is not a web app', () => {
    expect(readText('pom.xml', '<project><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-batch</artifactId></dependency></dependencies></project>')).toEqual([]);
    expect(readText('pom.xml', '<project><artifactId>plain</artifactId></project>')).toEqual([]);
  });

  it('decodes character references and keeps ones out of Unicode range as text', () => {
    const [config] = readText('pom.xml', '<project><name>Caf&#233; &#x110000;</name><dependencies><dependency><groupId>g</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>');
    expect(config.storage).toBe('memory');
  });

  it('reads WebFlux as in-memory WebSessions', () => {
    const [config] = readText('pom.xml', '<project><dependencies><dependency><groupId>org.springframework.boot</groupId>\n<artifactId>spring-boot-starter-webflux</artifactId></dependency></dependencies></project>');
    expect(config).toMatchObject({ storage: 'memory', location: { line: 2, column: 1 } });
    expect(config.storageDetail).toContain('InMemoryWebSessionStore');
  });

  it('throws ParseError with the line for a malformed pom', () => {
    const mismatched = parseErrorOf('pom.xml', '<project>\n  <dependencies>\n    <dependency>\n      <artifactId>spring-boot-starter-web</artifactId>\n  </dependencies>\n</project>\n');
    expect(mismatched.line).toBe(5);
    expect(mismatched.message).toBe('invalid XML: </dependencies> does not close <dependency> (line 3)');
    expect(mismatched.file).toBe('inline/pom.xml');
    const unclosed = parseErrorOf('pom.xml', '<project>\n  <dependencies>\n    <!-- spring-boot-starter-web\n</project>\n');
    expect(unclosed.line).toBe(3);
    expect(unclosed.message).toBe('invalid XML: comment is never closed');
    const truncated = parseErrorOf('pom.xml', '<project>\n  <dependencies>\n    <dependency><artifactId>spring-boot-starter-web</artifactId></dependency>\n');
    expect(truncated.line).toBe(2);
    expect(truncated.message).toBe('invalid XML: <dependencies> is never closed');
  });
});

describe('spring reader: Gradle', () => {
  it('reads Groovy DSL string notation, skipping comments and test configurations', () => {
    const file = `${DIR}/gradle-groovy/build.gradle`;
    expect(readFixture(file)).toEqual([
      {
        kind: 'session-config',
        framework: 'spring',
        frameworkName: 'Spring Boot',
        storage: 'memory',
        storageDetail:
          "spring-boot-starter-web without a Spring Session store: sessions live in the servlet container's memory (Tomcat StandardManager): each instance keeps its own sessions",
        storeHosts: [],
        location: at(file, 16, 2),
        evidence: "implementation 'org.springframework.boot:spring-boot-starter-web'",
        appRoot: `${DIR}/gradle-groovy`,
        cookie: {},
      },
    ]);
  });

  it('reads Kotlin DSL named-argument notation', () => {
    const file = `${DIR}/gradle-kotlin/build.gradle.kts`;
    const [config] = readFixture(file);
    expect(config).toMatchObject({
      frameworkName: 'Spring Session',
      storage: 'database',
      storageDetail: 'spring-session-jdbc: Spring Session keeps sessions in a relational database (JDBC)',
      location: at(file, 18, 2),
      evidence: 'implementation(group = "org.springframework.session", name = "spring-session-jdbc")',
      appRoot: `${DIR}/gradle-kotlin`,
    });
  });

  it('reads version catalog accessors and Groovy map notation', () => {
    const catalog = readText('build.gradle.kts', 'dependencies {\n    implementation(libs.spring.boot.starter.web)\n    implementation(libs.spring.session.data.redis)\n}\n');
    expect(catalog.map((c) => [c.storage, c.location.line])).toEqual([['redis', 3]]);
    const map = readText('build.gradle', "dependencies {\n  compile group: 'org.springframework.session', name: 'spring-session-hazelcast', version: '2.7.4'\n}\n");
    expect(map.map((c) => [c.storage, c.location.line])).toEqual([['shared', 2]]);
  });
});

describe('spring reader: application.yml', () => {
  const file = `${DIR}/src/main/resources/application.yml`;
  const configs = readFixture(file);

  it('gives the base document with defaults, and one overlay per profile document', () => {
    expect(configs).toHaveLength(2);
    expect(configs[0]).toEqual({
      kind: 'session-config',
      framework: 'spring',
      frameworkName: 'Spring Boot',
      storage: 'unknown',
      storageDetail: "no spring.session.store-type here: the build's spring-session dependency picks the store",
      // ${REDIS_HOST:redis-sessions} resolves to its default; the password line is never read.
      storeHosts: ['redis-sessions'],
      location: at(file, 10, 5),
      evidence: 'timeout: 45m',
      appRoot: DIR,
      cookie: {
        name: 'SHOPSESSION',
        secure: { value: true, location: at(file, 21, 9), evidence: 'secure: true' },
        httpOnly: { value: true },
        sameSite: { value: 'strict', location: at(file, 22, 9), evidence: 'same-site: strict' },
      },
      // spring.session.timeout (45m) wins over server.servlet.session.timeout (30m); the commented-out -1 is ignored.
      lifetime: { value: 2700, location: at(file, 10, 5), evidence: 'timeout: 45m' },
    });
  });

  it('the profile document sets only what it names, without defaults', () => {
    expect(configs[1]).toMatchObject({
      storeHosts: ['localhost'],
      location: at(file, 36, 9),
      cookie: { secure: { value: false, location: at(file, 36, 9), evidence: 'secure: false' } },
    });
    expect(configs[1].cookie.httpOnly).toBeUndefined();
    expect(configs[1].lifetime).toBeUndefined();
  });

  it('reads dotted YAML keys, lists of cluster nodes and the Boot 2 store type', () => {
    const [config] = readText(
      'application.yaml',
      ['spring.session.store-type: redis', 'spring:', '  redis:', '    cluster:', '      nodes:', '        - redis-0:6379', '        - "[::1]:6380"', 'server.servlet.session.cookie.httpOnly: off'].join('\n'),
    );
    expect(config).toMatchObject({
      storage: 'redis',
      storageDetail: 'spring.session.store-type=redis',
      storeHosts: ['redis-0', '::1'],
      location: at('inline/application.yaml', 1, 1),
      cookie: { secure: { value: false }, httpOnly: { value: false, location: at('inline/application.yaml', 8, 1) } },
      lifetime: { value: 1800 },
    });
  });

  it('uses the default Redis host when the store is Redis and no host is named', () => {
    const [config] = readText('application.yml', 'spring:\n  session:\n    store-type: redis\n');
    expect(config.storeHosts).toEqual(['localhost']);
  });

  it('throws ParseError with the line for broken YAML', () => {
    const error = parseErrorOf('application.yml', 'server:\n  servlet:\n    session:\n      timeout: 30m\n     cookie: [secure\n');
    expect(error.line).toBeGreaterThanOrEqual(5);
    expect(error.message).toMatch(/^invalid YAML: /);
    expect(error.file).toBe('inline/application.yml');
  });

  it('leaves YAML that is not a Spring config alone, even when broken', () => {
    expect(readText('deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: [broken\n')).toEqual([]);
    expect(readText('values.yml', 'server:\n  port: 80\n')).toEqual([]);
    expect(readText('application.yml', 'server:\n  port: 8080\nspring:\n  application:\n    name: x\n')).toEqual([]);
  });
});

describe('spring reader: application.properties', () => {
  it('reads a profile file as an overlay: continuation lines, ! comments, camelCase keys, ISO durations', () => {
    const file = `${DIR}/src/main/resources/application-prod.properties`;
    const configs = readFixture(file);
    expect(configs).toEqual([
      {
        kind: 'session-config',
        framework: 'spring',
        frameworkName: 'Spring Boot',
        storage: 'unknown',
        storageDetail: "no spring.session.store-type here: the build's spring-session dependency picks the store",
        storeHosts: ['sessions.cache.example.com'],
        location: at(file, 3, 1),
        evidence: 'spring.session.timeout=P1D',
        appRoot: DIR,
        cookie: {
          httpOnly: { value: false, location: at(file, 4, 1), evidence: 'server.servlet.session.cookie.http-only=\\' },
          sameSite: { value: 'Lax', location: at(file, 7, 1), evidence: 'server.servlet.session.cookie.sameSite = Lax' },
        },
        lifetime: { value: 86400, location: at(file, 3, 1), evidence: 'spring.session.timeout=P1D' },
      },
    ]);
    expect(JSON.stringify(configs)).not.toContain('s3cr3t');
  });

  it('store-type none means container memory: the Redis host is not the session store, -1 never expires', () => {
    const file = `${DIR}/gradle-groovy/src/main/resources/application.properties`;
    expect(readFixture(file)).toEqual([
      {
        kind: 'session-config',
        framework: 'spring',
        frameworkName: 'Spring Boot',
        storage: 'memory',
        storageDetail: 'spring.session.store-type=none: Spring Session is off, the servlet container keeps sessions in memory',
        storeHosts: [],
        location: at(file, 3, 1),
        evidence: 'spring.session.store-type=none',
        appRoot: `${DIR}/gradle-groovy`,
        cookie: {
          secure: { value: true, location: at(file, 6, 1), evidence: 'server.servlet.session.cookie.secure=true' },
          httpOnly: { value: true },
        },
        lifetime: { value: null, location: at(file, 5, 1), evidence: 'server.servlet.session.timeout=-1' },
      },
    ]);
  });

  it('reads timeouts in every Duration form Spring accepts', () => {
    const lifetime = (value: string) => readText('application.properties', `server.servlet.session.timeout=${value}\n`)[0].lifetime?.value;
    expect(lifetime('30m')).toBe(1800);
    expect(lifetime('1h')).toBe(3600);
    expect(lifetime('PT30M')).toBe(1800);
    expect(lifetime('pt1h30m')).toBe(5400);
    expect(lifetime('P1DT2H')).toBe(93600);
    expect(lifetime('1800')).toBe(1800);
    expect(lifetime('90S')).toBe(90);
    expect(lifetime('0')).toBeNull();
    expect(lifetime('-1')).toBeNull();
    expect(lifetime('-PT1M')).toBeNull();
    expect(lifetime('${SESSION_TIMEOUT:15m}')).toBe(900);
    expect(lifetime('${SESSION_TIMEOUT}')).toBeUndefined();
    expect(springDurationSeconds('500ms')).toBe(0.5);
    expect(springDurationSeconds('10x')).toBeUndefined();
    expect(isoDurationSeconds('PT')).toBeUndefined();
    expect(isoDurationSeconds('PT20.5S')).toBe(20.5);
  });

  it('reads the java.util.Properties grammar: separators, escapes, multi-document files', () => {
    const configs = readText(
      'sessions.properties',
      [
        '! a comment',
        'server.servlet.session.cookie.name  \\u0053ESSION',
        'server.servlet.session.cookie.secure:true',
        '  # an indented comment \\',
        'server.session.timeout = 600',
        '#---',
        'spring.config.activate.on-profile=dev',
        'server.servlet.session.cookie.secure=false',
      ].join('\n'),
    );
    expect(configs).toHaveLength(2);
    expect(configs[0]).toMatchObject({
      location: at('inline/sessions.properties', 2, 1),
      cookie: { name: 'SESSION', secure: { value: true, location: at('inline/sessions.properties', 3, 1) } },
      lifetime: { value: 600, location: at('inline/sessions.properties', 5, 1) },
    });
    expect(configs[1]).toMatchObject({ location: at('inline/sessions.properties', 8, 1), cookie: { secure: { value: false } } });
    expect(configs[1].lifetime).toBeUndefined();
  });

  it('removes the password from a Redis URL in evidence', () => {
    const [config] = readText('application.properties', 'spring.data.redis.url=redis://app:hunter2@cache.internal:6379/0\n');
    expect(config).toMatchObject({ storage: 'unknown', storeHosts: ['cache.internal'], evidence: 'spring.data.redis.url=redis://app@cache.internal:6379/0' });
    expect(config.cookie).toEqual({});
    expect(config.lifetime).toBeUndefined();
  });

  it('gives nothing for properties without session settings', () => {
    expect(readText('application.properties', 'server.port=8080\nspring.datasource.url=jdbc:postgresql://db/app\n')).toEqual([]);
    expect(readText('messages.properties', 'greeting=Hello\n')).toEqual([]);
  });

  it('throws ParseError for values Spring refuses at startup', () => {
    const duration = parseErrorOf('application.properties', 'spring.application.name=x\nserver.servlet.session.timeout=thirty minutes\n');
    expect([duration.line, duration.message]).toEqual([2, '"thirty minutes" is not a duration (30m, 1h, PT30M, or seconds)']);
    const flag = parseErrorOf('application.properties', 'server.servlet.session.cookie.secure=maybe\n');
    expect([flag.line, flag.message]).toEqual([1, '"maybe" is not a boolean (true or false)']);
    const escape = parseErrorOf('application.properties', '\nserver.servlet.session.cookie.name=\\u12\n');
    expect([escape.line, escape.message]).toEqual([2, 'invalid properties: malformed \\uxxxx escape "\\u12"']);
  });
});

describe('spring reader: environment variables', () => {
  const env = (entries: Array<[string, string]>): EnvSetting[] =>
    entries.map(([name, value], index) => ({ name, value, location: at('deploy/k8s.yaml', 20 + index, 13) }));

  it('binds both environment forms of relaxed binding, located at the env line', () => {
    const configs = springReader.fromEnv!(
      env([
        ['JAVA_OPTS', '-Xmx512m'],
        ['SPRING_SESSION_STORE_TYPE', 'redis'],
        ['SPRING_DATA_REDIS_HOST', 'sessions'],
        ['SERVER_SERVLET_SESSION_TIMEOUT', '1h'],
        ['SERVER_SERVLET_SESSION_COOKIE_SECURE', 'false'],
        ['SERVER_SERVLET_SESSION_COOKIE_HTTPONLY', 'true'],
      ]),
      'services/shop',
    );
    expect(configs).toEqual([
      {
        kind: 'session-config',
        framework: 'spring',
        frameworkName: 'Spring Boot',
        storage: 'redis',
        storageDetail: 'spring.session.store-type=redis',
        storeHosts: ['sessions'],
        location: at('deploy/k8s.yaml', 21, 13),
        evidence: 'SPRING_SESSION_STORE_TYPE=redis',
        appRoot: 'services/shop',
        cookie: {
          secure: { value: false, location: at('deploy/k8s.yaml', 24, 13), evidence: 'SERVER_SERVLET_SESSION_COOKIE_SECURE=false' },
          httpOnly: { value: true, location: at('deploy/k8s.yaml', 25, 13), evidence: 'SERVER_SERVLET_SESSION_COOKIE_HTTPONLY=true' },
        },
        lifetime: { value: 3600, location: at('deploy/k8s.yaml', 23, 13), evidence: 'SERVER_SERVLET_SESSION_TIMEOUT=1h' },
      },
    ]);
  });

  it('reads the Boot 2 Redis host and the canonical STORETYPE form; skips values it cannot read', () => {
    const [config] = springReader.fromEnv!(
      env([
        ['SPRING_SESSION_STORETYPE', 'none'],
        ['SPRING_REDIS_HOST', 'cache'],
        ['SERVER_SERVLET_SESSION_TIMEOUT', 'soon'],
      ]),
      '.',
    );
    expect(config).toMatchObject({ storage: 'memory', storeHosts: [] });
    expect(config.lifetime).toBeUndefined();
    expect(springReader.fromEnv!(env([['SPRING_REDIS_HOST', 'cache']]), '.')[0].storeHosts).toEqual(['cache']);
  });

  it('gives nothing for an environment without Spring session settings', () => {
    expect(springReader.fromEnv!(env([['SERVER_PORT', '8080'], ['SPRING_PROFILES_ACTIVE', 'prod']]), '.')).toEqual([]);
  });
});

describe('spring reader: rule fixtures carry what their rules read', () => {
  const read = (file: string) => readFixture(`fixtures/rules/${file}`);

  it('in-memory-session-store: starter-web alone is memory; with spring-session-data-redis it is not', () => {
    expect(read('in-memory-session-store/spring-web-no-session.pom.xml').map((c) => [c.storage, c.location.line])).toEqual([['memory', 18]]);
    expect(read('in-memory-session-store/spring-session-redis.ok.pom.xml').map((c) => c.storage)).toEqual(['redis']);
  });

  it('session-no-expiry: -1 never expires, 30m does', () => {
    expect(read('session-no-expiry/spring-timeout-negative.properties').map((c) => [c.lifetime?.value, c.lifetime?.location?.line])).toEqual([[null, 3]]);
    expect(read('session-no-expiry/spring-timeout-30m.ok.properties').map((c) => c.lifetime?.value)).toEqual([1800]);
  });

  it('session-cookie-insecure: secure false is located', () => {
    const [config] = read('session-cookie-insecure/spring-cookie-secure-false.yml');
    expect(config.cookie.secure).toMatchObject({ value: false, location: { line: 7 } });
  });
});
