// The model folders in test/fixtures (see the README there) and throwaway folders built from them.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export type FixtureName =
  | 'tiny-pretraining'
  | 'tiny-seqcls'
  | 'tiny-nli'
  | 'tiny-tokcls'
  | 'tiny-ner'
  | 'tiny-qa'
  | 'tiny-mc'
  | 'tiny-json';

export function fixture(name: FixtureName): string {
  return join(FIXTURES, name);
}

/** A temporary copy of a fixture's config.json and model.safetensors, plus `extra` files. */
export function tempFolder(from: FixtureName, extra: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'albert-ts-pipeline-'));
  for (const file of ['config.json', 'model.safetensors']) copyFileSync(join(fixture(from), file), join(dir, file));
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), content);
  return dir;
}
