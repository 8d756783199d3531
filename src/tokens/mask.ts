/**
 * hashcat-style masks for `token crack --mask`: one placeholder or literal character per position.
 *
 *   ?l  a-z          ?u  A-Z          ?d  0-9          ?s  space and !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
 *   ?a  ?l?u?d?s     ?h  0-9a-f       ?H  0-9A-F       ?b  every byte 0x00-0xff
 *   ?1  the custom set given with --charset (itself written with the placeholders above and literals)
 *   ??  a literal ?; any other character stands for itself (a non-ASCII one for its UTF-8 bytes)
 *
 * Candidates are numbered 0 .. size-1 like an odometer, the last position turning fastest, so a range
 * of numbers is a batch a worker can enumerate on its own.
 */
import { UsageError } from '../errors.js';

export interface Mask {
  /** For people: the mask as given, or as made from --charset / --max-length ("?1?1?1"). */
  text: string;
  /** Per position, the byte values it takes, in order. */
  positions: Uint8Array[];
  /** The number of candidates: the product of the position sizes (exact up to 2^53). */
  size: number;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const SPECIAL = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

const BUILT_IN_SETS: Record<string, number[]> = {
  l: ascii(LOWER),
  u: ascii(UPPER),
  d: ascii(DIGITS),
  s: ascii(SPECIAL),
  a: ascii(LOWER + UPPER + DIGITS + SPECIAL),
  h: ascii(`${DIGITS}abcdef`),
  H: ascii(`${DIGITS}ABCDEF`),
  b: Array.from({ length: 256 }, (_, byte) => byte),
};

const PLACEHOLDERS = '?l ?u ?d ?s ?a ?h ?H ?b ?1, or ?? for a literal ?';

/** The byte set a --charset value stands for: placeholders and single-byte literals, duplicates removed. */
export function parseCharset(text: string): Uint8Array {
  if (text.length === 0) throw new UsageError('--charset is empty');
  const bytes: number[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (char === '?') {
      const next = chars[++i];
      if (next === undefined) throw new UsageError(`--charset "${text}" ends with a lone ? (use ${PLACEHOLDERS})`);
      if (next === '?') bytes.push(0x3f);
      else if (BUILT_IN_SETS[next]) bytes.push(...BUILT_IN_SETS[next]);
      else throw new UsageError(`--charset "${text}": unknown placeholder ?${next} (use ${PLACEHOLDERS.replace(' ?1', '')})`);
    } else {
      const code = char.codePointAt(0) ?? 0;
      if (code > 0x7f) throw new UsageError(`--charset "${text}": "${char}" is not a single byte (a charset holds bytes: use ?b for all of them)`);
      bytes.push(code);
    }
  }
  return Uint8Array.from(new Set(bytes));
}

/** A mask as written on the command line; `custom` is the --charset set that ?1 stands for. */
export function parseMask(text: string, custom?: Uint8Array): Mask {
  if (text.length === 0) throw new UsageError('--mask is empty');
  const positions: Uint8Array[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (char !== '?') {
      for (const byte of Buffer.from(char, 'utf8')) positions.push(Uint8Array.of(byte));
      continue;
    }
    const next = chars[++i];
    if (next === undefined) throw new UsageError(`--mask "${text}" ends with a lone ? (use ${PLACEHOLDERS})`);
    if (next === '?') positions.push(Uint8Array.of(0x3f));
    else if (next === '1') {
      if (!custom) throw new UsageError(`--mask "${text}" uses ?1: give its characters with --charset`);
      positions.push(custom);
    } else if (BUILT_IN_SETS[next]) positions.push(Uint8Array.from(BUILT_IN_SETS[next]));
    else throw new UsageError(`--mask "${text}": unknown placeholder ?${next} (use ${PLACEHOLDERS})`);
  }
  return { text, positions, size: keyspace(positions) };
}

function keyspace(positions: Uint8Array[]): number {
  return positions.reduce((product, set) => product * set.length, 1);
}

/** --increment: the mask's prefixes, shortest first, ending with the whole mask (as hashcat does). */
export function prefixesOf(mask: Mask): Mask[] {
  const out: Mask[] = [];
  for (let length = 1; length <= mask.positions.length; length++) {
    const positions = mask.positions.slice(0, length);
    out.push({ text: length === mask.positions.length ? mask.text : `${mask.text} (first ${length})`, positions, size: keyspace(positions) });
  }
  return out;
}

/** --max-length: every secret of min..max characters from the set, shortest first. */
export function lengthMasks(set: Uint8Array, setText: string, minLength: number, maxLength: number): Mask[] {
  const out: Mask[] = [];
  for (let length = minLength; length <= maxLength; length++) {
    const positions = Array.from({ length }, () => set);
    out.push({ text: `${'?1'.repeat(length)} (?1 = ${setText})`, positions, size: keyspace(positions) });
  }
  return out;
}

/**
 * Writes candidate number `index` of the mask into `key` (length = the number of positions) and the
 * position digits into `digits`, for an enumeration that goes on with `nextCandidate`.
 */
export function candidateAt(positions: Uint8Array[], index: number, key: Uint8Array, digits: Int32Array): void {
  for (let i = positions.length - 1; i >= 0; i--) {
    const size = positions[i].length;
    const digit = index % size;
    index = Math.floor(index / size);
    digits[i] = digit;
    key[i] = positions[i][digit];
  }
}

/** Moves `key` to the next candidate (the last position turns fastest); false after the last one. */
export function nextCandidate(positions: Uint8Array[], key: Uint8Array, digits: Int32Array): boolean {
  for (let i = positions.length - 1; i >= 0; i--) {
    const set = positions[i];
    const digit = digits[i] + 1;
    if (digit < set.length) {
      digits[i] = digit;
      key[i] = set[digit];
      return true;
    }
    digits[i] = 0;
    key[i] = set[0];
  }
  return false;
}
