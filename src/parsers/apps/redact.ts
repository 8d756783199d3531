/**
 * Evidence lines are printed in reports, and config lines that name a store often carry its password
 * (`spring.data.redis.url=redis://:pw@redis:6379`, `Configuration = "redis:6379,password=pw"`).
 * Secrets never reach output (DESIGN.md), so every evidence line an app reader keeps goes through here.
 */

/**
 * scheme://user:password@host -> scheme://user@host; greedy up to the last "@" of the token, since a
 * password may hold an unencoded "@". The source readers (node, flask, gorilla) apply this alone: their
 * secret literals are masked where findings show them (maskQuoted), and their lines are code.
 */
export function redactUrlCredentials(line: string): string {
  return line.replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s"'`<>]*)@/gi, (_, scheme: string, userinfo: string) => {
    const user = userinfo.split(':')[0];
    return user ? `${scheme}${user}@` : scheme;
  });
}

/** The line with URL passwords removed and `password=...`-style options masked. */
export function redactSecrets(line: string): string {
  return (
    redactUrlCredentials(line)
      // password=..., Password = "...", password: ... in connection strings, code and YAML, up to , ; & or a quote.
      .replace(/\b(password|pwd|pass|secret|access[_-]?key|accountkey)(\s*[=:]\s*["']?)[^,;&"'`\s]+/gi, '$1$2***')
  );
}

/**
 * redactSecrets, plus phpredis's `?auth=secret` and `?auth[]=user&auth[]=secret`: the redaction the
 * php, laravel, django and rails readers apply (setting-at.ts). The aspnet and spring readers apply
 * redactSecrets alone.
 */
export function redactCredentials(text: string): string {
  return redactSecrets(text).replace(/((?:^|[?&\s;,])auth(?:\[\])?=)[^&\s'";,]*/gi, '$1***');
}

/** Show a secret's line without the secret: the value is replaced, a well-known sample stays readable. */
export function maskSecretIn(evidence: string, secret: string, keepPrefix = ''): string {
  if (secret === '') return evidence;
  return evidence.split(secret).join(`${keepPrefix}***`);
}
