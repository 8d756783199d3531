/**
 * Session ids and token claims out of logged credentials (Cookie header, one cookie, Authorization),
 * shared by every format. Token text is decoded for jti/sub and dropped; no credential is kept except
 * the session id the analysis groups by.
 */
import type { LogRecord } from './record.js';
import { cookieValue, forEachCookie } from './read-cookies.js';
import { TokenClaimsCache } from './read-token.js';

/** Session cookies of common frameworks, used when --session-cookie is not given. */
export const DEFAULT_SESSION_COOKIES = [
  'connect.sid', 'JSESSIONID', 'PHPSESSID', 'sessionid', 'session', 'session_id', '_session_id', 'laravel_session', 'ASP.NET_SessionId', 'SESSION', 'sid',
];

export class CredentialReader {
  private readonly tokens = new TokenClaimsCache();
  private readonly defaults: Set<string> | null;
  private readonly sessionCookieLower: string;
  private readonly verdicts = new Map<string, boolean>();

  constructor(private readonly sessionCookie?: string) {
    this.defaults = sessionCookie ? null : new Set(DEFAULT_SESSION_COOKIES);
    this.sessionCookieLower = sessionCookie?.toLowerCase() ?? '';
  }

  /**
   * Whether a cookie named in the log format ($cookie_NAME, a captured cookie) is the session cookie:
   * the one given, or a common one when none was given. Case-insensitive, as nginx matches $cookie_NAME.
   */
  isSessionCookie(name: string): boolean {
    let verdict = this.verdicts.get(name);
    if (verdict === undefined) {
      const lower = name.toLowerCase();
      verdict = this.sessionCookie ? lower === this.sessionCookieLower : [...this.defaults!].some((known) => known.toLowerCase() === lower);
      // Names come from a log format or a captured-cookie field: few distinct ones, but bound it anyway.
      if (this.verdicts.size > 256) this.verdicts.clear();
      this.verdicts.set(name, verdict);
    }
    return verdict;
  }

  /** A logged Cookie header: the session cookie's value, and the claims of a JWT in any cookie. */
  cookieHeader(header: string, record: LogRecord): void {
    if (header === '' || header === '-') return;
    if (this.sessionCookie) {
      const value = cookieValue(header, this.sessionCookie);
      if (value !== undefined) this.session(value, record);
    } else {
      forEachCookie(header, (name, value) => {
        if (!this.defaults!.has(name)) return false;
        this.session(value, record);
        return true;
      });
    }
    // A JWT kept in a cookie (access_token=eyJ...): JOSE headers are JSON objects, so base64url "eyJ".
    if (record.jti === undefined && record.sub === undefined) {
      const at = header.indexOf('eyJ');
      if (at >= 0) {
        let end = header.indexOf(';', at);
        if (end < 0) end = header.length;
        this.token(header.slice(at, end).trim(), record);
      }
    }
  }

  /** One cookie (nginx $cookie_NAME, HAProxy's captured "NAME=value"). */
  cookie(name: string, value: string, record: LogRecord): void {
    if (value === '' || value === '-') return;
    if (this.isSessionCookie(name)) this.session(value, record);
    else if (value.startsWith('eyJ')) this.token(value, record);
  }

  /** A logged Authorization header: "Bearer <jwt>" gives jti/sub; Basic and opaque tokens give nothing. */
  authorization(header: string, record: LogRecord): void {
    if (header.length < 10) return;
    const space = header.indexOf(' ');
    this.token(space >= 0 ? header.slice(space + 1).trim() : header, record);
  }

  /** A value that may be a JWT: sets jti/sub when it is one; returns whether it was. */
  token(text: string, record: LogRecord): boolean {
    const claims = this.tokens.claims(text);
    if (!claims) return false;
    if (claims.jti !== undefined) record.jti = claims.jti;
    if (claims.sub !== undefined) record.sub = claims.sub;
    return true;
  }

  /** A session value; a stateless session (a JWT in the cookie) is named by its sid/jti claim, never by the token. */
  session(value: string, record: LogRecord): void {
    if (value === '' || value === '-') return;
    if (value.startsWith('eyJ')) {
      const claims = this.tokens.claims(value);
      if (claims) {
        if (claims.jti !== undefined) record.jti = claims.jti;
        if (claims.sub !== undefined) record.sub = claims.sub;
        record.session = claims.sid ?? claims.jti;
        return;
      }
    }
    record.session = unsign(value);
  }
}

/**
 * express-session signs its cookie as "s:<id>.<signature>" (URL-encoded "s%3A..."); the application
 * logs the bare <id>: strip the wrapping so proxy and application lines name a session alike.
 */
function unsign(value: string): string {
  const prefix = value.startsWith('s%3A') ? 4 : value.startsWith('s:') ? 2 : 0;
  if (prefix === 0) return value;
  const dot = value.lastIndexOf('.');
  return dot > prefix ? value.slice(prefix, dot) : value;
}
