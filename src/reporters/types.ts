import type { Report } from '../model/index.js';

export interface ReporterOptions {
  /** Colour for people on a terminal; never for files or pipes. */
  color: boolean;
  /** Columns available, for tables (the terminal's width; 120 in a pipe or file). */
  width?: number;
}

export type Reporter = (report: Report, options: ReporterOptions) => string;
