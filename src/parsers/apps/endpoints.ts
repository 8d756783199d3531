/** `host:port`, `[::1]:6379` or `host` -> the host; undefined for an empty entry. */
export function hostOfEndpoint(endpoint: string): string | undefined {
  const text = endpoint.trim();
  if (text === '') return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return bracketed[1];
  const colons = text.split(':').length - 1;
  if (colons === 1) return text.slice(0, text.indexOf(':')) || undefined;
  return text; // a bare host, or an IPv6 address without brackets
}
