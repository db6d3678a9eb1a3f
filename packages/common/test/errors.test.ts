import { describe, expect, it } from 'vitest';
import { AlbertError } from '../src/index.js';

describe('AlbertError', () => {
  it('names subclasses after themselves and keeps the cause', () => {
    class ExampleError extends AlbertError {}
    const cause = new RangeError('inner');
    const e = new ExampleError('what was wrong; what to do', { cause });
    expect(e.name).toBe('ExampleError');
    expect(e.message).toBe('what was wrong; what to do');
    expect(e.cause).toBe(cause);
    expect(e).toBeInstanceOf(AlbertError);
    expect(e).toBeInstanceOf(ExampleError);
    expect(e).toBeInstanceOf(Error);
    expect(new AlbertError('x')).not.toBeInstanceOf(ExampleError);
  });

  it('recognises an AlbertError from another copy of the package by its global tag', () => {
    const foreign = Object.assign(new Error('from a second copy'), { [Symbol.for('albert-ts.AlbertError')]: true });
    expect(foreign).toBeInstanceOf(AlbertError);
    expect(new Error('plain')).not.toBeInstanceOf(AlbertError);
    expect((null as unknown) instanceof AlbertError).toBe(false);
    expect(('text' as unknown) instanceof AlbertError).toBe(false);
  });
});
