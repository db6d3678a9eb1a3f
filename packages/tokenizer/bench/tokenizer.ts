// `pnpm bench tokenizer`: encode throughput on gutenberg_en/valid.txt (one line at a time) for
// AlbertTokenizer (exact HF ALBERT pipeline, offsets included), AlbertTokenizerPool (worker threads),
// SentencePiece's C++ encoder via Debian's /usr/bin/python3 sentencepiece (per line on one thread,
// and its batch encode with its default threads; timed inside Python), and @huggingface/tokenizers
// 0.2.0 on albert-30k.tokenizer.json. Same file, same run. Prints a table, writes
// bench/results/tokenizer.json. Options: --rounds N (default 5), --workers N.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlbertTokenizer, AlbertTokenizerPool } from '@albert-ts/tokenizer';
import { Tokenizer } from '@huggingface/tokenizers';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg('rounds', 5);
const workers = arg('workers', availableParallelism());
const textPath = join(root, '..', 'shared', 'data', 'gutenberg_en', 'valid.txt');
if (!existsSync(textPath)) {
  console.log(`tokenizer bench: ${textPath} is absent (the shared data folder is not mounted); nothing to measure.`);
  process.exit(0);
}
const modelPath = join(here, '..', 'test', 'fixtures', 'albert-30k.model');
const jsonPath = join(here, '..', 'test', 'fixtures', 'albert-30k.tokenizer.json');
const lines = readFileSync(textPath, 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);

interface Run {
  wall: number;
  cpu: number;
  tokens: number;
}
interface Row {
  name: string;
  runs: Run[];
  note: string;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const time = (f: () => number): Run => {
  const c = process.cpuUsage();
  const t = performance.now();
  const tokens = f();
  const cpu = process.cpuUsage(c);
  return { wall: (performance.now() - t) / 1000, cpu: (cpu.user + cpu.system) / 1e6, tokens };
};

// Everything runs round by round (ours, tokenizers.js, the pool, then one SentencePiece round in
// Python), so that all encoders see the same machine load; round 0 warms up and is not counted.
const tok = await AlbertTokenizer.fromFile(modelPath);
const ours: Row = {
  name: 'albert-ts AlbertTokenizer.encode (1 thread)',
  runs: [],
  note: 'HF ALBERT pipeline + offsets',
};
const hf = new Tokenizer(JSON.parse(readFileSync(jsonPath, 'utf8')), {
  tokenizer_class: 'AlbertTokenizer',
  do_lower_case: true,
  remove_space: true,
  keep_accents: false,
  model_max_length: 512,
  clean_up_tokenization_spaces: true,
});
const hfRow: Row = {
  name: '@huggingface/tokenizers 0.2.0 encode (1 thread)',
  runs: [],
  note: 'albert-30k.tokenizer.json',
};
const pool = await AlbertTokenizerPool.fromFile(modelPath, { workers });
const poolRow: Row = {
  name: `albert-ts AlbertTokenizerPool.encodeBatch (${workers} workers)`,
  runs: [],
  note: 'same encodings, worker_threads',
};
// one worker: the pool's own cost, with no parallelism to gain
const pool1 = await AlbertTokenizerPool.fromFile(modelPath, { workers: 1 });
const pool1Row: Row = { name: 'albert-ts AlbertTokenizerPool.encodeBatch (1 worker)', runs: [], note: 'pool overhead' };
let spSingle: Row | null = null;
let spBatch: Row | null = null;
let spVersion = 'unavailable';
let spError = '';
for (let r = 0; r <= rounds; r++) {
  const a = time(() => lines.reduce((n, l) => n + tok.encode(l).inputIds.length - 2, 0));
  const b = time(() => lines.reduce((n, l) => n + hf.encode(l, { add_special_tokens: false }).ids.length, 0));
  const c = process.cpuUsage();
  const t = performance.now();
  const encs = await pool.encodeBatch(lines);
  const wall = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(c); // the whole process: the workers' time included
  const p: Run = {
    wall,
    cpu: (cpu.user + cpu.system) / 1e6,
    tokens: encs.reduce((n, e) => n + e.inputIds.length - 2, 0),
  };
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  const encs1 = await pool1.encodeBatch(lines);
  const cpu1 = process.cpuUsage(c1);
  const p1: Run = {
    wall: (performance.now() - t1) / 1000,
    cpu: (cpu1.user + cpu1.system) / 1e6,
    tokens: encs1.reduce((n, e) => n + e.inputIds.length - 2, 0),
  };
  if (r > 0) {
    ours.runs.push(a);
    hfRow.runs.push(b);
    poolRow.runs.push(p);
    pool1Row.runs.push(p1);
  }
  if (r === 0 || spError !== '') continue;
  try {
    const out = JSON.parse(
      execFileSync('/usr/bin/python3', [join(here, 'sp_encode.py'), modelPath, textPath, '1'], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      }),
    ) as { version: string; single: Run[]; batch: Run[] };
    spVersion = out.version;
    spSingle ??= { name: `sentencepiece ${out.version} encode per line (1 thread)`, runs: [], note: 'C++ via Python' };
    spBatch ??= {
      name: `sentencepiece ${out.version} encode(list) (default threads)`,
      runs: [],
      note: 'C++ via Python',
    };
    spSingle.runs.push(...out.single);
    spBatch.runs.push(...out.batch);
  } catch (e) {
    spError = (e as Error).message.split('\n')[0] as string;
    console.log(`SentencePiece via /usr/bin/python3 is unavailable: ${spError}`);
  }
}
await pool.close();
await pool1.close();

const rows = [ours, poolRow, pool1Row, spSingle, spBatch, hfRow].filter((r): r is Row => r !== null);
const summary = rows.map((r) => {
  const wall = median(r.runs.map((x) => x.wall));
  const cpu = median(r.runs.map((x) => x.cpu));
  const tokens = r.runs[0]?.tokens ?? 0;
  return {
    name: r.name,
    note: r.note,
    mbPerS: bytes / 1e6 / wall,
    tokensPerS: tokens / wall,
    cpuMbPerS: bytes / 1e6 / cpu,
    tokens,
    wall,
  };
});
const get = (row: Row | null) => summary.find((s) => s.name === row?.name);
const cpuRatio = (a: Row | null, b: Row | null) =>
  a && b ? (get(a)?.cpuMbPerS ?? 0) / (get(b)?.cpuMbPerS ?? 1) : null;
const cpuRatios = {
  oursVsSentencePieceSingle: cpuRatio(ours, spSingle),
  poolVsSentencePieceBatch: cpuRatio(poolRow, spBatch),
};
const ratios = {
  oursVsSentencePieceSingle: spSingle ? (get(ours)?.mbPerS ?? 0) / (get(spSingle)?.mbPerS ?? 1) : null,
  poolVsSentencePieceBatch: spBatch ? (get(poolRow)?.mbPerS ?? 0) / (get(spBatch)?.mbPerS ?? 1) : null,
  oursVsHuggingfaceTokenizersJs: (get(ours)?.mbPerS ?? 0) / (get(hfRow)?.mbPerS ?? 1),
};

console.log(
  `\nEncode throughput on ${textPath}: ${lines.length} non-empty lines, ${(bytes / 1e6).toFixed(3)} MB UTF-8`,
);
console.log(`median of ${rounds} rounds; ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(1)} at the end\n`);
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`${pad('encoder', 62)} ${pad('MB/s', 8)} ${pad('tokens/s', 11)} ${pad('MB/CPU-s', 9)} tokens`);
// MB/CPU-s: throughput per second of CPU time (all threads for the pool and SentencePiece batch),
// which is steadier than wall time when other processes share the cores
for (const s of summary) {
  console.log(
    `${pad(s.name, 62)} ${pad(s.mbPerS.toFixed(2), 8)} ${pad(Math.round(s.tokensPerS).toString(), 11)} ${pad(s.cpuMbPerS.toFixed(2), 9)} ${s.tokens}`,
  );
}
console.log(
  `\nratios (wall MB/s): ours / sentencepiece 1 thread = ${ratios.oursVsSentencePieceSingle?.toFixed(2)}; ` +
    `pool / sentencepiece batch = ${ratios.poolVsSentencePieceBatch?.toFixed(2)}; ` +
    `ours / @huggingface/tokenizers = ${ratios.oursVsHuggingfaceTokenizersJs.toFixed(2)}`,
);
console.log(
  `ratios (MB per CPU-second): ours / sentencepiece 1 thread = ${cpuRatios.oursVsSentencePieceSingle?.toFixed(2)}; ` +
    `pool / sentencepiece batch = ${cpuRatios.poolVsSentencePieceBatch?.toFixed(2)}`,
);
console.log('(token counts differ: SentencePiece alone does not lower-case, strip accents or split digit-commas)');

const outDir = join(root, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'tokenizer.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      text: textPath,
      lines: lines.length,
      bytes,
      rounds,
      workers,
      sentencepiece: spVersion,
      loadavg: loadavg(),
      summary,
      ratios,
      cpuRatios,
      raw: rows,
    },
    null,
    2,
  ),
);
console.log(`wrote ${join(outDir, 'tokenizer.json')}`);
