// Checking what the caller passed before anything is tokenized or allocated.
import { PipelineError } from '../errors.js';

/** A non-empty string, or a non-empty array of them; returns the list and whether one was given. */
export function textList(input: unknown, task: string, what = 'text'): { items: string[]; single: boolean } {
  if (typeof input === 'string') return { items: [checkText(input, task, what)], single: true };
  if (Array.isArray(input)) {
    if (input.length === 0) {
      throw new PipelineError('bad-input', `${task}: the input array is empty; pass at least one ${what}`);
    }
    return { items: input.map((t, i) => checkText(t, task, `${what} [${i}]`)), single: false };
  }
  throw new PipelineError('bad-input', `${task}: expected a string or an array of strings, got ${describe(input)}`);
}

/** A non-empty string (not only whitespace). */
export function checkText(value: unknown, task: string, what: string): string {
  if (typeof value !== 'string') {
    throw new PipelineError('bad-input', `${task}: ${what} must be a string, got ${describe(value)}`);
  }
  if (value.trim() === '') {
    throw new PipelineError('bad-input', `${task}: ${what} is empty${value === '' ? '' : ' (only whitespace)'}`);
  }
  return value;
}

/** An object input (or an array of them), each checked by `check`. */
export function objectList<T>(
  input: unknown,
  task: string,
  check: (value: Record<string, unknown>, where: string) => T,
  shape: string,
): { items: T[]; single: boolean } {
  const one = (value: unknown, where: string): T => {
    if (value == null || typeof value !== 'object' || Array.isArray(value)) {
      throw new PipelineError('bad-input', `${task}: ${where} must be an object ${shape}, got ${describe(value)}`);
    }
    return check(value as Record<string, unknown>, where);
  };
  if (Array.isArray(input)) {
    if (input.length === 0) throw new PipelineError('bad-input', `${task}: the input array is empty`);
    return { items: input.map((v, i) => one(v, `input [${i}]`)), single: false };
  }
  return { items: [one(input, 'the input')], single: true };
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}${typeof value === 'number' || typeof value === 'boolean' ? ` (${String(value)})` : ''}`;
}

/** A positive integer option, or the default. */
export function positiveInt(value: unknown, name: string, task: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new PipelineError('bad-option', `${task}: ${name} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

/** One of `allowed`, or the default. */
export function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  name: string,
  task: string,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new PipelineError(
      'bad-option',
      `${task}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}
