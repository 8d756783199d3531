import type { Affinity, AffinityCookie, AffinityMechanism, ConfigFormat } from '../model/index.js';
import type { ParseInput } from './types.js';

export interface AffinityFields {
  format: ConfigFormat;
  mechanism: AffinityMechanism;
  pool: string;
  detail: string;
  cookie?: AffinityCookie;
  ignoredRules?: string[];
  /** Defaults to the trimmed source line at `at.line`; pass it to show more (a continued directive) or less (a masked secret). */
  evidence?: string;
}

/**
 * The one way a parser builds an Affinity: located at `at` in `input` (the file the directive was read from,
 * which for an included file is not the file the scan started at).
 */
export function affinityAt(input: ParseInput, at: { line: number; column: number }, fields: AffinityFields): Affinity {
  const affinity: Affinity = {
    kind: 'affinity',
    format: fields.format,
    mechanism: fields.mechanism,
    pool: fields.pool,
    detail: fields.detail,
    location: { file: input.file, line: at.line, column: at.column },
    evidence: fields.evidence ?? (input.lines()[at.line - 1] ?? '').trim(),
  };
  if (fields.cookie) affinity.cookie = definedOnly(fields.cookie);
  if (fields.ignoredRules && fields.ignoredRules.length > 0) affinity.ignoredRules = [...fields.ignoredRules];
  return affinity;
}

/** A cookie lists only what is known: fields left undefined are dropped, so reports and test expectations stay exact. */
function definedOnly(cookie: AffinityCookie): AffinityCookie {
  const out: AffinityCookie = {};
  for (const [key, value] of Object.entries(cookie) as Array<[keyof AffinityCookie, unknown]>) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
