import type { MapNodeKind, SessionMap, Severity } from '../model/index.js';
import { factsOf, indexMap, SEVERITY_ORDER } from './map-common.js';

/** Words Mermaid's flowchart grammar reserves: an id equal to one of them breaks the diagram. */
const RESERVED = new Set(['end', 'graph', 'flowchart', 'subgraph', 'style', 'classdef', 'class', 'click', 'linkstyle', 'direction', 'default']);

const SHAPES: Record<MapNodeKind, [string, string]> = {
  proxy: ['[[', ']]'],
  pool: ['{{', '}}'],
  app: ['[', ']'],
  store: ['[(', ')]'],
};

const CLASS_DEFS: Record<Severity, string> = {
  critical: 'fill:#fde2e2,stroke:#991b1b,stroke-width:3px,color:#450a0a',
  high: 'fill:#fee2e2,stroke:#dc2626,stroke-width:2px,color:#450a0a',
  medium: 'fill:#fef3c7,stroke:#d97706,stroke-width:2px,color:#422006',
  low: 'fill:#e0f2fe,stroke:#0284c7,color:#082f49',
  info: 'fill:#f1f5f9,stroke:#64748b,color:#0f172a',
};

/** Text safe inside a quoted Mermaid label: entity codes for quotes, brackets, markup and backticks. */
export function mermaidText(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/&/g, '#amp;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\[/g, '#91;')
    .replace(/\]/g, '#93;')
    .replace(/\(/g, '#40;')
    .replace(/\)/g, '#41;')
    .replace(/\{/g, '#123;')
    .replace(/\}/g, '#125;')
    .replace(/\|/g, '#124;')
    .replace(/`/g, '#96;')
    .replace(/[\r\n\t]+/g, ' ');
}

/** Ids of [A-Za-z0-9_] only, unique within the diagram. */
function mermaidIds(ids: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ids) {
    let base = id.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    if (base === '' || /^[0-9]/.test(base) || RESERVED.has(base.toLowerCase())) base = `n_${base}`;
    let candidate = base;
    for (let n = 2; used.has(candidate); n++) candidate = `${base}_${n}`;
    used.add(candidate);
    out.set(id, candidate);
  }
  return out;
}

/** The session map as a Mermaid flowchart, left to right, coloured by each node's worst finding. */
export function mermaidOf(map: SessionMap): string {
  const { byId, children } = indexMap(map);
  const ids = mermaidIds([...byId.keys()]);
  const lines = ['flowchart LR'];
  for (const node of byId.values()) {
    const [open, close] = SHAPES[node.kind];
    const facts = factsOf(node).slice(0, 2).map(mermaidText);
    const label = [mermaidText(node.name), ...(facts.length > 0 ? [facts.join(' · ')] : [])].join('<br/>');
    lines.push(`  ${ids.get(node.id)}${open}"${label}"${close}`);
  }
  for (const [from, tos] of children) for (const to of tos) lines.push(`  ${ids.get(from)} --> ${ids.get(to)}`);
  for (const severity of SEVERITY_ORDER) {
    const members = [...byId.values()].filter((node) => node.severity === severity).map((node) => ids.get(node.id));
    if (members.length === 0) continue;
    lines.push(`  classDef ${severity} ${CLASS_DEFS[severity]}`, `  class ${members.join(',')} ${severity}`);
  }
  return `${lines.join('\n')}\n`;
}
