/**
 * Secrets that come from READMEs, tutorials and generators rather than from a key generator: a
 * session signed with one of these can be forged by anyone who has read the same page. Shared by
 * every app-settings reader so they agree on what counts as a sample.
 *
 * Compared after `normalizeSecret`: lower case, runs of space, `-` and `_` as one space, trimmed;
 * so 'change-me', 'CHANGE_ME' and 'change me' are one entry.
 */
export const SAMPLE_SECRETS: readonly string[] = [
  // express-session, cookie-session and connect-redis READMEs.
  'keyboard cat',
  // Generic placeholders.
  'secret', 'secrets', 'secret key', 'secretkey', 'session secret', 'sessionsecret', 'session key',
  'changeme', 'change me', 'change this', 'changethis', 'change it', 'replace me', 'replaceme',
  'your secret', 'yoursecret', 'your secret key', 'mysecret', 'my secret', 'my secret key', 'mysecretkey',
  'super secret', 'supersecret', 'super secret key', 'supersecretkey', 'top secret', 'topsecret',
  'some secret', 'somesecret', 'a secret', 'not a secret', 'notasecret', 'not secret',
  'shh', 'shhh', 'shhhh', 'shhhhh', 'password', 'passw0rd', 'default', 'example', 'sample',
  'test', 'testing', 'dev', 'development', 'debug', 'insecure', 'todo', 'xxx', 'xxxx', 'foo', 'bar', 'foobar',
  'abc123', '123456', '12345678', 'secret123', 'qwerty', 'cat', 'cookie secret', 'cookiesecret',
  // Flask: the Mega-Tutorial, Grinberg's book, and the old quickstart's example key.
  'you will never guess', 'hard to guess string', 'hard to guess', 'A0Zr98j/3yX R~XHH!jmN]LWX/,?RT', '_5#y2L"F4Q8z\n\xec]/',
  // gorilla/sessions README and examples.
  'something-very-secret', 'secret-key', 'super-secret-key', 'very-secret', 'very secret',
];

/** Placeholders that start a longer sample: 'your-secret-key-here', 'change-me-in-production', 'django-insecure-...'. */
export const SAMPLE_SECRET_PREFIXES: readonly string[] = [
  'change me', 'changeme', 'change this', 'replace me', 'replace this', 'your secret', 'your session secret',
  'insecure', 'django insecure', 'dev secret', 'development secret', 'test secret', 'not a secret', 'put your',
];

export function normalizeSecret(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, ' ').trim();
}

const SAMPLES = new Set(SAMPLE_SECRETS.map(normalizeSecret));
const PREFIXES = SAMPLE_SECRET_PREFIXES.map(normalizeSecret);

/** Is this literal secret a well-known sample (or empty)? */
export function isSampleSecret(text: string): boolean {
  const normalized = normalizeSecret(text);
  if (normalized === '') return true;
  return SAMPLES.has(normalized) || PREFIXES.some((prefix) => normalized.startsWith(prefix));
}
