import { describe, expect, it } from 'vitest';
import { markdownReporter } from '../../src/reporters/markdown.js';
import { mermaidOf } from '../../src/reporters/mermaid.js';
import { sampleMap, sampleReport } from '../support/map-report.js';

describe('markdown reporter', () => {
  it('puts the session map as a mermaid block before the findings table', () => {
    const text = markdownReporter(sampleReport(), { color: false });
    const block = `### Session map\n\n\`\`\`mermaid\n${mermaidOf(sampleMap())}\`\`\`\n`;
    expect(text).toContain(block);
    expect(text.startsWith('## session-audit\n\n**3 findings** (1 critical, 1 high, 1 medium) in 3 config files and 1 store.\n\n### Session map')).toBe(true);
    const table = text.indexOf('| Severity | Rule | Where | Finding |');
    expect(table).toBeGreaterThan(text.indexOf(block));
    expect(text).toContain('| critical | `session-key-no-ttl` | `redis://redis:6379` | 12 session keys "sess:*" have no TTL |');
    expect(text).toContain('| medium | `sticky-session` | `deploy/nginx.conf:10` | upstream shop_backend pins clients by ip_hash |');
  });

  it('shows markup from config files as text', () => {
    const text = markdownReporter(sampleReport(), { color: false });
    expect(text).toContain('| high | `in-memory-sessions` | `compose.yml:5` | app api &lt;script&gt;alert(1)&lt;/script&gt; keeps sessions');
    expect(text).not.toContain('<script>');
  });

  it('is unchanged without a map (check), and shows the map when there are no findings', () => {
    const check = markdownReporter(sampleReport({ map: null }), { color: false });
    expect(check).not.toContain('mermaid');
    expect(check).not.toContain('### Findings');
    expect(check).toMatch(/^## session-audit\n\n\*\*3 findings\*\* .*\n\n\| Severity \| Rule \| Where \| Finding \|\n\|---\|---\|---\|---\|\n/);

    const clean = { ...sampleReport(), findings: [], summary: { ...sampleReport().summary, findings: 0, bySeverity: {} } };
    expect(markdownReporter(clean, { color: false })).toMatch(/^## session-audit\n\nNo findings in 3 config files and 1 store\.\n\n### Session map\n\n```mermaid\nflowchart LR\n/);
  });
});
