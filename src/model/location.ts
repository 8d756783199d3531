/** A place in a config file. `line` and `column` are 1-based. */
export interface Location {
  file: string;
  line: number;
  column: number;
}
