/**
 * Session ids are bearer credentials: for phpredis, Django or Flask-Session the id in the key is the
 * cookie value itself. Example keys keep their shape and the id's first 4 characters, enough to find
 * the key again with a SCAN MATCH, not enough to log in with.
 */
export function maskKey(key: string): string {
  return key.replace(/([A-Za-z0-9+/=_-]{4})[A-Za-z0-9+/=_-]{6,}$/, '$1…');
}
