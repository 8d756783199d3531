import type { Affinity, ConfigFormat, Pool, Workload } from '../model/index.js';
import type { YamlSource } from './yaml-source.js';

/** One config file handed to the parsers. */
export interface ParseInput {
  /** Path as shown in findings: relative to the working directory, with `/` separators. */
  readonly file: string;
  readonly absPath: string;
  readonly text: string;
  /** The text split into lines (index 0 is line 1). */
  lines(): string[];
  /** The file parsed as YAML (or JSON, which is YAML) with positions; parsed once, shared by every YAML format. Throws ParseError. */
  yaml(): YamlSource;
  /**
   * Files named by an include directive (a path or glob, relative to this file's folder unless absolute).
   * A pattern that matches nothing gives []; an unreadable file throws a located InputError.
   */
  include(pattern: string, line: number, column?: number): ParseInput[];
}

/** What a parser finds in one file. More node kinds join as the model grows. */
export interface ModelFragment {
  affinities: Affinity[];
  pools?: Pool[];
  workloads?: Workload[];
}

export interface ConfigParser {
  readonly format: ConfigFormat;
  /** Cheap test by file name and a glance at the text: is this file in my format? */
  detect(input: ParseInput): boolean;
  /** Throws ParseError (with file, line, column) for a file it cannot parse; never anything else. */
  parse(input: ParseInput): ModelFragment;
}
