import { jsonEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

/** Header parameters defined by RFC 7515/7516/7518: RFC 7515 §4.1.11 forbids listing them in crit. */
const REGISTERED = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit', 'enc', 'zip', 'epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c']);

/** Extensions this tool knows: b64 (RFC 7797, unencoded payload) and the UK Open Banking signature headers. */
const KNOWN_EXTENSIONS = new Set(['b64', 'http://openbanking.org.uk/iat', 'http://openbanking.org.uk/iss', 'http://openbanking.org.uk/tan']);

export default defineRule({
  id: 'jwt-crit-unknown',
  category: 'token',
  severity: 'medium',
  appliesTo: ['token'],
  docs: {
    summary: 'The crit header is malformed, or lists extensions this tool (and likely your verifiers) do not know.',
    rationale:
      'crit (RFC 7515 §4.1.11) names header extensions that change how the token must be processed; a recipient ' +
      'that does not understand one MUST reject the token. Many JWT libraries ignore crit altogether, so the same ' +
      'token is refused by one service and accepted with different meaning by another: in a distributed system that ' +
      'means inconsistent authorisation. A malformed crit (not an array, empty, duplicates, registered names such as ' +
      'alg, names absent from the header), or a b64 header not listed in crit (RFC 7797 §6), is a token no conforming ' +
      'verifier should accept, and a probe for those that do.',
    fix:
      'Issue crit only for extensions every verifier implements, make verifiers that support crit list what they ' +
      'understand (jose: the crit option), and reject tokens whose crit they cannot honour.',
  },
  check(token, ctx) {
    const { header } = token;
    const crit = header.crit;
    const problems: string[] = [];
    if (crit === undefined) {
      if (header.b64 !== undefined) problems.push('b64 is set but not listed in crit (RFC 7797 §6 requires it)');
    } else if (!Array.isArray(crit)) {
      problems.push(`crit is ${crit === null ? 'null' : `a ${typeof crit}`}, not an array of header names`);
    } else if (crit.length === 0) {
      problems.push('crit is an empty array, which RFC 7515 §4.1.11 forbids');
    } else {
      const names = crit.filter((name): name is string => typeof name === 'string');
      if (names.length !== crit.length) problems.push('crit has entries that are not strings');
      const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
      if (duplicates.length > 0) problems.push(`crit lists ${[...new Set(duplicates)].join(', ')} more than once`);
      const registered = names.filter((name) => REGISTERED.has(name));
      if (registered.length > 0) problems.push(`crit lists registered header${registered.length === 1 ? '' : 's'} ${registered.join(', ')}, which RFC 7515 §4.1.11 forbids`);
      const absent = names.filter((name) => !REGISTERED.has(name) && !(name in header));
      if (absent.length > 0) problems.push(`crit lists ${absent.join(', ')}, absent from the header`);
      const unknown = names.filter((name) => !REGISTERED.has(name) && name in header && !KNOWN_EXTENSIONS.has(name));
      if (unknown.length > 0) problems.push(`crit requires extension${unknown.length === 1 ? '' : 's'} ${unknown.map((name) => JSON.stringify(name)).join(', ')} that this tool does not know: verifiers must reject the token unless they implement ${unknown.length === 1 ? 'it' : 'them'}, and libraries that ignore crit accept it with a different meaning`);
    }
    if (problems.length === 0) return;
    ctx.report({ node: token, message: problems.join('; '), evidence: crit === undefined ? jsonEvidence('b64', header.b64) : jsonEvidence('crit', crit) });
  },
});
