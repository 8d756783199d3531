import type { EnvSetting, SessionConfig } from '../../model/index.js';
import type { ParseInput } from '../types.js';

/**
 * Reads how an app keeps its sessions from its code or config, for one framework family. Source
 * files are only opened when some reader wants them by name, so a repository walk stays fast.
 */
export interface AppSettingsReader {
  /** Framework family: "node", "spring", "php", "django", "rails", "aspnet-core", "flask", "gorilla". */
  readonly id: string;
  /** By file name (base name) alone, before opening it: may this file hold session settings? */
  wants(fileName: string): boolean;
  /**
   * Session configs in this file. Source code that does not parse as expected gives [] (a guess, not an
   * error); a config file in a strict format that is broken throws ParseError with its line.
   */
  read(input: ParseInput): SessionConfig[];
  /**
   * Session configs set by a deployment's environment variables alone (SESSION_DRIVER=file,
   * SPRING_SESSION_STORE_TYPE=redis, ...), located at the env line. They override what the code says
   * for the same framework in that workload.
   */
  fromEnv?(env: EnvSetting[], appRoot: string): SessionConfig[];
}
