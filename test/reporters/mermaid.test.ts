import { describe, expect, it } from 'vitest';
import type { SessionMap } from '../../src/model/index.js';
import { mermaidOf, mermaidText } from '../../src/reporters/mermaid.js';
import { sampleMap } from '../support/map-report.js';

describe('mermaidOf', () => {
  it('draws the map as a flowchart: shapes by kind, escaped labels, classes by severity', () => {
    expect(mermaidOf(sampleMap())).toBe(`flowchart LR
  proxy_deploy_nginx_conf_nginx[["nginx"]]
  pool_deploy_nginx_conf_upstream_shop_backend{{"upstream shop_backend<br/>ip_hash: client IP"}}
  pool_deploy_nginx_conf_upstream_admin{{"upstream admin<br/>no affinity"}}
  app_api["api #lt;script#gt;alert#40;1#41;#lt;/script#gt;<br/>2 replicas · sessions: MemoryStore #40;per node#41;"]
  app_web["web #quot;quoted#quot; app<br/>3 replicas · sessions: Redis"]
  store_redis_redis_6379[("redis:6379<br/>maxmemory-policy allkeys-lru · 12 session keys without TTL")]
  pool_k8s_legacy_yaml_Service_shop_legacy{{"Service shop/legacy<br/>sessionAffinity: ClientIP"}}
  app_legacy["legacy"]
  app_cron["cron<br/>1 replica"]
  proxy_deploy_nginx_conf_nginx --> pool_deploy_nginx_conf_upstream_shop_backend
  proxy_deploy_nginx_conf_nginx --> pool_deploy_nginx_conf_upstream_admin
  pool_deploy_nginx_conf_upstream_shop_backend --> app_api
  pool_deploy_nginx_conf_upstream_shop_backend --> app_web
  pool_deploy_nginx_conf_upstream_admin --> app_api
  app_api --> store_redis_redis_6379
  app_web --> store_redis_redis_6379
  pool_k8s_legacy_yaml_Service_shop_legacy --> app_legacy
  classDef critical fill:#fde2e2,stroke:#991b1b,stroke-width:3px,color:#450a0a
  class store_redis_redis_6379 critical
  classDef high fill:#fee2e2,stroke:#dc2626,stroke-width:2px,color:#450a0a
  class app_api high
  classDef medium fill:#fef3c7,stroke:#d97706,stroke-width:2px,color:#422006
  class pool_deploy_nginx_conf_upstream_shop_backend medium
  classDef low fill:#e0f2fe,stroke:#0284c7,color:#082f49
  class app_web low
  classDef info fill:#f1f5f9,stroke:#64748b,color:#0f172a
  class pool_k8s_legacy_yaml_Service_shop_legacy info
`);
  });

  it('makes ids of [A-Za-z0-9_] that stay unique and avoid reserved words', () => {
    const node = (id: string) => ({ id, kind: 'app' as const, name: id, file: null, line: null, facts: [], severity: null });
    const map: SessionMap = { nodes: ['a.b', 'a-b', 'end', '1st', '---', 'a_b'].map(node), edges: [{ from: 'a.b', to: 'end' }], unlinked: [] };
    const lines = mermaidOf(map).split('\n');
    expect(lines.slice(1, 7).map((line) => line.trim().split('[')[0])).toEqual(['a_b', 'a_b_2', 'n_end', 'n_1st', 'n_', 'a_b_3']);
    expect(lines).toContain('  a_b --> n_end');
  });

  it('keeps quotes, brackets, markup and backticks out of labels', () => {
    const text = mermaidText('a "b" [c] (d) {e} <f> `g` #h & i | j\nk');
    expect(text).toBe('a #quot;b#quot; #91;c#93; #40;d#41; #123;e#125; #lt;f#gt; #96;g#96; #35;h #amp; i #124; j k');
    expect(text).not.toMatch(/["[\](){}<>`|\n]/);
  });
});
