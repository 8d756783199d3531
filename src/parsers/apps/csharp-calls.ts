import { CSHARP, LineIndex, matchingClose, stringEnd } from './code-text.js';

/**
 * Method calls and option assignments in C# source whose comments are already blanked
 * (blankComments(text, CSHARP)). Pattern matching, not parsing: enough for the registration calls
 * of Program.cs / Startup.cs, which are written in a handful of well-known shapes.
 */

/** One call: where its name is, and the text between its parentheses (the options lambda). */
export interface CallSite {
  name: string;
  offset: number;
  line: number;
  column: number;
  /** The arguments' text and its offset in the code; '' for a call whose parentheses never close. */
  args: string;
  argsOffset: number;
}

/**
 * Calls of a method whose name matches `name` (a regex source without anchors), with optional generic
 * arguments. Calls are found in `skeleton` (comments and string contents blanked, so a string that
 * mentions a call is no call); their arguments are read from `code` (comments blanked, strings kept).
 */
export function findCalls(code: string, skeleton: string, lines: LineIndex, name: string): CallSite[] {
  const pattern = new RegExp(String.raw`(?<![\w$])(${name})\s*(?:<[^<>()]*(?:<[^<>()]*>[^<>()]*)*>)?\s*\(`, 'g');
  const calls: CallSite[] = [];
  for (const match of skeleton.matchAll(pattern)) {
    const open = match.index + match[0].length - 1;
    const close = matchingClose(skeleton, open, CSHARP);
    calls.push({
      name: match[1],
      offset: match.index,
      ...lines.at(match.index),
      args: close < 0 ? '' : code.slice(open + 1, close),
      argsOffset: open + 1,
    });
  }
  return calls;
}

/** `<target> = <expression>` inside some text: the expression's text and the assignment's offset. */
export interface Assignment {
  expression: string;
  offset: number;
}

/**
 * The last assignment to a property (`options.Cookie.SecurePolicy = ...`, or `SecurePolicy = ...` in an
 * object initializer) in `text`; the last one wins at run time too. `property` is a regex source that
 * matches the name, optionally with its owner (`(?:Cookie\.)?HttpOnly`).
 */
export function lastAssignment(text: string, property: string, baseOffset: number): Assignment | undefined {
  const pattern = new RegExp(String.raw`(?<![\w$])${property}\s*=(?![=>])\s*`, 'g');
  let found: Assignment | undefined;
  for (const match of text.matchAll(pattern)) {
    const start = match.index + match[0].length;
    found = { expression: expressionAt(text, start), offset: baseOffset + match.index };
  }
  return found;
}

/** The expression starting at `start`: up to `;`, `,`, `}` or `)` outside brackets, or the line end. */
function expressionAt(text: string, start: number): string {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const char = text[i];
    if (char === '"' || char === "'") {
      i = stringEnd(text, i, CSHARP);
      continue;
    }
    if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') {
      if (depth === 0) break;
      depth--;
    } else if ((char === ';' || char === ',' || char === '\n') && depth === 0) break;
    i++;
  }
  return text.slice(start, i).trim();
}

/** The value of a C# string literal expression (`"x"`, `@"x"`); undefined for anything computed. */
export function stringLiteral(expression: string): string | undefined {
  const regular = /^"((?:[^"\\\n]|\\.)*)"$/.exec(expression.trim());
  if (regular) return regular[1].replace(/\\(.)/g, '$1');
  const verbatim = /^@"((?:[^"]|"")*)"$/.exec(expression.trim());
  if (verbatim) return verbatim[1].replace(/""/g, '"');
  return undefined;
}

/** Every string literal in a piece of code, in order. */
export function stringLiterals(text: string): string[] {
  return [...text.matchAll(/@"((?:[^"]|"")*)"|"((?:[^"\\\n]|\\.)*)"/g)].map((match) =>
    match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2].replace(/\\(.)/g, '$1'),
  );
}
