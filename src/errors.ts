/**
 * Errors the CLI turns into exit code 2 and one clear line on stderr. Anything else that escapes
 * a command is a bug: the CLI prints it with its stack and a hint to report it.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input that cannot be read or understood: a file, a line, a store. */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** `deploy/nginx.conf:14:3: unexpected "}"` */
  get where(): string {
    if (!this.file) return '';
    if (!this.line) return this.file;
    return this.column ? `${this.file}:${this.line}:${this.column}` : `${this.file}:${this.line}`;
  }

  override toString(): string {
    return this.where ? `${this.where}: ${this.message}` : this.message;
  }
}

/** A config file in a known format that does not parse; the line is where the problem is. */
export class ParseError extends InputError {
  constructor(message: string, file: string, line: number, column = 1) {
    super(message, file, line, column);
    this.name = 'ParseError';
  }
}

export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}

export function isExpectedError(error: unknown): error is UsageError | InputError {
  return error instanceof UsageError || error instanceof InputError;
}
