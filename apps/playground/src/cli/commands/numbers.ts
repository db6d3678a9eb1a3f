// Numeric command-line values, checked.
import { UsageError } from '../../errors.js';

export function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer; got "${value}"`);
  return n;
}
