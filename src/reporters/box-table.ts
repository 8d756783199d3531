/**
 * A boxed text table. Hand-written because cli-table3 (and `table`) re-measure every cell through
 * ansi-regex on each layout pass: 1.5 ms a row, so a check with 24,000 findings took 110 s to print.
 * Here cells are plain text, wrapped once to fixed widths, and coloured only after padding: a few
 * microseconds a row.
 */

/** Part of a cell: its text is wrapped on its own lines and every line gets the style. */
export interface Segment {
  text: string;
  style?: (line: string) => string;
}

export type Cell = string | Segment[];

export interface BoxTableOptions {
  widths: number[];
  head: string[];
  headStyle?: (text: string) => string;
  borderStyle?: (text: string) => string;
}

const plain = (text: string) => text;

export function renderBoxTable(rows: Cell[][], options: BoxTableOptions): string {
  const { widths } = options;
  const border = options.borderStyle ?? plain;
  const headStyle = options.headStyle ?? plain;
  const rule = (left: string, middle: string, right: string) => border(left + widths.map((width) => '─'.repeat(width)).join(middle) + right);
  const renderRow = (cells: Cell[]) => {
    const columns = cells.map((cell, index) => cellLines(cell, widths[index] - 2));
    const height = Math.max(...columns.map((lines) => lines.length));
    const out: string[] = [];
    for (let line = 0; line < height; line++) {
      const parts = columns.map((lines, index) => {
        const { text, style } = lines[line] ?? { text: '', style: plain };
        return ` ${style(text)}${' '.repeat(Math.max(0, widths[index] - 2 - text.length))} `;
      });
      out.push(border('│') + parts.join(border('│')) + border('│'));
    }
    return out.join('\n');
  };
  const lines = [rule('┌', '┬', '┐'), renderRow(options.head.map((text) => [{ text, style: headStyle }]))];
  for (const row of rows) lines.push(rule('├', '┼', '┤'), renderRow(row));
  lines.push(rule('└', '┴', '┘'));
  return lines.join('\n');
}

function cellLines(cell: Cell, width: number): Array<{ text: string; style: (line: string) => string }> {
  const segments = typeof cell === 'string' ? [{ text: cell }] : cell;
  return segments.flatMap(({ text, style = plain }) => wrapText(text, width).map((line) => ({ text: line, style })));
}

/** Wrap at spaces; a word longer than the width (a path, a label key) breaks after `/`, then `.`, then anywhere. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let current = '';
    for (const word of paragraph.split(/ +/)) {
      if (word.length > width) {
        if (current) out.push(current);
        const pieces = breakWord(word, width);
        out.push(...pieces.slice(0, -1));
        current = pieces[pieces.length - 1];
      } else if (!current) current = word;
      else if (current.length + 1 + word.length <= width) current += ` ${word}`;
      else {
        out.push(current);
        current = word;
      }
    }
    out.push(current);
  }
  return out;
}

function breakWord(word: string, width: number): string[] {
  const pieces = word.split(/(?<=\/)/).flatMap((part) => (part.length > width ? part.split(/(?<=\.)/) : [part]));
  const lines: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current.length + piece.length > width && current) {
      lines.push(current);
      current = '';
    }
    current += piece;
    while (current.length > width) {
      lines.push(current.slice(0, width));
      current = current.slice(width);
    }
  }
  if (current) lines.push(current);
  return lines;
}
