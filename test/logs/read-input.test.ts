import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../src/logs/read-lines.js';
import { collect, failure, fixture } from './read-helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-logs-'));
const combined = readFileSync(fixture('nginx/combined.log'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inputs', () => {
  it('gunzips by content, not by name', async () => {
    const gzipped = path.join(dir, 'access.log'); // no .gz
    writeFileSync(gzipped, gzipSync(combined));
    const plainNamedGz = path.join(dir, 'plain.log.gz');
    writeFileSync(plainNamedGz, combined);
    const { records, summary } = await collect([gzipped, plainNamedGz]);
    expect(summary.inputs.map((input) => [input.parsed, input.skipped])).toEqual([[5, 0], [5, 0]]);
    expect(records[0]).toMatchObject({ file: gzipped, line: 1, ip: '192.0.2.10' });
    expect(records[5]).toMatchObject({ file: plainNamedGz, line: 1 });
  });

  it('reads concatenated gzip members (rotated files catted together)', async () => {
    const file = path.join(dir, 'two.gz');
    writeFileSync(file, Buffer.concat([gzipSync(combined), gzipSync(combined)]));
    const { summary } = await collect([file]);
    expect(summary.inputs[0]).toMatchObject({ lines: 10, parsed: 10 });
  });

  it('reads "-" from a stream, however it is chunked', async () => {
    const stdin = new PassThrough();
    const text = readFileSync(fixture('haproxy/httplog.log'));
    (async () => {
      for (let index = 0; index < text.length; index += 7) {
        stdin.write(text.subarray(index, index + 7));
        await new Promise((resolve) => setImmediate(resolve));
      }
      stdin.end();
    })();
    const { records, summary } = await collect(['-'], {}, { stdin });
    expect(summary.inputs[0]).toMatchObject({ file: '-', format: 'haproxy', lines: 5, parsed: 4 });
    expect(records[0]).toMatchObject({ file: '-', line: 1, node: 'static/srv1' });
  });

  it('reads gzip from a stream too', async () => {
    const stdin = new PassThrough();
    stdin.end(gzipSync(combined));
    const { summary } = await collect(['-'], {}, { stdin });
    expect(summary.inputs[0]).toMatchObject({ parsed: 5 });
  });

  it('counts an over-long line as skipped and goes on', async () => {
    const file = path.join(dir, 'long.log');
    const lines = combined.toString().split('\n');
    const long = `${lines[0].slice(0, 60)}${'x'.repeat(MAX_LINE_BYTES + 10)}`;
    writeFileSync(file, [lines[0], long, lines[1], long].join('\n'));
    const { records, summary } = await collect([file]);
    expect(summary.inputs[0]).toMatchObject({ lines: 4, parsed: 2, skipped: 2, firstSkipped: { line: 2, reason: 'line longer than 128 KiB' } });
    expect(records.map((record) => record.line)).toEqual([1, 3]);
  });

  it('counts unparsable lines and keeps the first reason; blank lines are neither', async () => {
    const file = path.join(dir, 'mixed.log');
    writeFileSync(file, `${combined}\n\ngarbage here\n   \n`);
    const { summary } = await collect([file]);
    expect(summary.inputs[0]).toMatchObject({ lines: 9, parsed: 5, skipped: 1, firstSkipped: { line: 8 } });
  });

  it('reads an empty file as nothing', async () => {
    const file = path.join(dir, 'empty.log');
    writeFileSync(file, '');
    const { records, summary } = await collect([file]);
    expect(records).toEqual([]);
    expect(summary.inputs[0]).toMatchObject({ lines: 0, parsed: 0, skipped: 0 });
  });

  it('names the file and line of an input in no known format', async () => {
    const error = await failure(collect([fixture('nginx/combined.log'), fixture('bad/not-a-log.txt')]));
    expect(error.name).toBe('InputError');
    expect(error.text).toBe(`${fixture('bad/not-a-log.txt')}:1: not a log format session-audit reads (nginx/Apache combined, HAProxy httplog, ALB, JSON lines); give --log-format or --nginx-format`);
  });

  it('says which format was expected when --log-format does not fit', async () => {
    const error = await failure(collect([fixture('alb/alb.log')], { format: 'haproxy' }));
    expect(error.text).toMatch(/alb\.log:1: not in the HAProxy httplog format \(.+\); check --log-format$/);
  });

  it('reports a missing or unreadable file in one line', async () => {
    const missing = await failure(collect([path.join(dir, 'nope.log')]));
    expect(missing).toEqual({ name: 'InputError', text: `${path.join(dir, 'nope.log')}: cannot read: ENOENT: no such file or directory` });
    const directory = await failure(collect([dir]));
    expect(directory.text).toBe(`${dir}: cannot read: EISDIR: illegal operation on a directory`);
  });

  it('reports a corrupt gzip in one line', async () => {
    const file = path.join(dir, 'bad.gz');
    const zipped = gzipSync(Buffer.concat(Array.from({ length: 200 }, () => combined)));
    writeFileSync(file, Buffer.concat([zipped.subarray(0, 200), Buffer.alloc(200, 0x55)]));
    const error = await failure(collect([file]));
    expect(error.text).toMatch(/^.*bad\.gz: cannot read: not valid gzip \(.+\)$/);
  });

  it('rejects a bad --log-format or --session-cookie as usage errors', async () => {
    expect((await failure(collect([fixture('nginx/combined.log')], { format: 'iis' as never }))).name).toBe('UsageError');
    expect((await failure(collect([fixture('nginx/combined.log')], { sessionCookie: 'a b' }))).name).toBe('UsageError');
  });
});

describe('long lines across chunks', () => {
  it('refuses an endless input without newlines after a few over-long lines, never reading it to its end', async () => {
    const stdin = new PassThrough();
    const chunk = Buffer.alloc(65_536); // zeros, like /dev/zero: never a newline
    let writing = true;
    (async () => {
      while (writing) {
        stdin.write(chunk);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const error = await failure(collect(['-'], {}, { stdin }));
    writing = false;
    stdin.destroy();
    expect(error.name).toBe('InputError');
    expect(error.text).toContain('stdin:1');
  });

  it('drops a line longer than the cap that spans many chunks, and reads on', async () => {
    const stdin = new PassThrough();
    const first = combined.toString().split('\n')[0];
    const text = Buffer.from(`${first}\n${'y'.repeat(MAX_LINE_BYTES * 3)}\n${first}\n${'z'.repeat(MAX_LINE_BYTES - 100)}\n${first}`);
    (async () => {
      for (let index = 0; index < text.length; index += 65_536) {
        stdin.write(text.subarray(index, index + 65_536));
        await new Promise((resolve) => setImmediate(resolve));
      }
      stdin.end();
    })();
    const { records, summary } = await collect(['-'], {}, { stdin });
    // The 'z' line fits under the cap: read, unparsable, counted as skipped for that reason.
    expect(summary.inputs[0]).toMatchObject({ lines: 5, parsed: 3, skipped: 2, firstSkipped: { line: 2, reason: 'line longer than 128 KiB' } });
    expect(records.map((record) => record.line)).toEqual([1, 3, 5]);
  });
});
