// Tokenizing pipeline inputs with the model's length limit: an input longer than the model is
// truncated with one warning line for the whole call (never an exception deep inside tfjs).
import type { Encoding, TextInput, TruncationStrategy } from '@albert-ts/tokenizer';
import type { Tokenizer } from '../tokenizer/auto-tokenizer.js';

/** The inputs a call truncated: [caller's input, its token count] each, and the model's limit. */
export interface TruncationDetail {
  truncated: [input: number, tokens: number][];
  maxLength: number;
}

/**
 * Where one-line warnings go. A truncation warning also passes its detail (the workers option merges
 * its batches' into one line with the caller's indices); a plain `(message) => …` ignores it.
 */
export type Warn = (message: string, detail?: TruncationDetail) => void;

/**
 * Encodes each input; those longer than `maxLength` are truncated (`strategy`) and reported once.
 * `inputOf(i)` is the caller's input encoding i comes from (default i), for tasks that encode several
 * pairs per input (zero-shot, multiple-choice): the warning names the caller's inputs, each with its
 * longest encoding.
 */
export function encodeTruncating(
  tokenizer: Tokenizer,
  inputs: readonly TextInput[],
  maxLength: number,
  task: string,
  warn: Warn,
  strategy: TruncationStrategy = 'longest_first',
  inputOf: (i: number) => number = (i) => i,
): Encoding[] {
  const long = new Map<number, number>(); // caller's input -> its longest token count
  const encodings = inputs.map((input, i) => {
    const enc = typeof input === 'string' ? tokenizer.encode(input) : tokenizer.encode(input[0], input[1]);
    if (enc.inputIds.length <= maxLength) return enc;
    const owner = inputOf(i);
    long.set(owner, Math.max(long.get(owner) ?? 0, enc.inputIds.length));
    return typeof input === 'string'
      ? tokenizer.encode(input, null, { maxLength, truncation: strategy })
      : tokenizer.encode(input[0], input[1], { maxLength, truncation: strategy });
  });
  if (long.size > 0) warn(truncationMessage(task, [...long], maxLength), { truncated: [...long], maxLength });
  return encodings;
}

export function truncationMessage(task: string, long: [number, number][], maxLength: number): string {
  const shown = long.slice(0, 3).map(([i, n]) => `[${i}] ${n} tokens`);
  const more = long.length > 3 ? ` and ${long.length - 3} more` : '';
  return `[albert-ts] ${task}: ${long.length === 1 ? 'an input is' : `${long.length} inputs are`} longer than the model's ${maxLength} tokens (${shown.join(', ')}${more}); truncated to ${maxLength}.`;
}

/**
 * Tasks that truncate only the first sequence of a pair ('only_first': zero-shot's text, multiple
 * choice's prompt) need the second to leave it at least one token: [CLS] first (≥ 1) [SEP] second
 * [SEP]. Returns the second's token count and the room it had when it does not fit, else null.
 */
export function secondTooLong(
  tokenizer: Tokenizer,
  second: string,
  maxLength: number,
): { tokens: number; room: number } | null {
  const room = maxLength - 4;
  const tokens = tokenizer.encodeSequence(second).ids.length;
  return tokens > room ? { tokens, room } : null;
}
