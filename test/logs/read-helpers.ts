import path from 'node:path';
import { readLogs, type ReadLogsIo } from '../../src/logs/read-logs.js';
import type { LogReadOptions, LogReadSummary, LogRecord, ReadLogs } from '../../src/logs/record.js';

// readLogs honours the contract the analysis is written against (its 4th parameter is optional).
export const contract: ReadLogs = readLogs;

export const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/logs');
export const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);

/** Reads and keeps a copy of every record (readers reuse one object), without undefined fields. */
export async function collect(inputs: string[], options: Partial<LogReadOptions> = {}, io: ReadLogsIo = {}): Promise<{ records: Partial<LogRecord>[]; summary: LogReadSummary }> {
  const records: Partial<LogRecord>[] = [];
  const summary = await readLogs(inputs, { format: 'auto', ...options }, (record) => {
    records.push(Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<LogRecord>);
  }, io);
  return { records, summary };
}

/** The error a promise rejects with, as the CLI prints it (InputError.toString gives file:line: message). */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; text: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, text: String(error instanceof Error && 'where' in error ? (error as Error).toString() : (error as Error).message) };
  }
  throw new Error('expected a failure');
}

export const JWT_USER_42 =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2lkLmV4YW1wbGUuY29tIiwic3ViIjoidXNlci00MiIsImp0aSI6IjBmOGZhZDViLWQ5Y2ItNDY5Zi1hMTY1LTcwODY3NzI4OTUwZSIsImlhdCI6MTc2NDMwMDAwMCwiZXhwIjoxNzY0MzAzNjAwfQ.BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBw';
