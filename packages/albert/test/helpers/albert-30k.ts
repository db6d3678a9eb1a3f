// ALBERT's 30k tokenizer (albert-base-v2's spiece.model) as Hugging Face folders in test/fixtures,
// and Hugging Face's ids for it (test/fixtures/albert-30k.expected.json; see the fixtures README).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './fixtures.js';

/** spiece.model + tokenizer_config.json (albert-base-v2's settings). */
export const ALBERT_30K = join(FIXTURES, 'albert-30k');
/** tokenizer.json (transformers' AlbertConverter) + the same tokenizer_config.json. */
export const ALBERT_30K_JSON = join(FIXTURES, 'albert-30k-json');

/** A file of a fixture folder, as bytes. */
export function fixtureBytes(dir: string, name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(dir, name)));
}

export interface TextIds {
  text: string;
  /** [CLS] … [SEP] */
  inputIds: number[];
}

export interface FlagCase {
  source: string;
  /** tokenizer_config.json keys that differ from albert-base-v2's */
  flags: Record<string, boolean>;
  text: string;
  /** ids without [CLS]/[SEP] under `flags` */
  ids: number[];
  /** ids under albert-base-v2's settings */
  defaultIds: number[];
}

export const EXPECTED: { spiece: TextIds[]; tokenizerJson: TextIds[]; flags: FlagCase[] } = JSON.parse(
  readFileSync(join(FIXTURES, 'albert-30k.expected.json'), 'utf8'),
);

/** albert-30k's tokenizer_config.json with `flags` on top, as JSON text. */
export function configWith(flags: Record<string, unknown>): string {
  const base = JSON.parse(readFileSync(join(ALBERT_30K, 'tokenizer_config.json'), 'utf8'));
  return JSON.stringify({ ...base, ...flags });
}
