/**
 * Source text of C-like languages (C#, Groovy, Kotlin) made safe for pattern matching: comments are
 * blanked out with spaces (newlines kept, so offsets, lines and columns stay the same) while string
 * literals are kept, because their contents (hosts, cookie names) are what we read. A commented-out
 * `// services.AddSession();` then simply does not match.
 */

export interface CodeDialect {
  /** C# `@"..."` verbatim strings: backslash is literal, `""` is a quote. */
  verbatimStrings?: boolean;
  /** `'...'` as a string (Groovy) or a char literal (C#, Kotlin): either way skipped whole. */
  singleQuotes?: boolean;
  /** `"""..."""` (C# 11 raw, Kotlin, Groovy) and, with singleQuotes, `'''...'''` (Groovy). */
  tripleQuotes?: boolean;
}

export const CSHARP: CodeDialect = { verbatimStrings: true, singleQuotes: true, tripleQuotes: true };
export const GROOVY_OR_KOTLIN: CodeDialect = { singleQuotes: true, tripleQuotes: true };

/**
 * The text with every `//` and `/* *\/` comment replaced by spaces; with `strings`, the contents of
 * string literals too (quotes kept), for finding calls without matching `"AddSession()"` in a string.
 */
export function blankComments(text: string, dialect: CodeDialect, options: { strings?: boolean } = {}): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let i = from; i < to && i < out.length; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    const next = text[i + 1];
    if (char === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (char === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (char === '"' || (char === "'" && dialect.singleQuotes)) {
      const end = stringEnd(text, i, dialect);
      if (options.strings) blank(i + 1, end - 1);
      i = end;
    } else if ((char === '@' && next === '"') || ((char === '$' || char === '@') && (next === '@' || next === '$') && text[i + 2] === '"')) {
      if (!dialect.verbatimStrings) {
        i++;
        continue;
      }
      const quote = next === '"' ? i + 1 : i + 2; // @"...", $@"..." and @$"..."
      const end = verbatimEnd(text, quote);
      if (options.strings) blank(quote + 1, end - 1);
      i = end;
    } else {
      i++;
    }
  }
  return out.join('');
}

/** Offset just past the string literal that opens at `start` (a quote character). */
export function stringEnd(text: string, start: number, dialect: CodeDialect): number {
  const quote = text[start];
  if (dialect.tripleQuotes && text.startsWith(quote.repeat(3), start)) {
    const end = text.indexOf(quote.repeat(3), start + 3);
    return end < 0 ? text.length : end + 3;
  }
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '\\') i += 2;
    else if (char === quote) return i + 1;
    else if (char === '\n') return i; // an unterminated literal ends at the line, as compilers report it
    else i++;
  }
  return text.length;
}

function verbatimEnd(text: string, quoteAt: number): number {
  let i = quoteAt + 1;
  while (i < text.length) {
    if (text[i] === '"') {
      if (text[i + 1] === '"') i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/**
 * The offset of the bracket closing the one at `open` (`(`, `{` or `[`), skipping string literals;
 * -1 when it is never closed. Expects comments already blanked.
 */
export function matchingClose(text: string, open: number, dialect: CodeDialect): number {
  const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  const stack: string[] = [];
  let i = open;
  while (i < text.length) {
    const char = text[i];
    if (char === '"' || (char === "'" && dialect.singleQuotes)) {
      i = stringEnd(text, i, dialect);
      continue;
    }
    if (char === '@' && text[i + 1] === '"' && dialect.verbatimStrings) {
      i = verbatimEnd(text, i + 1);
      continue;
    }
    if (pairs[char]) stack.push(pairs[char]);
    else if (char === ')' || char === '}' || char === ']') {
      if (stack.pop() !== char) return -1;
      if (stack.length === 0) return i;
    }
    i++;
  }
  return -1;
}

/** 1-based line and column of text offsets, by binary search over line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }

  at(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }
}
