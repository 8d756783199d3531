/**
 * A source line with each quoted string cut to its first three characters (`'keyb…'`): a finding
 * may show the line that holds a secret, but must not spread the secret further.
 */
export function maskQuoted(line: string): string {
  return line.replace(/(["'`])((?:(?!\1).){3})(?:(?!\1).)*\1/g, (_all, quote: string, head: string) => `${quote}${head}…${quote}`);
}

/** The evidence of a session config, masked when the secret sits on that same line. */
export function shownEvidence(config: { evidence: string; location: { file: string; line: number }; secret?: { location: { file: string; line: number } } }): string {
  const { secret, location } = config;
  return secret && secret.location.file === location.file && secret.location.line === location.line ? maskQuoted(config.evidence) : config.evidence;
}
