// `pnpm bench pipeline [--rounds 2] [--warmup 1] [--batches 1,8,32] [--limit N] [--threads N] [--low-precision bf16,q8]`
//
// End to end (tokenize + forward + pooling 'none', i.e. last_hidden_state per token) on the 872
// SST-2 dev sentences, ALBERT-base shape, against transformers.js 3.8.1 (ONNX Runtime, fp32) running
// the same weights, in one process, interleaved round by round, same thread count:
// - albert-ts: pipeline('feature-extraction') on ../shared/fixtures/hf-albert/base-shape with
//   ../shared/fixtures/tokenizer/albert-30k.model (native backend), all sentences in one call with
//   batchSize b (it sorts by length and pads each batch to its own longest);
// - albert-ts, N workers: the same pipeline with { workers: N } (N = --threads): N worker threads,
//   each with its own model computing on one thread, the length-sorted batches dealt to whichever is free;
// - transformers.js: pipeline('feature-extraction') on ../shared/fixtures/onnx/albert-base-shape/model.onnx
//   with ../shared/fixtures/tokenizer/albert-30k.tokenizer.json, called on consecutive chunks of b
//   sentences in the caller's order (it pads each call to its longest), and on chunks of the
//   length-sorted list (the caller pre-sorting: its best case).
// Every variant first runs --warmup untimed passes over all the sentences (both engines reach their
// steady state: buffers sized for every batch shape, JIT-compiled code). Prints sentences/s (median
// over rounds) and the ratios; then the compute bound: each variant's
// floating-point work (the matrix products of the batches it actually ran, padding included), its
// GFLOP/s and share of the machine's measured fp32 peak (an FMA loop on the same threads), and the
// share of peak that the goal of 1.2× transformers.js's pre-sorted best would take.
// --low-precision bf16,q8 (any of them) adds, in the same rounds, albert-ts's pipeline with that
// dtype and transformers.js's q8 export (../shared/fixtures/onnx/albert-base-shape/model_quantized.onnx,
// its default dtype in the browser), each with its agreement with its own engine's fp32 output on the
// first 64 sentences (max |Δ| and the lowest cosine similarity of a token vector), in a table of their
// own: they are not fp32, so they do not count toward the fp32 goal.
// Writes bench/results/pipeline.json.
// ../shared is the folder beside the repository (ALBERT_TS_SHARED overrides it).
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { MODEL_DTYPES, type ModelDtype } from '@albert-ts/core';
import { option } from '../../backends/bench/backends/args.js';
import { ALBERT_BASE, forwardFlops } from '../../backends/bench/backends/flops.js';
import { fp32Peak, measurePeaks } from '../../backends/bench/backends/peak.js';
import { loadNativeAddon } from '../../backends/src/native/addon.js';
import {
  AlbertTokenizer,
  type FeatureExtractionPipeline,
  formatBackendReport,
  initBackend,
  pipeline,
} from '../src/index.js';
import { lengthSortedBatches } from '../src/pipelines/batches.js';
import { bareProducts } from './bare-products.js';
import { benchFiles, requireBenchFiles, sst2Sentences } from './sst2-bench-files.js';

const rounds = Number(option('rounds', '2'));
const warmup = Number(option('warmup', '1'));
const batches = option('batches', '1,8,32').split(',').map(Number);
const limit = Number(option('limit', '0'));
const threads = Number(option('threads', String(Math.min(2, availableParallelism()))));
const LOW_PRECISION = MODEL_DTYPES.filter((d) => d !== 'fp32');
const lowPrecision = option('low-precision', '')
  .split(',')
  .filter((d) => d !== '') as Exclude<ModelDtype, 'fp32'>[];
for (const d of lowPrecision) {
  if (!LOW_PRECISION.includes(d)) {
    console.log(`--low-precision takes ${LOW_PRECISION.join(' and/or ')} (comma-separated), not '${d}'`);
    process.exit(1);
  }
}
requireBenchFiles('pipeline', [
  'sst2',
  'weights',
  'spiece',
  'onnx',
  'tokenizerJson',
  ...(lowPrecision.length ? (['onnxQuantized'] as const) : []),
]);

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const files = benchFiles;
const sentences = sst2Sentences(limit);

// --- albert-ts --------------------------------------------------------------------------------
process.env.ALBERT_TS_NATIVE_THREADS ??= String(threads);
const report = await initBackend({ prefer: 'native' });
// spiece.model: Hugging Face's (slow) AlbertTokenizer exactly, as an albert-ts user loads it.
// transformers.js tokenizes tokenizer.json its own way (more tokens here or fewer there): the table
// lists the tokens each engine actually computed.
const tokenizer = await AlbertTokenizer.fromFile(files.spiece, { modelMaxLength: 512 });
const ours = new Map<number, FeatureExtractionPipeline>();
for (const b of batches) ours.set(b, await pipeline('feature-extraction', files.weights, { tokenizer, batchSize: b }));
// the same pipeline with a low-precision dtype, per dtype and batch size
const oursLow = new Map<string, FeatureExtractionPipeline>();
const lowKey = (dtype: string, b: number) => `${dtype}/${b}`;
for (const dtype of lowPrecision) {
  for (const b of batches) {
    const notices: string[] = [];
    const p = await pipeline('feature-extraction', files.weights, {
      tokenizer,
      batchSize: b,
      dtype,
      warn: (m) => notices.push(m),
    });
    if (notices.some((m) => m.includes('dtype'))) {
      console.log(
        `albert-ts ${dtype}: ${notices.join('; ')} — the backend has no ${dtype} kernels, so no ${dtype} rows`,
      );
      process.exit(1);
    }
    oursLow.set(lowKey(dtype, b), p);
  }
}
// the same pipeline in `threads` worker threads of one compute thread each (the workers option): they
// load a model folder by name, so one is made with the weights and spiece.model side by side
const WORKERS = 'albert-ts workers';
const oursInWorkers = new Map<number, FeatureExtractionPipeline>();
if (threads > 1) {
  const folder = mkdtempSync(join(tmpdir(), 'albert-ts-bench-'));
  for (const file of ['config.json', 'model.safetensors']) symlinkSync(join(files.weights, file), join(folder, file));
  symlinkSync(files.spiece, join(folder, 'spiece.model'));
  writeFileSync(join(folder, 'tokenizer_config.json'), JSON.stringify({ model_max_length: 512 }));
  for (const b of batches) {
    oursInWorkers.set(b, await pipeline('feature-extraction', folder, { batchSize: b, workers: threads }));
  }
}

// --- transformers.js: a local model folder as it wants one (offline) ---------------------------
const tjsRoot = mkdtempSync(join(tmpdir(), 'tjs-'));
const tjsDir = join(tjsRoot, 'albert-base-shape');
mkdirSync(join(tjsDir, 'onnx'), { recursive: true });
writeFileSync(join(tjsDir, 'config.json'), readFileSync(join(files.weights, 'config.json')));
symlinkSync(files.tokenizerJson, join(tjsDir, 'tokenizer.json'));
symlinkSync(files.onnx, join(tjsDir, 'onnx', 'model.onnx'));
symlinkSync(files.onnxQuantized, join(tjsDir, 'onnx', 'model_quantized.onnx'));
writeFileSync(
  join(tjsDir, 'tokenizer_config.json'),
  JSON.stringify({
    tokenizer_class: 'AlbertTokenizer',
    do_lower_case: true,
    keep_accents: false,
    remove_space: true,
    bos_token: '[CLS]',
    eos_token: '[SEP]',
    unk_token: '<unk>',
    sep_token: '[SEP]',
    pad_token: '<pad>',
    cls_token: '[CLS]',
    mask_token: '[MASK]',
    model_max_length: 512,
  }),
);
const tjs = await import('@huggingface/transformers');
tjs.env.allowRemoteModels = false;
tjs.env.localModelPath = `${tjsRoot}/`;
const peer = await tjs.pipeline('feature-extraction', 'albert-base-shape', {
  dtype: 'fp32',
  device: 'cpu',
  session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
});
// transformers.js's q8 (its browser default): the same weights, dynamically quantized to int8
const peerQ8 = lowPrecision.length
  ? await tjs.pipeline('feature-extraction', 'albert-base-shape', {
      dtype: 'q8',
      device: 'cpu',
      session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 },
    })
  : null;

// --- the same output from both, on the first sentence both tokenize alike --------------------
const peerIds = (text: string): number[] => Array.from(peer.tokenizer.encode(text) as number[]);
const ourIds = (text: string): number[] => Array.from(tokenizer.encode(text).inputIds);
const sameIds = sentences.filter((text) => ourIds(text).join() === peerIds(text).join());
const probe = sameIds[0] ?? (sentences[0] as string);
const a = (await (ours.get(batches[0] as number) as FeatureExtractionPipeline)(probe)).data;
const bTensor = await peer(probe);
const b = bTensor.data as Float32Array;
let maxDiff = a.length === b.length ? 0 : Number.NaN;
for (let i = 0; i < Math.min(a.length, b.length); i++)
  maxDiff = Math.max(maxDiff, Math.abs((a[i] as number) - (b[i] as number)));
bTensor.dispose();
// the first 64 sentences' vectors in this thread (fp32): what the workers' and the low-precision
// outputs are compared with
const head = sentences.slice(0, 64);
const headFp32 =
  oursInWorkers.size > 0 || lowPrecision.length > 0
    ? (await (ours.get(batches[0] as number) as FeatureExtractionPipeline)(head)).map((o) => o.data)
    : [];
// the workers' vectors against this thread's: the same computation
let workersDiff = 0;
if (oursInWorkers.size > 0) {
  const there = await (oursInWorkers.get(batches[0] as number) as FeatureExtractionPipeline)(head);
  headFp32.forEach((h, i) => {
    const t = (there[i] as { data: Float32Array }).data;
    if (t.length !== h.length) workersDiff = Number.NaN;
    for (let k = 0; k < Math.min(t.length, h.length); k++)
      workersDiff = Math.max(workersDiff, Math.abs((t[k] as number) - (h[k] as number)));
  });
}

// the low-precision outputs against the same engine's fp32, on `head`: max |Δ| over
// every value, and the lowest cosine similarity of one token's vector with its fp32 counterpart
type Agreement = { maxDiff: number; minCosine: number };
const agreement = (low: Float32Array[], full: Float32Array[]): Agreement => {
  let maxDiff = 0;
  let minCosine = 1;
  low.forEach((l, s) => {
    const h = full[s] as Float32Array;
    if (l.length !== h.length) maxDiff = Number.NaN;
    for (let t = 0; t < Math.min(l.length, h.length); t += ALBERT_BASE.hidden) {
      let dot = 0;
      let ll = 0;
      let hh = 0;
      for (let k = t; k < t + ALBERT_BASE.hidden; k++) {
        const a = l[k] as number;
        const b = h[k] as number;
        maxDiff = Math.max(maxDiff, Math.abs(a - b));
        dot += a * b;
        ll += a * a;
        hh += b * b;
      }
      minCosine = Math.min(minCosine, dot / Math.sqrt(ll * hh));
    }
  });
  return { maxDiff, minCosine };
};
const agreements = new Map<string, Agreement>();
if (lowPrecision.length) {
  for (const dtype of lowPrecision) {
    const low = await (oursLow.get(lowKey(dtype, batches[0] as number)) as FeatureExtractionPipeline)(head);
    agreements.set(
      `albert-ts ${dtype}`,
      agreement(
        low.map((o) => o.data),
        headFp32,
      ),
    );
  }
  // transformers.js one sentence at a time, so that padding does not enter the comparison
  const peerOut = async (engine: typeof peer) => {
    const out: Float32Array[] = [];
    for (const text of head) {
      const t = await engine(text);
      out.push(Float32Array.from(t.data as Float32Array));
      t.dispose();
    }
    return out;
  };
  agreements.set('transformers.js q8', agreement(await peerOut(peerQ8 as typeof peer), await peerOut(peer)));
}

// --- tokens computed (padding) ---------------------------------------------------------------
const lengths = sentences.map((s) => tokenizer.encode(s).inputIds.length);
const peerLengths = sentences.map((s) => peerIds(s).length);
const realTokens = lengths.reduce((s, n) => s + n, 0);
const peerRealTokens = peerLengths.reduce((s, n) => s + n, 0);
/** What forwards on `chunks` compute, each chunk padded to its longest: tokens (real plus padding) and flops (matrix products only). */
const computed = (chunks: number[][], lengths: number[]) => {
  let tokens = 0;
  let flops = 0;
  for (const chunk of chunks) {
    const seq = Math.max(...chunk.map((k) => lengths[k] as number));
    tokens += chunk.length * seq;
    flops += forwardFlops(ALBERT_BASE, chunk.length, seq);
  }
  return { tokens, flops, forwards: chunks.length };
};
/** `order` in consecutive chunks of b: what transformers.js gets called on. */
const chunksOf = (order: number[], b: number) =>
  Array.from({ length: Math.ceil(order.length / b) }, (_, i) => order.slice(i * b, (i + 1) * b));
const callerOrder = sentences.map((_, i) => i);
const peerSortedOrder = [...callerOrder].sort((x, y) => (peerLengths[y] as number) - (peerLengths[x] as number));
const sortedSentences = peerSortedOrder.map((i) => sentences[i] as string);

// --- timed runs: albert-ts, transformers.js, and albert-ts's matrix products alone --------------
const addon = loadNativeAddon();
// the forwards' matrix products as bare GEMMs on the same batches: the time of an albert-ts with no
// overhead at all beyond its products, at the GEMM kernel's speed
const PRODUCTS_ONLY = 'albert-ts products alone';
type Variant = {
  name: string;
  /** 'fp32', or the low-precision dtype of a variant that the fp32 goal does not count. */
  dtype: string;
  batch: number;
  tokens: number;
  flops: number;
  forwards: number;
  run: () => Promise<void>;
};
const peerChunks = async (list: string[], size: number, engine = peer) => {
  for (let i = 0; i < list.length; i += size) {
    const out = await engine(list.slice(i, i + size));
    out.dispose();
  }
};
/** transformers.js (`engine`) at batch `size`: on the caller's order, and (batch > 1) on the length-sorted list. */
const peerVariants = (name: string, dtype: string, engine: typeof peer, size: number): Variant[] => {
  const onOrder = (suffix: string, order: number[], list: string[]): Variant => ({
    name: `${name}${suffix}`,
    dtype,
    batch: size,
    ...computed(chunksOf(order, size), peerLengths),
    run: () => peerChunks(list, size, engine),
  });
  return size > 1
    ? [onOrder('', callerOrder, sentences), onOrder(' pre-sorted', peerSortedOrder, sortedSentences)]
    : [onOrder('', callerOrder, sentences)];
};
const variants: Variant[] = [];
for (const size of batches) {
  variants.push({
    name: 'albert-ts',
    dtype: 'fp32',
    batch: size,
    ...computed(lengthSortedBatches(lengths, size), lengths), // the pipeline's own cuts
    run: async () => {
      await (ours.get(size) as FeatureExtractionPipeline)(sentences);
    },
  });
  if (oursInWorkers.has(size)) {
    variants.push({
      name: WORKERS,
      dtype: 'fp32',
      batch: size,
      ...computed(lengthSortedBatches(lengths, size), lengths), // the same cuts, dealt to the workers
      run: async () => {
        await (oursInWorkers.get(size) as FeatureExtractionPipeline)(sentences);
      },
    });
  }
  variants.push(...peerVariants('transformers.js', 'fp32', peer, size));
  const cuts = lengthSortedBatches(lengths, size);
  variants.push({
    name: PRODUCTS_ONLY,
    dtype: 'fp32',
    batch: size,
    ...computed(cuts, lengths),
    run: (() => {
      const run = bareProducts(
        addon,
        ALBERT_BASE,
        12,
        cuts.map((c) => ({ batch: c.length, seq: Math.max(...c.map((k) => lengths[k] as number)) })),
      );
      return async () => run();
    })(),
  });
  for (const dtype of lowPrecision) {
    variants.push({
      name: `albert-ts ${dtype}`,
      dtype,
      batch: size,
      ...computed(lengthSortedBatches(lengths, size), lengths),
      run: async () => {
        await (oursLow.get(lowKey(dtype, size)) as FeatureExtractionPipeline)(sentences);
      },
    });
  }
  if (peerQ8 != null) variants.push(...peerVariants('transformers.js q8', 'q8', peerQ8, size));
}

console.log(
  `${sentences.length} SST-2 dev sentences; tokens: albert-ts ${realTokens} (mean ${(realTokens / sentences.length).toFixed(1)}), ` +
    `transformers.js ${peerRealTokens} (mean ${(peerRealTokens / sentences.length).toFixed(1)}), the same ids for ${sameIds.length}; ` +
    `albert-ts on ${formatBackendReport(report)}; transformers.js ${tjs.env.version} (onnxruntime-node, ${threads} intra-op threads, fp32); ` +
    `max |Δ| last_hidden_state on "${probe.trim()}": ${maxDiff.toExponential(1)}` +
    (oursInWorkers.size > 0
      ? `; albert-ts in ${threads} worker threads (1 compute thread each) vs in-process, ${head.length} sentences: max |Δ| ${workersDiff.toExponential(1)}`
      : ''),
);
// warm-up: untimed passes of every variant
for (let w = 0; w < warmup; w++) for (const v of variants) await v.run();

const times = new Map<Variant, number[]>(variants.map((v) => [v, []]));
const loads: number[] = [];
for (let r = 0; r < rounds; r++) {
  // rotate the order each round so every variant sees the machine's load in turn
  const order = variants.map((_, i) => variants[(i + r) % variants.length] as Variant);
  for (const v of order) {
    const t0 = performance.now();
    await v.run();
    const seconds = (performance.now() - t0) / 1000;
    times.get(v)?.push(seconds);
    loads.push(loadavg()[0] as number);
    console.log(
      `  round ${r + 1}: ${v.name.padEnd(27)} batch ${String(v.batch).padStart(2)}  ${(sentences.length / seconds).toFixed(1)} sentences/s`,
    );
  }
}

/** A markdown table: a header row, then the rows right-aligned, each column as wide as its widest cell. */
const printTable = (header: string[], rows: string[][]) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  console.log(`| ${header.map((h, i) => h.padEnd(widths[i] as number)).join(' | ')} |`);
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.map((c, i) => c.padStart(widths[i] as number)).join(' | ')} |`);
};
const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const rate = (v: Variant) => sentences.length / median(times.get(v) as number[]);
const find = (name: string, batch: number) => variants.find((v) => v.name === name && v.batch === batch);
const presortedBest = Math.max(...variants.filter((v) => v.name === 'transformers.js pre-sorted').map(rate));
const rows = batches.map((size) => {
  const o = find('albert-ts', size) as Variant;
  const w = find(WORKERS, size);
  const t = find('transformers.js', size) as Variant;
  const s = find('transformers.js pre-sorted', size);
  return {
    batch: size,
    albertTs: rate(o),
    albertTsWorkers: w ? rate(w) : null,
    transformersJs: rate(t),
    transformersJsPresorted: s ? rate(s) : null,
    ratio: rate(o) / rate(t),
    ratioWorkers: w ? rate(w) / rate(t) : null,
    ratioToPresortedBest: Number.isFinite(presortedBest) ? rate(o) / presortedBest : null,
    ratioWorkersToPresortedBest: w && Number.isFinite(presortedBest) ? rate(w) / presortedBest : null,
    tokensComputed: { albertTs: o.tokens, transformersJs: t.tokens },
  };
});
const load = {
  min: Math.min(...loads),
  max: Math.max(...loads),
  mean: loads.reduce((s, x) => s + x, 0) / loads.length,
};
const f = (x: number | null) => (x == null ? '—' : x.toFixed(1));
const header = [
  'batch',
  'albert-ts',
  `albert-ts, ${threads} workers`,
  'transformers.js',
  '× tjs (workers)',
  'tjs pre-sorted',
  '× tjs pre-sorted best (workers)',
  'tokens computed (ours / tjs)',
];
const x = (r: number | null) => (r == null ? '—' : `${r.toFixed(2)}×`);
const table = rows.map((r) => [
  String(r.batch),
  f(r.albertTs),
  f(r.albertTsWorkers),
  f(r.transformersJs),
  `${x(r.ratio)} (${x(r.ratioWorkers)})`,
  f(r.transformersJsPresorted),
  `${x(r.ratioToPresortedBest)} (${x(r.ratioWorkersToPresortedBest)})`,
  `${r.tokensComputed.albertTs} / ${r.tokensComputed.transformersJs}`,
]);
console.log(
  `\nsentences/s, median of ${rounds} round(s) after ${warmup} untimed; load average ${load.min.toFixed(1)}–${load.max.toFixed(1)} (mean ${load.mean.toFixed(1)})`,
);
printTable(header, table);
console.log(
  `pre-sorted best of transformers.js: ${f(presortedBest)} sentences/s; real tokens ${realTokens} (albert-ts) / ${peerRealTokens} (transformers.js)`,
);

// --- albert-ts against its own products -----------------------------------------------------------
const productRows = batches.map((size) => {
  const whole = median(times.get(find('albert-ts', size) as Variant) as number[]);
  const products = median(times.get(find(PRODUCTS_ONLY, size) as Variant) as number[]);
  const rateIfOnlyProducts = sentences.length / products;
  return {
    batch: size,
    forwards: (find('albert-ts', size) as Variant).forwards,
    seconds: whole,
    productsSeconds: products,
    productsShare: products / whole,
    rateIfOnlyProducts,
    ratioToPresortedBest: rateIfOnlyProducts / presortedBest,
  };
});
console.log(
  `\nalbert-ts end to end against its matrix products alone (bare GEMMs of the same forwards, ${addon.info().isa} kernel, same run):`,
);
printTable(
  [
    'batch',
    'forwards',
    'albert-ts s',
    'products alone s',
    'products / whole',
    'products-only sentences/s',
    '× tjs pre-sorted best',
  ],
  productRows.map((r) => [
    String(r.batch),
    String(r.forwards),
    r.seconds.toFixed(2),
    r.productsSeconds.toFixed(2),
    `${(100 * r.productsShare).toFixed(0)}%`,
    f(r.rateIfOnlyProducts),
    `${r.ratioToPresortedBest.toFixed(2)}×`,
  ]),
);

// --- low precision: not fp32, so beside the goal rather than in it --------------------------------
const lowRows = lowPrecision.length
  ? batches.map((size) => {
      const tjsQ8Sorted = find('transformers.js q8 pre-sorted', size);
      return {
        batch: size,
        albertTs: Object.fromEntries(lowPrecision.map((d) => [d, rate(find(`albert-ts ${d}`, size) as Variant)])),
        transformersJsQ8: rate(find('transformers.js q8', size) as Variant),
        transformersJsQ8Presorted: tjsQ8Sorted ? rate(tjsQ8Sorted) : null,
      };
    })
  : [];
if (lowPrecision.length) {
  const q8SortedBest = Math.max(...variants.filter((v) => v.name === 'transformers.js q8 pre-sorted').map(rate));
  const ag = (name: string) => {
    const a = agreements.get(name) as Agreement;
    return `max |Δ| ${a.maxDiff.toExponential(1)}, min cosine ${a.minCosine.toFixed(5)}`;
  };
  console.log(
    `\nlow precision (not fp32: outside the fp32 goal), sentences/s in the same rounds; agreement with the same engine's fp32 on ${head.length} sentences: ` +
      [
        ...lowPrecision.map((d) => `albert-ts ${d} ${ag(`albert-ts ${d}`)}`),
        `transformers.js q8 ${ag('transformers.js q8')}`,
      ].join('; '),
  );
  printTable(
    [
      'batch',
      ...lowPrecision.map((d) => `albert-ts ${d}`),
      'tjs q8',
      'tjs q8 pre-sorted',
      ...lowPrecision.map((d) => `${d} × tjs fp32 pre-sorted best`),
      ...lowPrecision.map((d) => `${d} × tjs q8 pre-sorted best`),
    ],
    lowRows.map((r) => [
      String(r.batch),
      ...lowPrecision.map((d) => f(r.albertTs[d] as number)),
      f(r.transformersJsQ8),
      f(r.transformersJsQ8Presorted),
      ...lowPrecision.map((d) => x((r.albertTs[d] as number) / presortedBest)),
      ...lowPrecision.map((d) => x((r.albertTs[d] as number) / q8SortedBest)),
    ]),
  );
  console.log(`pre-sorted best of transformers.js q8: ${f(q8SortedBest)} sentences/s`);
}

// --- compute bound ------------------------------------------------------------------------------
const peak = fp32Peak(measurePeaks(addon, threads), addon.info().isa) as number;
const boundRows = variants
  .filter((v) => v.dtype === 'fp32')
  .map((v) => {
    const gflops = v.flops / 1e9 / median(times.get(v) as number[]);
    return { name: v.name, batch: v.batch, gflop: v.flops / 1e9, gflops, percentOfPeak: (100 * gflops) / peak };
  });
// albert-ts's fastest batch size: the goal's work per sentence is counted at it
const goalBatch = batches.reduce((x, y) =>
  rate(find('albert-ts', y) as Variant) > rate(find('albert-ts', x) as Variant) ? y : x,
);
const bestOurs = rate(find('albert-ts', goalBatch) as Variant);
const goalGflopPerSentence = (find('albert-ts', goalBatch) as Variant).flops / 1e9 / sentences.length;
const goal = Number.isFinite(presortedBest)
  ? { sentencesPerSecond: 1.2 * presortedBest, gflops: 1.2 * presortedBest * goalGflopPerSentence }
  : null;
console.log(
  `\ncompute bound: fp32 peak ${peak.toFixed(0)} GFLOP/s (measured FMA loop, ${threads} threads, ${addon.info().isa}); ` +
    'work = the matrix products of the batches each variant ran (padding included)',
);
const boundTable = boundRows.map((r) => [
  r.name,
  String(r.batch),
  r.gflop.toFixed(1),
  r.gflops.toFixed(1),
  `${r.percentOfPeak.toFixed(0)}%`,
]);
const bh = ['variant', 'batch', 'GFLOP', 'GFLOP/s', '% of peak'];
printTable(bh, boundTable);
if (goal != null)
  console.log(
    `1.2× transformers.js's pre-sorted best = ${goal.sentencesPerSecond.toFixed(1)} sentences/s; at albert-ts's batch ${goalBatch} ` +
      `(${goalGflopPerSentence.toFixed(2)} GFLOP per sentence) that is ${goal.gflops.toFixed(0)} GFLOP/s = ` +
      `${((100 * goal.gflops) / peak).toFixed(0)}% of the fp32 peak, for the products alone (albert-ts best now: ` +
      `${bestOurs.toFixed(1)} sentences/s)`,
  );

const outDir = join(repoRoot, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'pipeline.json'),
  JSON.stringify(
    {
      sentences: sentences.length,
      realTokens,
      threads,
      backend: report,
      transformersJs: tjs.env.version,
      rounds,
      warmup,
      load,
      maxDiff,
      workersDiff,
      rows,
      lowPrecision: lowPrecision.length
        ? { dtypes: lowPrecision, rows: lowRows, agreement: Object.fromEntries(agreements) }
        : null,
      productRows,
      presortedBest,
      peakGflops: peak,
      bound: boundRows,
      goal: goal == null ? null : { ...goal, batch: goalBatch, percentOfPeak: (100 * goal.gflops) / peak },
    },
    null,
    2,
  ),
);
for (const p of [...ours.values(), ...oursInWorkers.values(), ...oursLow.values()]) p.dispose();
await peer.dispose();
await peerQ8?.dispose();
