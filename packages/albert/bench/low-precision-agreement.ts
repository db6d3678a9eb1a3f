// `pnpm bench low-precision-agreement [--model <folder>] [--dev <tsv>] [--limit N] [--batch N]`
//
// Label agreement of a fine-tuned sequence classifier in q8 and bf16 with itself in fp32 on the
// SST-2 dev sentences (the bar: ≥ 99% for q8), and its accuracy against the gold labels
// in each dtype, through pipeline('text-classification', model, { dtype }) on the native
// backend (q8 / bf16 need its kernels; elsewhere the pipeline runs fp32 and says so).
// --model: any AlbertForSequenceClassification folder, default the embedded default model's
// text-classification folder (@albert-ts/default-model: models/albert-gutenberg-small-sst2). --dev: a GLUE SST-2 tsv
// (sentence<TAB>label, header line), default $ALBERT_TS_SHARED/data/sst2/dev.tsv.
// Writes bench/results/low-precision-agreement.json at the repo root.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { defaultModel as defaultModelFolder } from '@albert-ts/default-model';
import { option } from '../../backends/bench/backends/args.js';
import { formatBackendReport, initBackend, pipeline } from '../src/index.js';
import { DEFAULT_MODEL_PACKAGE } from '../src/pipelines/default-model.js';
import { benchFiles } from './sst2-bench-files.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const defaultModel = await defaultModelFolder('text-classification');
const model = option('model', defaultModel ?? '');
const dev = option('dev', benchFiles.sst2);
const limit = Number(option('limit', '0'));
const batchSize = Number(option('batch', '16'));

if (!model || !existsSync(join(model, 'config.json'))) {
  console.log(
    model
      ? `no config.json in ${model}: pass --model <folder> of an AlbertForSequenceClassification model`
      : `no classifier folder: pass --model <folder> (${DEFAULT_MODEL_PACKAGE} has no text-classification folder here)`,
  );
  process.exit(1);
}
if (!existsSync(dev)) {
  console.log(`SST-2 dev file not found at ${dev}: pass --dev <tsv> or set ALBERT_TS_SHARED`);
  process.exit(1);
}

const rows = readFileSync(dev, 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => {
    const [sentence, label] = l.split('\t');
    return { sentence: (sentence ?? '').trim(), label: Number(label) };
  });
const data = limit > 0 ? rows.slice(0, limit) : rows;
const report = await initBackend({ prefer: 'native' });
console.log(`backend: ${formatBackendReport(report)}`);
console.log(`model: ${model}\nsentences: ${data.length} (${dev})`);

const results: Record<string, { labels: string[]; ms: number }> = {};
let id2label: string[] = [];
for (const dtype of ['fp32', 'q8', 'bf16'] as const) {
  const notices: string[] = [];
  const classify = await pipeline('text-classification', model, { dtype, batchSize, warn: (m) => notices.push(m) });
  for (const n of notices.filter((m) => m.includes('dtype'))) console.log(`  ${dtype}: ${n}`);
  const t0 = performance.now();
  const out = await classify(data.map((d) => d.sentence));
  const ms = performance.now() - t0;
  results[dtype] = { labels: out.map((o) => o[0]?.label ?? ''), ms };
  classify.dispose();
}
const fp32 = results.fp32?.labels ?? [];
// Gold labels are 0/1; the model's names come from its config (id2label), in id order.
const config = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')) as { id2label?: Record<string, string> };
id2label = Object.keys(config.id2label ?? {})
  .sort((a, b) => Number(a) - Number(b))
  .map((k) => config.id2label?.[k] ?? k);
const gold = data.map((d) => id2label[d.label] ?? `LABEL_${d.label}`);
const agree = (a: string[], b: string[]) => a.filter((x, i) => x === b[i]).length / a.length;
// A classifier that gives every sentence one label agrees with itself trivially: say so.
const counts = (labels: string[]) => Object.fromEntries(id2label.map((l) => [l, labels.filter((x) => x === l).length]));
console.log(`predicted labels (fp32): ${JSON.stringify(counts(fp32))}; gold: ${JSON.stringify(counts(gold))}`);
console.log('\ndtype  agreement with fp32  accuracy vs gold  ms (all sentences, batch ' + batchSize + ')');
const summary: Record<
  string,
  { agreementWithFp32: number; accuracy: number; ms: number; predicted: Record<string, number> }
> = {};
for (const [dtype, r] of Object.entries(results)) {
  summary[dtype] = {
    agreementWithFp32: agree(r.labels, fp32),
    accuracy: agree(r.labels, gold),
    ms: r.ms,
    predicted: counts(r.labels),
  };
  console.log(
    `${dtype.padEnd(5)}  ${(100 * agree(r.labels, fp32)).toFixed(2).padStart(18)}%  ${(100 * agree(r.labels, gold)).toFixed(2).padStart(15)}%  ${r.ms.toFixed(0)}`,
  );
}
const outDir = join(repoRoot, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'low-precision-agreement.json'),
  `${JSON.stringify({ benchmark: 'low-precision-agreement', date: new Date().toISOString(), cpu: cpus()[0]?.model, loadAverage: loadavg(), model, dev, sentences: data.length, summary }, null, 2)}\n`,
);
