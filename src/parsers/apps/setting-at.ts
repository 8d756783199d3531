import type { Location, Setting } from '../../model/index.js';
import type { ParseInput } from '../types.js';
import { redactCredentials } from './redact.js';

/**
 * Settings located at a line of a config file: the php, laravel, django and rails readers build them
 * here, for the file being read or for one it reads along (`from .base import *`, production.rb).
 * The evidence is the trimmed line with credentials taken out.
 */

export function locationAt(input: ParseInput, line: number, column = 1): Location {
  return { file: input.file, line, column };
}

/** The trimmed text of a 1-based line, with any password or auth token removed. */
export function evidenceAt(input: ParseInput, line: number): string {
  return redactCredentials((input.lines()[line - 1] ?? '').trim());
}

/** A value set by a line of this file. */
export function settingAt<T>(input: ParseInput, value: T, line: number, column = 1): Setting<T> {
  return { value, location: locationAt(input, line, column), evidence: evidenceAt(input, line) };
}
