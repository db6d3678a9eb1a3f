// Test helpers: fixture paths and the ALBERT tokenizer (Google's 30k-clean.model = albert-base-v2's spiece.model).
import { readFileSync } from 'node:fs';
import { AlbertTokenizer } from '@albert-ts/tokenizer';

export const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;
export const readText = (name: string): string => readFileSync(fixture(name), 'utf8');

let cached: AlbertTokenizer | undefined;
export function albert(): AlbertTokenizer {
  cached ??= AlbertTokenizer.fromBytes(new Uint8Array(readFileSync(fixture('albert-30k.model'))));
  return cached;
}

/** Runs fn and returns the error it throws (fails the test when it does not throw). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, nothing was thrown');
}
