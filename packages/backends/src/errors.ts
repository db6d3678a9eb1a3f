// The root of every error albert-ts throws on purpose. Each one says what was wrong, where,
// and what to do. `instanceof AlbertError` also recognises the tokenizer's errors (that
// package depends on nothing, so it declares the same class under the same global tag).

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

/** A backend could not be initialised or does not support what was asked of it. */
export class BackendError extends AlbertError {}
