/**
 * A copy of a string that does not keep its parent alive. Readers slice values out of large input
 * chunks, and V8 keeps a slice's whole parent in memory: a kept session id (or cache key) would pin
 * 64 KiB of log. The concatenation makes V8 flatten a new string, and the slice is taken from that.
 */
export function own(value: string): string {
  return (' ' + value).slice(1);
}
