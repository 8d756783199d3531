import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../model/index.js';
import { RULES } from '../rules/index.js';
import type { Reporter } from './types.js';

// SARIF 2.1.0 as GitHub code scanning reads it:
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'warning',
  info: 'note',
};

/** GitHub maps security-severity to critical (> 9), high (7-8.9), medium (4-6.9) and low (0.1-3.9). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

const pascalCase = (id: string) => id.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());

/** Repo-relative paths stay relative to %SRCROOT%; a path outside the working directory becomes a file: URI. */
function artifactLocation(file: string) {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

export const sarifReporter: Reporter = (report) => {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'session-audit',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: 'https://www.npmjs.com/package/session-audit',
            rules: RULES.map((rule) => ({
              id: rule.id,
              name: pascalCase(rule.id),
              shortDescription: { text: rule.docs.summary },
              fullDescription: { text: rule.docs.rationale },
              help: {
                text: `${rule.docs.rationale}\n\nFix: ${rule.docs.fix}`,
                markdown: `${rule.docs.rationale}\n\n**Fix:** ${rule.docs.fix}\n\nRun \`session-audit explain ${rule.id}\` for more.`,
              },
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: {
                tags: ['security', rule.category],
                precision: 'high',
                'problem.severity': LEVEL[rule.severity] === 'note' ? 'recommendation' : LEVEL[rule.severity],
                'security-severity': SECURITY_SEVERITY[rule.severity],
              },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(process.cwd()).href}/` } },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map((problem) => ({
              level: 'error',
              message: { text: problem.message },
              ...(problem.file
                ? {
                    locations: [
                      {
                        physicalLocation: {
                          artifactLocation: artifactLocation(problem.file),
                          ...(problem.line ? { region: { startLine: problem.line, startColumn: problem.column ?? 1 } } : {}),
                        },
                      },
                    ],
                  }
                : {}),
            })),
          },
        ],
        results: report.findings.map((finding) => ({
          ruleId: finding.ruleId,
          ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
          level: LEVEL[finding.severity],
          message: { text: finding.message },
          locations: finding.file
            ? [
                {
                  physicalLocation: {
                    artifactLocation: artifactLocation(finding.file),
                    region: {
                      startLine: finding.line ?? 1,
                      startColumn: finding.column ?? 1,
                      ...(finding.evidence ? { snippet: { text: finding.evidence } } : {}),
                    },
                  },
                },
              ]
            : [],
          partialFingerprints: { 'sessionAudit/v1': finding.fingerprint },
          properties: { severity: finding.severity, category: finding.category, resource: finding.resource },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
};
