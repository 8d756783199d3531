import type { MapNode, MapNodeKind, SessionMap, Severity } from '../model/index.js';
import { esc } from './html-escape.js';
import { factsOf, indexMap, MAP_KINDS, nodeWhere } from './map-common.js';
import { fitText } from './text-width.js';

/** Border and fill by the node's worst finding; `none` when nothing was found about it. */
export const NODE_COLORS: Record<Severity | 'none', { stroke: string; fill: string; width: number }> = {
  critical: { stroke: '#7f1d1d', fill: '#fee2e2', width: 3 },
  high: { stroke: '#dc2626', fill: '#fef2f2', width: 2.5 },
  medium: { stroke: '#d97706', fill: '#fffbeb', width: 2 },
  low: { stroke: '#0284c7', fill: '#f0f9ff', width: 1.5 },
  info: { stroke: '#64748b', fill: '#f8fafc', width: 1.5 },
  none: { stroke: '#94a3b8', fill: '#ffffff', width: 1.25 },
};

const COLUMN_TITLES: Record<MapNodeKind, string> = { proxy: 'Proxies', pool: 'Pools', app: 'Apps', store: 'Stores' };

const COLUMN_GAP = 84;
const ROW_GAP = 18;
const PAD = 20;
const HEADER = 30;
const NAME_SIZE = 13;
const FACT_SIZE = 11.5;
const MAX_FACTS = 2;

interface Box {
  node: MapNode;
  column: number;
  x: number;
  width: number;
  y: number;
  height: number;
  facts: string[];
}

const heightOf = (facts: number) => 38 + 17 * facts;
const centre = (box: Box) => box.y + box.height / 2;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Keep the order, and move boxes down only as far as needed so none overlap. */
function stack(boxes: Box[], wanted: (box: Box) => number | undefined): void {
  let bottom: number | null = null;
  for (const box of boxes) {
    const next = bottom === null ? 0 : bottom + ROW_GAP;
    const y = wanted(box);
    box.y = y === undefined ? next : bottom === null ? y : Math.max(y, next);
    bottom = box.y + box.height;
  }
}

/**
 * Columns by kind (proxy | pool | app | store). Each column is ordered by where its parents are
 * (barycentre), which keeps most edges from crossing, and each box is placed level with its parents;
 * then one pass from right to left centres parents on their children.
 */
function layout(map: SessionMap) {
  const { byId, children, parents } = indexMap(map);
  const kinds = MAP_KINDS.filter((kind) => [...byId.values()].some((node) => node.kind === kind));
  // Wider boxes when there are fewer columns: the map fills about the same page width.
  const nodeWidth = kinds.length >= 4 ? 224 : kinds.length === 3 ? 264 : 288;
  const columns: Box[][] = kinds.map((kind, column) =>
    [...byId.values()]
      .filter((node) => node.kind === kind)
      .map((node) => {
        const facts = factsOf(node).slice(0, MAX_FACTS);
        return { node, column, x: PAD + column * (nodeWidth + COLUMN_GAP), width: nodeWidth, y: 0, height: heightOf(facts.length), facts };
      }),
  );
  const boxes = new Map<string, Box>();
  for (const box of columns.flat()) boxes.set(box.node.id, box);

  const placed = new Set<string>();
  columns.forEach((column, index) => {
    const wanted = new Map<Box, number>();
    for (const box of column) {
      const from = parents.get(box.node.id)!.filter((id) => placed.has(id) && boxes.get(id)!.column < index);
      if (from.length > 0) wanted.set(box, mean(from.map((id) => centre(boxes.get(id)!))) - box.height / 2);
    }
    if (index > 0) {
      // Boxes with parents in order of their parents; the rest after them, in map order (a stable sort).
      column.sort((a, b) => (wanted.get(a) ?? Number.POSITIVE_INFINITY) - (wanted.get(b) ?? Number.POSITIVE_INFINITY) || 0);
    }
    stack(column, (box) => wanted.get(box));
    for (const box of column) placed.add(box.node.id);
  });
  for (let index = columns.length - 2; index >= 0; index--) {
    stack(columns[index], (box) => {
      const to = children.get(box.node.id)!.filter((id) => boxes.get(id)!.column > index);
      return to.length > 0 ? mean(to.map((id) => centre(boxes.get(id)!))) - box.height / 2 : box.y;
    });
  }
  const top = Math.min(...columns.flat().map((box) => box.y));
  for (const box of boxes.values()) box.y += PAD + HEADER - top;
  const width = PAD * 2 + kinds.length * nodeWidth + Math.max(0, kinds.length - 1) * COLUMN_GAP;
  const height = Math.max(...columns.flat().map((box) => box.y + box.height)) + PAD;
  return { kinds, boxes, children, width, height, nodeWidth };
}

/** Where the i-th of n edges meets a box's side: spread around the middle, so edges into one box stay apart. */
function port(box: Box, index: number, count: number): number {
  if (count <= 1) return centre(box);
  const spread = Math.min(box.height * 0.6, (count - 1) * 10);
  return centre(box) - spread / 2 + (index * spread) / (count - 1);
}

function edgePath(from: Box, to: Box, y1: number, y2: number): string {
  if (to.column <= from.column) {
    // Within a column (a proxy in front of a proxy) or backwards: loop out on the right, into the target's right side.
    const x = from.x + from.width;
    const xt = to.x + to.width + 3;
    return `M${x} ${y1} C${x + 60} ${y1}, ${xt + 60} ${y2}, ${xt} ${y2}`;
  }
  const x1 = from.x + from.width;
  const x2 = to.x - 3; // the arrowhead ends at the border
  const bend = Math.max(40, Math.abs(x2 - x1) / 2);
  return `M${x1} ${y1} C${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
}

/** Each edge with its end points: outgoing edges ordered by their targets' height, incoming by their sources'. */
function routeEdges(boxes: Map<string, Box>, children: Map<string, string[]>) {
  const edges = [...children].flatMap(([from, tos]) => tos.map((to) => ({ from, to, a: boxes.get(from)!, b: boxes.get(to)!, y1: 0, y2: 0 })));
  const outgoing = new Map<string, typeof edges>();
  const incoming = new Map<string, typeof edges>();
  for (const edge of edges) {
    outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
    incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge]);
  }
  for (const list of outgoing.values()) {
    list.sort((p, q) => centre(p.b) - centre(q.b));
    list.forEach((edge, index) => (edge.y1 = port(edge.a, index, list.length)));
  }
  for (const list of incoming.values()) {
    list.sort((p, q) => centre(p.a) - centre(q.a));
    list.forEach((edge, index) => (edge.y2 = port(edge.b, index, list.length)));
  }
  return edges;
}

function nodeSvg(box: Box): string {
  const { node, x, y, width, height, facts } = box;
  const colors = NODE_COLORS[node.severity ?? 'none'];
  const where = nodeWhere(node);
  const tooltip = [
    `${node.name} (${node.kind})`,
    ...factsOf(node),
    ...(where ? [where] : []),
    ...(node.source && node.source !== node.name ? [node.source] : []),
    node.severity ? `worst finding: ${node.severity}` : 'no findings',
  ].join('\n');
  const parts = [
    `<g class="node" data-id="${esc(node.id)}" data-kind="${esc(node.kind)}"${node.severity ? ` data-severity="${esc(node.severity)}"` : ''}>`,
    `<title>${esc(tooltip)}</title>`,
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="9" ry="9" fill="${colors.fill}" stroke="${colors.stroke}" stroke-width="${colors.width}"/>`,
  ];
  if (node.severity) parts.push(`<circle cx="${x + width - 14}" cy="${y + 14}" r="5" fill="${colors.stroke}"/>`);
  parts.push(`<text class="node-name" x="${x + 12}" y="${y + 23}">${esc(fitText(node.name, width - 24 - (node.severity ? 16 : 0), NAME_SIZE, true))}</text>`);
  facts.forEach((fact, index) => {
    parts.push(`<text class="node-fact" x="${x + 12}" y="${y + 23 + 17 * (index + 1)}">${esc(fitText(fact, width - 24, FACT_SIZE))}</text>`);
  });
  parts.push('</g>');
  return parts.join('');
}

/** The session map as an inline SVG (no script, no external resource): columns by kind, edges left to right. */
export function svgMap(map: SessionMap): string {
  const { kinds, boxes, children, width, height, nodeWidth } = layout(map);
  const out = [
    `<svg class="session-map" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="max-width: ${width}px" role="img" aria-label="Session map">`,
    '<defs><marker id="map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
      '<path d="M0 0 L10 5 L0 10 z" fill="#94a3b8"/></marker></defs>',
  ];
  kinds.forEach((kind, column) => {
    out.push(`<text class="column-title" x="${PAD + column * (nodeWidth + COLUMN_GAP) + 2}" y="${PAD + 10}">${esc(COLUMN_TITLES[kind])}</text>`);
  });
  out.push('<g class="edges">');
  for (const { from, to, a, b, y1, y2 } of routeEdges(boxes, children)) {
    out.push(`<path class="edge" data-from="${esc(from)}" data-to="${esc(to)}" d="${edgePath(a, b, y1, y2)}" fill="none" stroke="#94a3b8" stroke-width="1.5" marker-end="url(#map-arrow)"/>`);
  }
  out.push('</g><g class="nodes">');
  for (const box of boxes.values()) out.push(nodeSvg(box));
  out.push('</g></svg>');
  return out.join('\n');
}
