/**
 * `kid` is attacker-controlled input to the verifier's key lookup: a file path (`fs.readFileSync(kid)`),
 * a SQL query (`SELECT key FROM keys WHERE id = '${kid}'`), a shell command, a cache key. Key ids that
 * real issuers use are base64url thumbprints, UUIDs, hex, dates, short names and URLs or DIDs
 * (`https://issuer/keys#1`, `did:web:x#key-1`): none of them need what this looks for.
 */

export interface KidProblem {
  kind: 'not-a-string' | 'path-traversal' | 'control-character' | 'quote' | 'sql' | 'shell';
  what: string;
}

const TRAVERSAL = /(?:^|[\\/])\.\.(?:[\\/]|$)|%2e%2e|\.\.%2f|\.\.%5c/i;
const SYSTEM_PATH = /^(?:\/(?:dev|etc|proc|sys|tmp|var|usr|root|home|bin|opt)(?:\/|$)|[a-z]:\\|\\\\|file:)/i;
const CONTROL = /[\u0000-\u001f\u007f]|%00|%0a|%0d/i;
const QUOTE = /['"`]/;
const SQL = [
  /(?:^|[\s'")])--(?:\s|$)/, // a line comment after a quote or a space (base64url kids may contain "--")
  /\/\*/,
  /;/,
  /\bunion\b[\s\S]*\bselect\b/i,
  /\b(?:or|and)\b\s+[\w'"]+\s*(?:=|like\b)/i,
  /\b(?:sleep|benchmark|pg_sleep)\s*\(|\bwaitfor\s+delay\b/i,
  /\b(?:select|insert|update|delete|drop)\b\s+[\s\S]*\b(?:from|into|table|set)\b/i,
];
const SHELL = /\$\(|\$\{|[`|&<>]/;

/** What makes this kid look like an injection attempt; empty for a plain key id. */
export function kidProblems(kid: unknown): KidProblem[] {
  if (kid === undefined) return [];
  if (typeof kid !== 'string') {
    return [{ kind: 'not-a-string', what: `kid is ${kid === null ? 'null' : Array.isArray(kid) ? 'an array' : `a ${typeof kid}`}, not a string (type confusion in the key lookup)` }];
  }
  const problems: KidProblem[] = [];
  if (TRAVERSAL.test(kid) || SYSTEM_PATH.test(kid)) problems.push({ kind: 'path-traversal', what: 'a file path or path traversal' });
  if (CONTROL.test(kid)) problems.push({ kind: 'control-character', what: 'a NUL, newline or other control character' });
  if (QUOTE.test(kid)) problems.push({ kind: 'quote', what: 'a quote' });
  if (SQL.some((pattern) => pattern.test(kid))) problems.push({ kind: 'sql', what: 'SQL syntax' });
  if (SHELL.test(kid)) problems.push({ kind: 'shell', what: 'shell metacharacters' });
  return problems;
}
