import type { Setting } from '../model/index.js';
import { defineRule } from './types.js';

const how = (setting: Setting<boolean>) => (setting.location ? 'set to false' : 'off by default');

export default defineRule({
  id: 'session-cookie-insecure',
  category: 'cookie',
  severity: 'medium',
  appliesTo: ['session-config'],
  docs: {
    summary: 'The session cookie may travel over plain HTTP, or scripts on the page can read it.',
    rationale:
      'Without the Secure flag the browser sends the session cookie over any plain-HTTP request to the site, where ' +
      'anyone on the path can copy it and become the user. Without HttpOnly, any injected script can read it. Several ' +
      'frameworks default to neither being safe (express-session: secure false; PHP: both off; Django: secure False).',
    fix:
      'Set the cookie\'s secure flag (express-session cookie.secure, SESSION_COOKIE_SECURE = True, ' +
      'session.cookie_secure = 1, server.servlet.session.cookie.secure=true, CookieSecurePolicy.Always) and keep ' +
      'httpOnly on. Behind a TLS-terminating proxy, tell the app it is behind HTTPS (trust proxy) rather than turning the flag off.',
  },
  check(config, ctx) {
    const problems: string[] = [];
    const { secure, httpOnly } = config.cookie;
    if (secure && secure.value === false) problems.push(`Secure is ${how(secure)}`);
    if (httpOnly && httpOnly.value === false) problems.push(`HttpOnly is ${how(httpOnly)}`);
    if (problems.length === 0) return;
    // Point at the line that turns the flag off when there is one; the session setup otherwise.
    const explicit = [secure, httpOnly].find((setting) => setting?.value === false && setting.location);
    ctx.report({
      node: explicit?.location ? { ...config, location: explicit.location, evidence: explicit.evidence ?? config.evidence } : config,
      message: `${config.frameworkName} session cookie: ${problems.join('; ')}`,
    });
  },
});
