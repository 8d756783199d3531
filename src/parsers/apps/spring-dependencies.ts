import type { SessionConfig, SessionStorage } from '../../model/index.js';
import type { ParseInput } from '../types.js';
import { isArtifact, type JavaDependency } from './java-dependencies.js';

/**
 * Spring Session store modules, in the order Spring Boot picks one when several are on the classpath
 * (Redis, JDBC, Hazelcast, MongoDB). https://docs.spring.io/spring-boot/3.3/reference/web/spring-session.html
 * Boot 4 adds a starter per store (spring-boot-starter-session-data-redis, -session-jdbc).
 * https://docs.spring.io/spring-boot/reference/web/spring-session.html
 */
const SESSION_STORES: Array<{ artifacts: string[]; storage: SessionStorage; store: string }> = [
  { artifacts: ['spring-session-data-redis', 'spring-boot-starter-session-data-redis'], storage: 'redis', store: 'Redis' },
  { artifacts: ['spring-session-jdbc', 'spring-boot-starter-session-jdbc'], storage: 'database', store: 'a relational database (JDBC)' },
  { artifacts: ['spring-session-hazelcast'], storage: 'shared', store: 'a Hazelcast cluster' },
  { artifacts: ['spring-session-data-mongodb'], storage: 'database', store: 'MongoDB' },
  // Spring Session for Apache Geode (Spring Boot for Apache Geode auto-configures it).
  { artifacts: ['spring-session-data-geode'], storage: 'shared', store: 'an Apache Geode cluster' },
];

/**
 * Web starters whose server keeps sessions in its own memory when no Spring Session store is present:
 * an embedded Tomcat (Boot's default servlet container) uses its StandardManager, which holds
 * sessions in the JVM heap (https://tomcat.apache.org/tomcat-10.1-doc/config/manager.html); WebFlux's
 * default WebSessionManager (DefaultWebSessionManager) uses an InMemoryWebSessionStore
 * (https://docs.spring.io/spring-framework/docs/current/javadoc-api/org/springframework/web/server/session/InMemoryWebSessionStore.html).
 * Boot 4 names the servlet starter spring-boot-starter-webmvc.
 */
const WEB_STARTERS: Array<{ artifact: string; detail: string }> = [
  { artifact: 'spring-boot-starter-web', detail: "the servlet container's memory (Tomcat StandardManager): each instance keeps its own sessions" },
  { artifact: 'spring-boot-starter-webmvc', detail: "the servlet container's memory (Tomcat StandardManager): each instance keeps its own sessions" },
  { artifact: 'spring-boot-starter-webflux', detail: "WebFlux's InMemoryWebSessionStore: each instance keeps its own sessions" },
];

/** What a build file's dependencies say about session storage: one config, or none for a non-web build. */
export function sessionConfigFromDependencies(input: ParseInput, dependencies: JavaDependency[], appRoot: string): SessionConfig[] {
  const present = SESSION_STORES.map((store) => ({ store, dependency: dependencies.find((d) => store.artifacts.some((a) => isArtifact(d, a))) }))
    .filter((entry): entry is { store: (typeof SESSION_STORES)[number]; dependency: JavaDependency } => entry.dependency !== undefined);
  if (present.length > 0) {
    const [chosen, ...others] = present;
    const also = others.length > 0 ? `; also on the classpath: ${others.map((o) => o.dependency.artifact).join(', ')} (Spring Boot picks ${chosen.store.store} first)` : '';
    return [
      configAt(input, chosen.dependency, appRoot, {
        frameworkName: 'Spring Session',
        storage: chosen.store.storage,
        storageDetail: `${chosen.dependency.artifact}: Spring Session keeps sessions in ${chosen.store.store}${also}`,
      }),
    ];
  }
  for (const starter of WEB_STARTERS) {
    const dependency = dependencies.find((d) => isArtifact(d, starter.artifact));
    if (dependency) {
      return [
        configAt(input, dependency, appRoot, {
          frameworkName: 'Spring Boot',
          storage: 'memory',
          storageDetail: `${dependency.artifact} without a Spring Session store: sessions live in ${starter.detail}`,
        }),
      ];
    }
  }
  return [];
}

function configAt(
  input: ParseInput,
  dependency: JavaDependency,
  appRoot: string,
  fields: Pick<SessionConfig, 'frameworkName' | 'storage' | 'storageDetail'>,
): SessionConfig {
  return {
    kind: 'session-config',
    framework: 'spring',
    ...fields,
    // The store's hosts and the cookie are set in application.properties/yml, not in the build.
    storeHosts: [],
    location: { file: input.file, line: dependency.line, column: dependency.column },
    evidence: (input.lines()[dependency.line - 1] ?? '').trim(),
    appRoot,
    cookie: {},
  };
}
