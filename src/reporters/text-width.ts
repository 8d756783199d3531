/**
 * Rough text widths for SVG labels, which do not wrap or clip by themselves. Per-character advance
 * widths (in em) of DejaVu Sans, the widest of the usual sans-serif fonts (Linux's default; Segoe UI,
 * San Francisco and Roboto are narrower), so a label measured here fits whatever font the reader has.
 */
const NARROW = new Set([...'ijlI.,:;!|\'`']);
const WIDTHS: Record<string, number> = {
  a: 0.613, b: 0.635, c: 0.55, d: 0.635, e: 0.615, f: 0.352, g: 0.635, h: 0.634, k: 0.579, m: 0.974, n: 0.634, o: 0.612,
  p: 0.635, q: 0.635, r: 0.411, s: 0.521, t: 0.392, u: 0.634, v: 0.592, w: 0.818, x: 0.592, y: 0.592, z: 0.525,
  M: 0.863, W: 0.989, ' ': 0.318, '-': 0.361, _: 0.5, '/': 0.337, '(': 0.39, ')': 0.39, '[': 0.39, ']': 0.39,
  '"': 0.46, '<': 0.838, '>': 0.838, '=': 0.838, '+': 0.838, '#': 0.838, '%': 0.95, '&': 0.78, '@': 1, '…': 1, '·': 0.318,
};

function charWidth(char: string): number {
  if (NARROW.has(char)) return 0.3;
  if (char in WIDTHS) return WIDTHS[char];
  if (char >= '0' && char <= '9') return 0.636;
  if (char >= 'A' && char <= 'Z') return 0.72;
  return char.charCodeAt(0) > 0x2e80 ? 1 : 0.65; // CJK and the like are a full em
}

export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const char of text) em += charWidth(char);
  return em * fontSize * (bold ? 1.1 : 1);
}

/**
 * Cut text to fit `width` pixels with an ellipsis: at the end, or for a path (no spaces, has a /)
 * at the start, so the file name stays ("…/haproxy/haproxy.cfg").
 */
export function fitText(text: string, width: number, fontSize: number, bold = false): string {
  if (textWidth(text, fontSize, bold) <= width) return text;
  const chars = [...text];
  const budget = width - textWidth('…', fontSize, bold);
  const fromStart = !/\s/.test(text) && text.includes('/');
  let used = 0;
  let kept = 0;
  for (let index = 0; index < chars.length; index++) {
    const char = chars[fromStart ? chars.length - 1 - index : index];
    used += textWidth(char, fontSize, bold);
    if (used > budget) break;
    kept++;
  }
  if (fromStart) {
    const tail = chars.slice(chars.length - kept).join('');
    const slash = tail.indexOf('/');
    return `…${slash >= 0 && slash < tail.length - 1 ? tail.slice(slash) : tail}`; // from a whole folder name
  }
  return `${chars.slice(0, kept).join('').trimEnd()}…`;
}
