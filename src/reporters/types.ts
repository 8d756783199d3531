import type { Report } from '../model/index.js';

export interface ReporterOptions {
  /** Colour for people on a terminal; never for files or pipes. */
  color: boolean;
}

export type Reporter = (report: Report, options: ReporterOptions) => string;
