import { Chalk, type ChalkInstance } from 'chalk';
import type { MapNode, SessionMap, Severity } from '../model/index.js';
import { factsOf, indexMap, MAP_KINDS, nodeWhere, unlinkedEntries } from './map-common.js';

export interface MapTreeOptions {
  color: boolean;
  /** Also list the map's `unlinked` entries, under "not linked". */
  verbose?: boolean;
}

const SEVERITY_COLOR: Record<Severity, (chalk: ChalkInstance) => ChalkInstance> = {
  critical: (c) => c.red,
  high: (c) => c.red,
  medium: (c) => c.yellow,
  low: (c) => c.dim,
  info: (c) => c.dim,
};

/**
 * The session map as an indented tree for a terminal: proxies, the pools they route to (with
 * affinity), the apps behind each pool (replicas, session storage) and the stores those apps use.
 * A node reached from two parents is printed under both; a cycle is cut and marked.
 */
export function renderMapTree(map: SessionMap, options: MapTreeOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const { byId, children, parents } = indexMap(map);
  const lines: string[] = [chalk.bold('Session map')];
  const branch = (text: string) => chalk.gray(text);

  const label = (node: MapNode) => {
    // The file is printed at the end of the line already.
    const facts = factsOf(node).filter((fact) => fact !== node.file && fact !== nodeWhere(node));
    const text = facts.length > 0 ? `${node.name} [${facts.join(' · ')}]` : node.name;
    const styled = node.severity ? SEVERITY_COLOR[node.severity](chalk)(text) : text;
    const where = nodeWhere(node);
    return where ? `${styled}  ${chalk.dim(where)}` : styled;
  };

  const walk = (id: string, prefix: string, connector: string, path: Set<string>) => {
    const node = byId.get(id)!;
    if (path.has(id)) {
      lines.push(`${branch(prefix + connector)}${label(node)} ${chalk.dim('(cycle)')}`);
      return;
    }
    lines.push(`${branch(prefix + connector)}${label(node)}`);
    const childPrefix = prefix + (connector === '├─ ' ? '│  ' : connector === '└─ ' ? '   ' : '');
    const kids = children.get(id)!;
    path.add(id);
    kids.forEach((child, index) => walk(child, childPrefix, index === kids.length - 1 ? '└─ ' : '├─ ', path));
    path.delete(id);
  };

  const nodes = [...byId.values()];
  const reached = new Set<string>();
  const reach = (id: string) => {
    const stack = [id];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (reached.has(next)) continue;
      reached.add(next);
      stack.push(...children.get(next)!);
    }
  };
  /** Roots among `candidates`: those nothing leads to, then (cycles) the first not yet reached. */
  const rootsOf = (candidates: MapNode[]) => {
    const roots: string[] = [];
    for (const node of candidates) {
      if (!reached.has(node.id) && parents.get(node.id)!.length === 0) {
        roots.push(node.id);
        reach(node.id);
      }
    }
    for (const node of candidates) {
      if (!reached.has(node.id)) {
        roots.push(node.id);
        reach(node.id);
      }
    }
    return roots;
  };

  // Proxies are the roots; a proxy in front of another proxy prints the second one under the first.
  for (const id of rootsOf(nodes.filter((node) => node.kind === 'proxy'))) walk(id, '', '', new Set());

  // Everything no proxy leads to: pools without a proxy, apps no pool routes to, stores no app uses.
  const orphans = rootsOf([...nodes].sort((a, b) => MAP_KINDS.indexOf(a.kind) - MAP_KINDS.indexOf(b.kind)));
  if (orphans.length > 0) {
    lines.push(chalk.bold('not behind any proxy found'));
    orphans.forEach((id, index) => walk(id, '', index === orphans.length - 1 ? '└─ ' : '├─ ', new Set()));
  }

  const unlinked = options.verbose ? unlinkedEntries(map) : [];
  if (unlinked.length > 0) {
    lines.push(chalk.bold('not linked'));
    unlinked.forEach(({ text, where }, index) => {
      lines.push(`${branch(index === unlinked.length - 1 ? '└─ ' : '├─ ')}${text}${where ? `  ${chalk.dim(where)}` : ''}`);
    });
  }
  return lines.join('\n');
}
