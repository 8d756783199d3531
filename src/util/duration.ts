/**
 * Durations as configs write them, in seconds:
 * nginx ("1h", "30m", "1d", "1w", "1M", "1y", "90"), HAProxy ("24h", "30m", "1d"), Go/Traefik/Envoy
 * ("1h30m", "3600s", "1.5h", "300ms"), and bare numbers in `defaultUnit`.
 * Returns undefined for anything else ("off", "max", "epoch", "").
 */
const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 0.001,
  s: 1,
  sec: 1,
  m: 60,
  min: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  M: 2592000, // nginx: 30 days
  y: 31536000, // nginx: 365 days
};

export function parseDuration(text: string | number | undefined | null, defaultUnit: 's' | 'ms' = 's'): number | undefined {
  if (text === undefined || text === null) return undefined;
  if (typeof text === 'number') return Number.isFinite(text) ? (defaultUnit === 'ms' ? text / 1000 : text) : undefined;
  const trimmed = text.trim().replace(/^"(.*)"$/, '$1');
  if (trimmed === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) {
    const value = Number(trimmed);
    return defaultUnit === 'ms' ? value / 1000 : value;
  }
  const part = /(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|sec|min|s|m|h|d|w|M|y)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * UNIT_SECONDS[match[2]];
    consumed = part.lastIndex;
  }
  return consumed === trimmed.length && consumed > 0 ? total : undefined;
}

/** "2h", "30d", "1d 2h" — for messages. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const units: Array<[string, number]> = [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ') || '0s';
}
