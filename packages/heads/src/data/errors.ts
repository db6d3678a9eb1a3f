// The errors of the task layer. Both are AlbertErrors, so `err instanceof AlbertError` catches them.
import { AlbertError } from '@albert-ts/core';

/** Where in a data file something went wrong: 1-based line and column (UTF-16 units). */
export type DataLocation = { file: string; line: number; column: number };

/**
 * A task data file (GLUE TSV, CoNLL, SQuAD JSON, multiple-choice JSONL) does not have the expected
 * layout. The message starts with `file:line:column:` and says what was expected there.
 */
export class TaskDataError extends AlbertError {
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(where: DataLocation, message: string) {
    super(`${where.file}:${where.line}:${where.column}: ${message}`);
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** Inputs a feature builder, the QA post-processor or a metric cannot work with. */
export class TaskInputError extends AlbertError {}
