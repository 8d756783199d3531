import type { Report, SessionMap } from '../model/index.js';
import type { StoreReport } from '../stores/store-report.js';

export interface ReporterOptions {
  /** Colour for people on a terminal; never for files or pipes. */
  color: boolean;
  /** Columns available, for tables (the terminal's width; 120 in a pipe or file). */
  width?: number;
  /** --verbose: also list what could not be linked on the session map. */
  verbose?: boolean;
}

/**
 * What a reporter prints: `check`'s report, or `scan`'s with its `stores` and `map` sections
 * (shared/DESIGN.md: commands add their own top-level sections beside `findings`).
 */
export type ScanLikeReport = Report & { stores?: StoreReport[]; map?: SessionMap };

export type Reporter = (report: ScanLikeReport, options: ReporterOptions) => string;
