import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlbParser } from '../../src/logs/formats/alb.js';
import { HaproxyParser } from '../../src/logs/formats/haproxy.js';
import { JsonParser } from '../../src/logs/formats/json.js';
import { NGINX_COMBINED, NginxParser, compileNginxFormat } from '../../src/logs/formats/nginx.js';
import { newRecord, resetRecord } from '../../src/logs/formats/parser.js';
import { CredentialReader } from '../../src/logs/read-credentials.js';

describe('parsers on arbitrary lines', () => {
  it('never throw: a line parses or gives a reason', () => {
    const credentials = new CredentialReader();
    const parsers = [
      new NginxParser(compileNginxFormat(`${NGINX_COMBINED} "$http_cookie" "$http_authorization" $upstream_addr`), credentials),
      new HaproxyParser(credentials),
      new AlbParser(),
      new JsonParser(credentials),
    ];
    const record = newRecord('x');
    const pieces = fc.constantFrom(' ', '"', '[', ']', '{', '}', '|', '/', ':', '-', '=', ';', 'Bearer eyJ', '.', '10.0.0.1:80', '28/Nov/2026:10:00:00 +0000', 'GET / HTTP/1.1', '200', 'http', '2026-11-28T10:00:00Z', '{"a":1}');
    const lines = fc.oneof(fc.string(), fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(lines, (line) => {
        for (const parser of parsers) {
          resetRecord(record, 1);
          const result = parser.parse(line, record);
          expect(result === null || typeof result === 'string').toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
