import { defineRule } from './types.js';

/** RFC 6265 §6.1: browsers must support at least 4096 bytes per cookie (name, value and attributes). */
export const COOKIE_LIMIT = 4096;
/** nginx large_client_header_buffers (8k per header line), Apache LimitRequestFieldSize (8190). */
export const HEADER_LIMIT = 8190;

export default defineRule({
  id: 'jwt-oversized',
  category: 'token',
  severity: 'medium',
  appliesTo: ['token'],
  docs: {
    summary: 'The token is over 4096 bytes (does not fit a cookie) or over 8 KB (rejected by common proxies\' header limits).',
    rationale:
      'Browsers only promise 4096 bytes per cookie (RFC 6265 §6.1), name and attributes included: a bigger token ' +
      'set as a cookie is silently dropped, which looks like a random logout. Past about 8 KB a single header line ' +
      'exceeds the defaults of nginx (large_client_header_buffers 8k: "400 Request Header Or Cookie Too Large"), ' +
      'Apache (LimitRequestFieldSize 8190) and other proxies, so requests fail before reaching the app, often only ' +
      'for the users with the most roles or groups. Large tokens also cost bandwidth on every request.',
    fix:
      'Keep tokens small: an opaque subject and a few scopes, not group lists, profiles or permissions (look those up ' +
      'server side, or use a reference token). If they cannot shrink, keep them out of cookies and raise the header ' +
      'limits of every proxy on the path consistently.',
  },
  check(token, ctx) {
    const size = token.raw.length;
    if (size > HEADER_LIMIT) {
      ctx.report({ node: token, severity: 'high', message: `${size} bytes: over the ~8 KB header line limit of common proxies (nginx 8k, Apache 8190): requests carrying it are rejected before the app` });
    } else if (size > COOKIE_LIMIT) {
      ctx.report({ node: token, message: `${size} bytes: over the 4096-byte cookie size browsers guarantee (RFC 6265 §6.1): as a cookie it is dropped` });
    }
  },
});
