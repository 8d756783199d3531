import type { Reporter } from './types.js';

export const jsonReporter: Reporter = (report) => `${JSON.stringify(report, null, 2)}\n`;
