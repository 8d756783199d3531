import { ParseError } from '../../errors.js';
import { LineIndex } from './code-text.js';

/**
 * A small XML reader that keeps the line of every element, for build files such as pom.xml. No
 * dependency in package.json parses XML with positions, and build files use a plain subset of XML
 * (no entities beyond the predefined five, no namespaces that matter), so a ~150-line scanner is the
 * lighter choice. It is tolerant where Maven is (a DOCTYPE, processing instructions) and strict where
 * Maven is not: an unclosed or mismatched element throws ParseError at its line.
 */
export interface XmlElement {
  name: string;
  line: number;
  column: number;
  children: XmlElement[];
  /** The element's own text (not its children's), entities decoded, trimmed. */
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole; // out of range: keep the text
    }
    return ENTITIES[name] ?? whole;
  });
}

/** The document's root element. Throws ParseError for XML that Maven would reject as not well-formed. */
export function parseXml(file: string, text: string): XmlElement {
  const index = new LineIndex(text);
  const fail = (message: string, offset: number): never => {
    const at = index.at(offset);
    throw new ParseError(`invalid XML: ${message}`, file, at.line, at.column);
  };
  const stack: Array<{ element: XmlElement; offset: number; text: string[] }> = [];
  let root: XmlElement | undefined;
  let i = 0;

  const skipTo = (terminator: string, from: number, what: string): number => {
    const end = text.indexOf(terminator, from);
    if (end < 0) fail(`${what} is never closed`, from);
    return end + terminator.length;
  };

  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (chunk.trim() !== '') {
      const top = stack[stack.length - 1];
      if (!top) fail(`text "${chunk.trim().slice(0, 20)}" outside the root element`, i + chunk.search(/\S/));
      else top.text.push(decode(chunk));
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      i = skipTo('-->', i, 'comment');
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = skipTo(']]>', i, 'CDATA section');
      stack[stack.length - 1]?.text.push(text.slice(i + 9, end - 3));
      i = end;
    } else if (text.startsWith('<?', i)) {
      i = skipTo('?>', i, 'processing instruction');
    } else if (text.startsWith('<!', i)) {
      // DOCTYPE, possibly with an internal subset in [...]: skip to the '>' outside brackets.
      let depth = 0;
      let j = i + 2;
      for (; j < text.length; j++) {
        if (text[j] === '[') depth++;
        else if (text[j] === ']') depth--;
        else if (text[j] === '>' && depth <= 0) break;
      }
      if (j >= text.length) fail('declaration is never closed', i);
      i = j + 1;
    } else if (text[i + 1] === '/') {
      const match = /^<\/([^\s>]+)\s*>/.exec(text.slice(i, i + 300));
      if (!match) fail('malformed end tag', i);
      const open = stack.pop();
      if (!open) fail(`unexpected </${match![1]}>`, i);
      if (open!.element.name !== match![1]) {
        fail(`</${match![1]}> does not close <${open!.element.name}> (line ${open!.element.line})`, i);
      }
      open!.element.text = open!.text.join('').trim();
      i += match![0].length;
    } else {
      const name = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 300))?.[1];
      if (!name) fail('"<" that starts no tag', i);
      const at = index.at(i);
      const element: XmlElement = { name: name!, line: at.line, column: at.column, children: [], text: '' };
      const end = tagEnd(text, i + 1 + name!.length, fail);
      const parent = stack[stack.length - 1];
      if (parent) parent.element.children.push(element);
      else if (root) fail(`second root element <${name}>`, i);
      else root = element;
      if (!end.selfClosing) stack.push({ element, offset: i, text: [] });
      i = end.offset;
    }
  }
  const unclosed = stack.pop();
  if (unclosed) fail(`<${unclosed.element.name}> is never closed`, unclosed.offset);
  if (!root) fail('no root element', 0);
  return root!;
}

/** Past the attributes of a start tag: the offset after `>` or `/>`. Attribute values must be quoted. */
function tagEnd(text: string, from: number, fail: (message: string, offset: number) => never): { offset: number; selfClosing: boolean } {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) fail('start tag is never closed', from);
    if (text[i] === '>') return { offset: i + 1, selfClosing: false };
    if (text.startsWith('/>', i)) return { offset: i + 2, selfClosing: true };
    const attribute = /^[^\s=/>]+\s*=\s*/.exec(text.slice(i, i + 300));
    if (!attribute) fail('malformed attribute', i);
    i += attribute![0].length;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") fail('attribute value is not quoted', i);
    const close = text.indexOf(quote, i + 1);
    if (close < 0) fail('attribute value is never closed', i);
    i = close + 1;
  }
}

/** Child elements with this name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The text of the first child with this name, or undefined. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((child) => child.name === name)?.text;
}
