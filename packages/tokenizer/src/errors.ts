// The tokenizer's errors. This package depends on nothing, so it declares its own AlbertError
// under the same global tag as @albert-ts/backends: `instanceof AlbertError` from either package
// recognises errors thrown by both.

const TAG = Symbol.for('albert-ts.AlbertError');

export class AlbertError extends Error {
  readonly [TAG] = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== AlbertError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TAG] === true;
  }
}

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
