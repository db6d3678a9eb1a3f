// The shared files the pipeline benches read (../shared beside the repository, or ALBERT_TS_SHARED):
// the 872 SST-2 dev sentences and the ALBERT-base-shape weights with their tokenizer and ONNX export.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const shared = process.env.ALBERT_TS_SHARED ?? join(repoRoot, '..', 'shared');

export const benchFiles = {
  sst2: join(shared, 'data', 'sst2', 'dev.tsv'),
  weights: join(shared, 'fixtures', 'hf-albert', 'base-shape'),
  spiece: join(shared, 'fixtures', 'tokenizer', 'albert-30k.model'),
  onnx: join(shared, 'fixtures', 'onnx', 'albert-base-shape', 'model.onnx'),
  onnxQuantized: join(shared, 'fixtures', 'onnx', 'albert-base-shape', 'model_quantized.onnx'),
  tokenizerJson: join(shared, 'fixtures', 'tokenizer', 'albert-30k.tokenizer.json'),
};

/** Exits with one line naming the missing files when any of `needed` is absent. */
export function requireBenchFiles(bench: string, needed: (keyof typeof benchFiles)[]): void {
  const absent = needed.map((key) => benchFiles[key]).filter((f) => !existsSync(f));
  if (absent.length === 0) return;
  console.log(`${bench} bench: missing ${absent.join(', ')} (the shared fixtures; set ALBERT_TS_SHARED).`);
  process.exit(1);
}

/** The SST-2 dev sentences (the first `limit` when limit > 0). */
export function sst2Sentences(limit = 0): string[] {
  const all = readFileSync(benchFiles.sst2, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t')[0] as string);
  return limit > 0 ? all.slice(0, limit) : all;
}
