// The tokenizer's errors: AlbertError subclasses (the root lives in @albert-ts/common).
import { AlbertError } from '@albert-ts/common';

export { AlbertError };

/** A SentencePiece `.model` (or tokenizer.json) is truncated, corrupt or not a tokenizer model. */
export class ModelFormatError extends AlbertError {
  /** Byte offset in the input where the problem was found (-1 when not about a position). */
  readonly offset: number;
  constructor(message: string, offset = -1, options?: { cause?: unknown }) {
    super(offset >= 0 ? `${message} (at byte offset ${offset})` : message, options);
    this.offset = offset;
  }
}

/** An argument to a tokenizer call is invalid (e.g. maxLength too small for the special tokens). */
export class TokenizerInputError extends AlbertError {}
