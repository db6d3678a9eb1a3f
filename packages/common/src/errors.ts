// The root of every error albert-ts throws on purpose. Each one says what was wrong, where, and
// what to do. Every package's errors extend this one class, so `err instanceof AlbertError`
// catches them all.
//
// `instanceof` also works across two copies of this package (say a bundled and an installed one):
// the check is a global symbol tag, not prototype identity. Subclasses keep the ordinary check.

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
