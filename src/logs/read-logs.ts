/**
 * readLogs (see ReadLogs in record.ts): every input in turn, streamed line by line into one reused
 * LogRecord. Unparsable lines are counted, not fatal; an input none of whose first lines is a known
 * format is an InputError naming the file and line.
 */
import { InputError, UsageError } from '../errors.js';
import { LOG_FORMATS, type LogFormat, type LogReadOptions, type LogReadSummary, type LogRecord } from './record.js';
import { CredentialReader } from './read-credentials.js';
import { detectFormat } from './read-detect.js';
import { inputName, readInputChunks } from './read-input.js';
import { MAX_LINE_BYTES, splitLines } from './read-lines.js';
import { AlbParser } from './formats/alb.js';
import { HaproxyParser } from './formats/haproxy.js';
import { JsonParser } from './formats/json.js';
import { NginxParser, compileNginxFormat, type CompiledFormat } from './formats/nginx.js';
import { newRecord, resetRecord, type LineParser } from './formats/parser.js';

/** Non-empty lines looked at before deciding an input is in no known format (or not in the one given). */
export const DETECT_LINES = 10;
/** Bytes read before that decision is forced, whatever the lines (room for DETECT_LINES over-long ones). */
const DETECT_BYTES = 2 << 20;

const FORMAT_NAMES = 'nginx/Apache combined, HAProxy httplog, ALB, JSON lines';

export interface ReadLogsIo {
  /** What "-" reads; process.stdin by default. */
  stdin?: NodeJS.ReadableStream;
}

type InputSummary = LogReadSummary['inputs'][number];

export async function readLogs(inputs: string[], options: LogReadOptions, onRecord: (record: LogRecord) => void, io: ReadLogsIo = {}): Promise<LogReadSummary> {
  if (!(LOG_FORMATS as readonly string[]).includes(options.format)) throw new UsageError(`--log-format: unknown log format "${options.format}" (one of ${LOG_FORMATS.join(', ')})`);
  if (options.sessionCookie !== undefined && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(options.sessionCookie)) {
    throw new UsageError(`--session-cookie: "${options.sessionCookie}" is not a cookie name`);
  }
  // Compile before reading anything: a bad --nginx-format is a usage error, whatever the inputs.
  const custom = options.nginxFormat !== undefined ? compileNginxFormat(options.nginxFormat) : undefined;
  if (custom && options.format !== 'auto' && options.format !== 'nginx' && options.format !== 'apache') {
    throw new UsageError(`--nginx-format describes nginx logs; it cannot be used with --log-format ${options.format}`);
  }
  const credentials = new CredentialReader(options.sessionCookie);
  const summary: LogReadSummary = { inputs: [], hasRequestIdField: false, requestIdInputs: [] };
  for (const file of inputs) {
    const input = await readOne(file, options, custom, credentials, onRecord, io);
    summary.inputs.push(input.summary);
    if (input.hasRequestIdField) {
      summary.hasRequestIdField = true;
      summary.requestIdInputs!.push(file);
    }
  }
  return summary;
}

function fixedParser(format: LogFormat, custom: CompiledFormat | undefined, options: LogReadOptions, credentials: CredentialReader): LineParser | null {
  if (custom) return new NginxParser(custom, credentials, format === 'apache' ? 'apache' : 'nginx');
  switch (format) {
    case 'haproxy':
      return new HaproxyParser(credentials);
    case 'alb':
      return new AlbParser();
    case 'json':
      return new JsonParser(credentials, options.fields);
    default:
      return null; // auto, and nginx/apache: detected among the built-in shapes (read-detect.ts)
  }
}

async function readOne(
  file: string,
  options: LogReadOptions,
  custom: CompiledFormat | undefined,
  credentials: CredentialReader,
  onRecord: (record: LogRecord) => void,
  io: ReadLogsIo,
): Promise<{ summary: InputSummary; hasRequestIdField: boolean }> {
  let parser = fixedParser(options.format, custom, options, credentials);
  const summary: InputSummary = { file, format: parser?.format ?? (options.format === 'apache' ? 'apache' : 'nginx'), lines: 0, parsed: 0, skipped: 0 };
  const record = newRecord(file);
  // Until a line parses: the first non-empty line and why it failed, for the error if none does.
  let looked = 0;
  let firstFailure: { line: number; reason: string } | null = null;

  const skip = (line: number, reason: string) => {
    summary.skipped++;
    summary.firstSkipped ??= { line, reason };
  };
  const fail = (): never => {
    const { line, reason } = firstFailure!;
    const message = parser
      ? `${custom ? 'does not match --nginx-format' : `not in the ${describe(parser.format)} format`} (${reason}); check --log-format${parser.format === 'nginx' || parser.format === 'apache' ? ' or --nginx-format' : ''}`
      : options.format === 'auto'
        ? `not a log format session-audit reads (${FORMAT_NAMES}); give --log-format or --nginx-format`
        : `not in the ${describe(options.format)} format (nor main or common); check --log-format or --nginx-format`;
    throw new InputError(message, inputName(file), line);
  };

  // Bytes read before any line parsed: an input without newlines (/dev/zero, a binary) is one endless
  // over-long line, so the line count alone would read it to its end, or forever.
  async function* untilRecognised(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let bytes = 0;
    for await (const chunk of chunks) {
      if (summary.parsed === 0) {
        bytes += chunk.length;
        if (bytes > DETECT_BYTES) {
          firstFailure ??= { line: 1, reason: `no line end in the first ${DETECT_BYTES / (1 << 20)} MiB` };
          fail();
        }
      }
      yield chunk;
    }
  }

  const lineCount = await splitLines(untilRecognised(readInputChunks(file, io.stdin)), {
    line(text, lineNumber) {
      if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) return;
      if (summary.parsed === 0) {
        if (!parser) {
          parser = detectFormat(text, options, credentials);
          if (parser) summary.format = parser.format;
        }
        looked++;
      }
      if (parser) {
        resetRecord(record, lineNumber);
        const problem = parser.parse(text, record);
        if (problem === null) {
          summary.parsed++;
          onRecord(record);
          return;
        }
        skip(lineNumber, problem);
        firstFailure ??= { line: lineNumber, reason: problem };
      } else {
        skip(lineNumber, 'not in a known log format');
        firstFailure ??= { line: lineNumber, reason: 'not in a known log format' };
      }
      if (summary.parsed === 0 && looked >= DETECT_LINES) fail();
    },
    tooLong(lineNumber) {
      const reason = `line longer than ${MAX_LINE_BYTES / 1024} KiB`;
      skip(lineNumber, reason);
      // Before any line parsed, over-long lines count towards the lines looked at: a binary file or
      // an endless stream without newlines (/dev/zero) is refused after a few, not read to its end.
      if (summary.parsed === 0) {
        looked++;
        firstFailure ??= { line: lineNumber, reason };
        if (looked >= DETECT_LINES) fail();
      }
    },
  });
  summary.lines = lineCount;
  if (summary.parsed === 0 && firstFailure) fail();
  const finalParser = parser as LineParser | null;
  return { summary, hasRequestIdField: summary.parsed > 0 && finalParser !== null && finalParser.hasRequestIdField };
}

/** Only used for a --log-format given: auto-detection never settles on a format no line fits. */
function describe(format: string): string {
  return { nginx: 'nginx combined', apache: 'Apache combined', haproxy: 'HAProxy httplog', alb: 'ALB access log', json: 'JSON' }[format] ?? format;
}
