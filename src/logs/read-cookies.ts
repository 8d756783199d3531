/** Cookie values out of a logged Cookie header ("a=1; sid=abc"), without splitting the whole header. */

/** The value of cookie `name`, unquoted; undefined when the header does not carry it. */
export function cookieValue(header: string, name: string): string | undefined {
  const key = name + '=';
  for (let at = header.indexOf(key); at >= 0; at = header.indexOf(key, at + 1)) {
    // A real cookie boundary, not "xsid=" when looking for "sid=".
    const before = at === 0 ? 59 : header.charCodeAt(at - 1);
    if (before !== 59 && before !== 32 && before !== 9) continue;
    const start = at + key.length;
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    return unquote(header.slice(start, end).trim());
  }
  return undefined;
}

/** Each name=value pair of a Cookie header, in order; stops when `visit` returns true. */
export function forEachCookie(header: string, visit: (name: string, value: string) => boolean | void): void {
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    const equals = header.indexOf('=', start);
    if (equals > start && equals < end) {
      if (visit(header.slice(start, equals).trim(), unquote(header.slice(equals + 1, end).trim())) === true) return;
    }
    start = end + 1;
  }
}

function unquote(value: string): string {
  return value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34 ? value.slice(1, -1) : value;
}
