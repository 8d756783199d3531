/**
 * Redis glob patterns (the MATCH of SCAN, stringmatchlen in util.c) as anchored RegExps, with the
 * server's semantics: `*` any run, `?` one character, `[abc]` `[^a-z]` sets and ranges (`[]` matches nothing), and
 * `\x` for a literal x. A `--namespace` or `--session-pattern` glob may be sent as SCAN MATCH and is applied again
 * on the client, so both sides must agree on what it means.
 */
import { UsageError } from '../errors.js';

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export function globToRegExp(glob: string, flag = '--namespace'): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '\\' && i + 1 < glob.length) out += escapeRe(glob[++i]);
    else if (c === '[') {
      const end = setEnd(glob, i);
      if (end < 0) throw new UsageError(`${flag} "${glob}": unclosed [ (write \\[ for a literal bracket)`);
      let j = i + 1;
      let negate = false;
      if (glob[j] === '^') {
        negate = true;
        j++;
      }
      let set = '';
      for (; j < end; j++) {
        let from = glob[j];
        if (from === '\\' && j + 1 < end) from = glob[++j];
        if (glob[j + 1] === '-' && j + 2 < end) {
          let to = glob[j + 2];
          j += 2;
          if (to === '\\' && j + 1 < end) to = glob[++j];
          // Redis swaps a reversed range ([z-a] is [a-z]).
          const [lo, hi] = from <= to ? [from, to] : [to, from];
          set += `${escapeRe(lo)}-${escapeRe(hi)}`;
        } else set += escapeRe(from);
      }
      out += negate ? `[^${set}]` : set === '' ? '(?!)' : `[${set}]`;
      i = end;
    } else out += escapeRe(c);
  }
  return new RegExp(`^${out}$`, 's');
}

/** Index of the `]` closing the set that starts at `start`, or -1. */
function setEnd(glob: string, start: number): number {
  for (let j = start + 1 + (glob[start + 1] === '^' ? 1 : 0); j < glob.length; j++) {
    if (glob[j] === '\\') j++;
    else if (glob[j] === ']') return j;
  }
  return -1;
}

/** A literal string as a glob that matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
