import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { mightBeConfig } from './candidates.js';
import type { Affinity, Pool, SessionConfig, Workload } from '../model/index.js';
import { APP_READERS } from '../parsers/apps/index.js';
import type { AppSettingsReader } from '../parsers/apps/types.js';
import { PARSERS } from '../parsers/index.js';
import { displayPath, sourceFromText } from '../parsers/source.js';
import type { ConfigParser, ParseInput } from '../parsers/types.js';

/** A config file that is in a known format but could not be read or parsed. */
export interface FileProblem {
  file: string;
  line: number | null;
  column: number | null;
  message: string;
}

export interface ParsedFiles {
  /** Files recognised as a config format and checked (shown paths). */
  checked: Array<{ file: string; formats: string[] }>;
  /** Files in no known format (shown paths), listed with --verbose. */
  skipped: string[];
  affinities: Affinity[];
  pools: Pool[];
  workloads: Workload[];
  /** How apps keep sessions, from their code and config. */
  sessionConfigs: SessionConfig[];
  problems: FileProblem[];
  /** Lines of the files that produced findings, for inline suppressions (no second read). */
  linesByFile: Map<string, string[]>;
}

/** Config files larger than this are not configs anyone writes by hand; reading them would only cost time. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export function parseFiles(
  absPaths: string[],
  parsers: readonly ConfigParser[] = PARSERS,
  appReaders: readonly AppSettingsReader[] = APP_READERS,
): ParsedFiles {
  const result: ParsedFiles = {
    checked: [], skipped: [], affinities: [], pools: [], workloads: [], sessionConfigs: [], problems: [], linesByFile: new Map(),
  };
  const seen = new Set<string>();
  for (const absPath of absPaths) {
    const configParsers = mightBeConfig(absPath) ? parsers : [];
    const name = path.basename(absPath);
    const readers = appReaders.filter((reader) => reader.wants(name));
    if (configParsers.length === 0 && readers.length === 0) {
      result.skipped.push(displayPath(absPath));
      continue;
    }
    const input = readInput(absPath, result);
    if (!input) continue;
    const formats: string[] = [];
    for (const parser of configParsers) {
      if (!safeDetect(parser, input)) continue;
      formats.push(parser.format);
      try {
        const fragment = parser.parse(input);
        for (const affinity of fragment.affinities) {
          const key = affinityKey(affinity);
          if (seen.has(key)) continue; // an included file that is also walked is reported once
          seen.add(key);
          result.affinities.push(affinity);
          if (affinity.location.file === input.file) result.linesByFile.set(input.file, input.lines());
        }
        // As with affinities: a pool or workload of an included file that is also walked counts once.
        for (const pool of fragment.pools ?? []) if (firstTime(seen, `pool:${locationKey(pool.location)}:${pool.name}`)) result.pools.push(pool);
        for (const workload of fragment.workloads ?? []) {
          if (firstTime(seen, `workload:${locationKey(workload.location)}:${workload.name}`)) result.workloads.push(workload);
        }
      } catch (error) {
        result.problems.push(problemOf(error, input.file, parser.format));
      }
    }
    for (const reader of readers) {
      try {
        const configs = reader.read(input);
        if (configs.length === 0) continue;
        formats.push(reader.id);
        result.sessionConfigs.push(...configs);
        result.linesByFile.set(input.file, input.lines());
      } catch (error) {
        formats.push(reader.id);
        result.problems.push(problemOf(error, input.file, `${reader.id} session settings`));
      }
    }
    if (formats.length > 0) result.checked.push({ file: input.file, formats });
    else result.skipped.push(input.file);
  }
  return result;
}

const locationKey = ({ file, line, column }: { file: string; line: number; column: number }) => `${file}:${line}:${column}`;

function firstTime(seen: Set<string>, key: string): boolean {
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/** Identity of an affinity for de-duplication: an included file that is also walked is reported once. */
export function affinityKey(affinity: Affinity): string {
  const { file, line, column } = affinity.location;
  return `${file}:${line}:${column}:${affinity.mechanism}:${affinity.pool}`;
}

function readInput(absPath: string, result: ParsedFiles): ParseInput | undefined {
  const file = displayPath(absPath);
  let fd: number | undefined;
  try {
    // One open per file: size and content from the same descriptor.
    fd = openSync(absPath, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) {
      result.skipped.push(file);
      return undefined;
    }
    const bytes = readFileSync(fd);
    if (bytes.subarray(0, 4096).includes(0)) {
      result.skipped.push(file); // binary
      return undefined;
    }
    return sourceFromText(file, bytes.toString('utf8'), absPath);
  } catch (error) {
    result.problems.push({ file, line: null, column: null, message: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function safeDetect(parser: ConfigParser, input: ParseInput): boolean {
  try {
    return parser.detect(input);
  } catch {
    return false; // detection is a guess; a guess that fails means "not mine"
  }
}

function problemOf(error: unknown, file: string, format: string): FileProblem {
  if (error instanceof InputError) {
    return { file: error.file ?? file, line: error.line ?? null, column: error.column ?? null, message: error.message };
  }
  // A parser bug must not hide the other files' findings: report it as this file's problem, asking for a report.
  const message = error instanceof Error ? error.message : String(error);
  return { file, line: null, column: null, message: `internal error in the ${format} parser: ${message} (please report this with the file)` };
}
