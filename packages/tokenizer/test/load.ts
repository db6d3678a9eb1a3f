// Test helpers: fixture paths and a tokenizer loaded once per test file.
import { readFileSync } from 'node:fs';
import { AlbertTokenizer } from '../src/index.js';

export const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;
export const readBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(name)));
export const readJsonl = <T>(name: string): T[] =>
  readFileSync(fixture(name), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);

let cached: AlbertTokenizer | undefined;
export function albert(): AlbertTokenizer {
  cached ??= AlbertTokenizer.fromBytes(readBytes('albert-30k.model'));
  return cached;
}
