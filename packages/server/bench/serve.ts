// `pnpm bench serve [--model DIR --task T] [--duration 20] [--sustain 60] [--burst 15] [--p99-ms 5000]
//                   [--connections 32] [--max-queue 64] [--limit 320]`
//
// albert-serve under load from a second process (autocannon, 127.0.0.1 only, every phase bounded in
// time), one SST-2 dev sentence per request (the first --limit sentences, 0: all 872):
//  1. offline: the pipeline itself on the same sentences at batch size 32 (sentences/s);
//  2. closed loop, 32 concurrent clients, for --duration s: the batching server (--max-batch-size 32)
//     and the unbatched one (--max-batch-size 1 --max-wait-ms 0): sentences/s and p50/p95/p99;
//     batching efficiency = batched sentences/s ÷ offline sentences/s (goal ≥ 0.8); and, counted from
//     /metrics (load-independent), the forward passes, rows per pass and padded ÷ real tokens;
//  3. the largest rate (of up to 3 tries: 0.8×, then ×0.7 each) sustained for --sustain s with p99
//     under --p99-ms and no error;
//  4. a burst at 2× that rate for --burst s: the 503s, the server's RSS before, at most and after;
//  5. recovery: seconds from the end of the burst until a request is answered within the p99 bound
//     again, then --duration/2 s at the sustained rate (errors must be 0 again).
// Default model: the repository's models/default (feature-extraction) when present, else the shared
// base-shape weights (ALBERT-base, random) with albert-30k.model, served as feature-extraction via
// POST /v1/embeddings (mean pooling, normalised). Writes bench/results/serve.json.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Pipeline, pipeline, type TaskName } from 'albert-ts';
import { option } from '../../backends/bench/backends/args.js';
import { type LoadResult, load } from './load.js';
import { startServerProcess } from './spawn-server.js';

const duration = Number(option('duration', '20'));
const sustainSeconds = Number(option('sustain', '60'));
const burstSeconds = Number(option('burst', '15'));
const p99Bound = Number(option('p99-ms', '5000'));
const connections = Number(option('connections', '32'));
const maxQueue = Number(option('max-queue', '64'));
const limit = Number(option('limit', '320'));

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const shared = process.env.ALBERT_TS_SHARED ?? join(repoRoot, '..', 'shared');
const sst2 = join(shared, 'data', 'sst2', 'dev.tsv');
if (!existsSync(sst2)) {
  console.log(`serve bench: missing ${sst2} (the shared data; set ALBERT_TS_SHARED).`);
  process.exit(1);
}

function defaultModel(): { model: string; task: TaskName; what: string } {
  const repoDefault = join(repoRoot, 'models', 'default');
  if (existsSync(join(repoDefault, 'config.json'))) {
    return { model: repoDefault, task: 'feature-extraction', what: 'models/default' };
  }
  const weights = join(shared, 'fixtures', 'hf-albert', 'base-shape');
  const spiece = join(shared, 'fixtures', 'tokenizer', 'albert-30k.model');
  for (const f of [join(weights, 'model.safetensors'), spiece]) {
    if (!existsSync(f)) {
      console.log(`serve bench: missing ${f} (the shared fixtures; set ALBERT_TS_SHARED, or pass --model and --task).`);
      process.exit(1);
    }
  }
  const dir = join(mkdtempSync(join(tmpdir(), 'serve-bench-')), 'albert-base-shape');
  mkdirSync(dir);
  symlinkSync(join(weights, 'config.json'), join(dir, 'config.json'));
  symlinkSync(join(weights, 'model.safetensors'), join(dir, 'model.safetensors'));
  symlinkSync(spiece, join(dir, 'spiece.model'));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ do_lower_case: true, keep_accents: false, remove_space: true, model_max_length: 512 }),
  );
  return {
    model: dir,
    task: 'feature-extraction',
    what: 'shared base-shape (ALBERT-base, random weights) + albert-30k.model',
  };
}

const given = option('model', '');
const { model, task, what } = given
  ? { model: given, task: option('task', 'feature-extraction') as TaskName, what: given }
  : defaultModel();
const embeddings = task === 'feature-extraction';
const path = embeddings ? '/v1/embeddings' : `/v1/${task}`;
const callOptions = embeddings ? { pooling: 'mean', normalize: true } : {};

let sentences = readFileSync(sst2, 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => l.split('\t')[0] as string);
if (limit > 0) sentences = sentences.slice(0, limit);
const body = (i: number) =>
  JSON.stringify(embeddings ? { input: sentences[i % sentences.length] } : { inputs: sentences[i % sentences.length] });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const loads: number[] = [];
const note = (s: string) => {
  loads.push(loadavg()[0] as number);
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${s} (load average ${loadavg()[0]?.toFixed(1)})`);
};

console.log(`serve bench: ${what}, task ${task} via POST ${path}, ${sentences.length} SST-2 dev sentences`);
console.log(
  `machine: ${cpus()[0]?.model ?? '?'}, ${availableParallelism()} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

// 1. offline ------------------------------------------------------------------------------------
note('offline pipeline, batch size 32');
const offline = (await pipeline(task, model, { batchSize: 32, warn: () => {} })) as unknown as Pipeline<
  string,
  unknown,
  unknown
>;
await offline(sentences.slice(0, 32), callOptions);
const t0 = performance.now();
await offline(sentences, callOptions);
const offlineRate = sentences.length / ((performance.now() - t0) / 1000);
// what the offline pipeline pads: all sentences sorted by length, batches of 32 padded to their longest
const offlineLengths = sentences
  .map((s) => Math.min(offline.tokenizer.encode(s).inputIds.length, offline.config.maxPositionEmbeddings))
  .sort((a, b) => b - a);
let offlinePadded = 0;
for (let i = 0; i < offlineLengths.length; i += 32)
  offlinePadded += offlineLengths.slice(i, i + 32).length * (offlineLengths[i] as number);
const offlinePadding = offlinePadded / offlineLengths.reduce((a, b) => a + b, 0);
offline.dispose();
note(`offline: ${offlineRate.toFixed(1)} sentences/s`);

const serverArgs = (extra: string[], port: number) => [
  '--task',
  task,
  '--model',
  model,
  '--port',
  String(port),
  ...extra,
];

/** Sum of the samples of one /metrics series (all label sets). */
async function metricSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

interface ClosedLoopResult extends LoadResult {
  /** Forward passes, rows per pass, and padded ÷ real tokens computed (load-independent: counted, not timed). */
  passes: number;
  rowsPerPass: number;
  paddedOverReal: number;
}

async function closedLoop(name: string, extra: string[]): Promise<ClosedLoopResult> {
  const port = await freePort();
  const server = await startServerProcess(serverArgs(extra, port));
  try {
    note(`${name}: ${connections} clients, ${duration} s`);
    const r = await load({ url: server.url, path, body, connections, seconds: duration });
    // the warm-up pass is in these counts too (one short sentence: negligible over a run)
    const passes = await metricSum(server.url, 'albert_batch_size_count');
    const rowsPerPass = (await metricSum(server.url, 'albert_batch_size_sum')) / passes;
    const paddedOverReal =
      (await metricSum(server.url, 'albert_batch_padded_tokens_sum')) /
      (await metricSum(server.url, 'albert_tokens_total'));
    note(
      `${name}: ${r.okPerSecond.toFixed(1)} sentences/s, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, statuses ${JSON.stringify(r.statuses)}, errors ${r.errors}; ${passes} passes of ${rowsPerPass.toFixed(1)} rows, padded ÷ real tokens ${paddedOverReal.toFixed(2)}`,
    );
    return { ...r, passes, rowsPerPass, paddedOverReal };
  } finally {
    const code = await server.stop();
    if (code !== 0) console.log(`  (albert-serve exited ${code} on SIGTERM)`);
  }
}

// 2. batched vs unbatched, closed loop ------------------------------------------------------------
const batched = await closedLoop('batched (max-batch-size 32, max-wait-ms 5)', [
  '--max-batch-size',
  '32',
  '--max-queue',
  String(maxQueue),
]);
const unbatched = await closedLoop('unbatched (max-batch-size 1, max-wait-ms 0)', [
  '--max-batch-size',
  '1',
  '--max-wait-ms',
  '0',
  '--max-queue',
  String(maxQueue),
]);
const efficiency = batched.okPerSecond / offlineRate;

// 3-5. sustained rate, burst at 2×, recovery ------------------------------------------------------
const port = await freePort();
const server = await startServerProcess(serverArgs(['--max-batch-size', '32', '--max-queue', String(maxQueue)], port));
const tries: { rate: number; result: LoadResult; passed: boolean }[] = [];
let rate = Math.max(1, Math.floor(batched.okPerSecond * 0.8 * 10) / 10);
let sustained: { rate: number; result: LoadResult } | undefined;
const rssBefore = server.rss();
let burst: LoadResult | undefined;
let rssMax = rssBefore;
let rssAfter = Number.NaN;
let recoverySeconds = Number.NaN;
let afterBurst: LoadResult | undefined;
try {
  for (let t = 0; t < 3 && sustained === undefined; t++) {
    note(`sustain ${rate} requests/s for ${sustainSeconds} s`);
    const result = await load({
      url: server.url,
      path,
      body,
      connections: 4 * connections,
      seconds: sustainSeconds,
      rate,
    });
    // sustained: every request a 200, p99 within the bound, and the rate actually delivered (autocannon
    // sends less when answers are late, so a server that falls behind shows up as a lower rate)
    const passed =
      result.errors === 0 &&
      result.ok === Object.values(result.statuses).reduce((a, b) => a + b, 0) &&
      result.p99 <= p99Bound &&
      result.okPerSecond >= 0.95 * rate;
    tries.push({ rate, result, passed });
    note(
      `  ${passed ? 'sustained' : 'not sustained'}: p50 ${result.p50.toFixed(0)} ms, p95 ${result.p95.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, ${result.okPerSecond.toFixed(1)}/s, statuses ${JSON.stringify(result.statuses)}, errors ${result.errors}`,
    );
    if (passed) sustained = { rate, result };
    else rate = Math.max(0.5, Math.floor(rate * 0.7 * 10) / 10);
  }
  const burstRate = 2 * (sustained?.rate ?? rate);
  note(`burst ${burstRate} requests/s for ${burstSeconds} s`);
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, server.rss());
  }, 200);
  burst = await load({
    url: server.url,
    path,
    body,
    connections: 8 * connections,
    seconds: burstSeconds,
    rate: burstRate,
    timeout: 30,
  });
  clearInterval(sampler);
  const burstEnd = performance.now();
  note(
    `  burst: statuses ${JSON.stringify(burst.statuses)}, errors ${burst.errors}, RSS max ${(rssMax / 2 ** 20).toFixed(0)} MiB`,
  );
  // recovery: one request at a time until one is answered within the p99 bound
  for (;;) {
    const s = performance.now();
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(0),
    }).catch(() => null);
    if (res?.status === 200 && performance.now() - s <= p99Bound) {
      recoverySeconds = (performance.now() - burstEnd) / 1000;
      break;
    }
    await res?.arrayBuffer();
    if (performance.now() - burstEnd > 120_000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  rssAfter = server.rss();
  note(
    `  recovered after ${recoverySeconds.toFixed(1)} s; at ${sustained?.rate ?? rate}/s again for ${Math.ceil(duration / 2)} s`,
  );
  afterBurst = await load({
    url: server.url,
    path,
    body,
    connections: 4 * connections,
    seconds: Math.ceil(duration / 2),
    rate: sustained?.rate ?? rate,
  });
  note(
    `  after: statuses ${JSON.stringify(afterBurst.statuses)}, errors ${afterBurst.errors}, p99 ${afterBurst.p99.toFixed(0)} ms`,
  );
} finally {
  const code = await server.stop();
  if (code !== 0) console.log(`  (albert-serve exited ${code} on SIGTERM)`);
}

// report ------------------------------------------------------------------------------------------
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const row = (cells: (string | number)[]) => console.log(`| ${cells.join(' | ')} |`);
console.log('');
row(['run', 'sentences/s', 'p50 ms', 'p95 ms', 'p99 ms', 'statuses', 'errors']);
row(['---', '--:', '--:', '--:', '--:', '---', '--:']);
row(['offline pipeline, batch 32', offlineRate.toFixed(1), '', '', '', '', '']);
for (const [name, r] of [
  [`server batched, ${connections} clients`, batched],
  [`server unbatched, ${connections} clients`, unbatched],
  ...tries.map((t) => [`${t.rate}/s for ${sustainSeconds} s${t.passed ? ' (sustained)' : ''}`, t.result] as const),
  ...(burst ? [[`burst ${2 * (sustained?.rate ?? rate)}/s for ${burstSeconds} s`, burst] as const] : []),
  ...(afterBurst ? [[`after the burst, ${sustained?.rate ?? rate}/s`, afterBurst] as const] : []),
] as const) {
  const ms = (v: number) => v.toFixed(0);
  row([name, r.okPerSecond.toFixed(1), ms(r.p50), ms(r.p95), ms(r.p99), JSON.stringify(r.statuses), r.errors]);
}
console.log('');
console.log(`batching efficiency (batched server ÷ offline, batch 32): ${efficiency.toFixed(2)} (goal ≥ 0.8)`);
console.log(`batched ÷ unbatched server throughput: ${(batched.okPerSecond / unbatched.okPerSecond).toFixed(2)}×`);
console.log(
  `padded ÷ real tokens computed (counted, not timed): offline ${offlinePadding.toFixed(2)}, batched server ${batched.paddedOverReal.toFixed(2)} (${batched.rowsPerPass.toFixed(1)} rows per pass), unbatched ${unbatched.paddedOverReal.toFixed(2)}`,
);
console.log(
  `largest sustained rate: ${sustained ? `${sustained.rate} requests/s (p99 ${sustained.result.p99.toFixed(0)} ms ≤ ${p99Bound} ms, 0 errors)` : `none of ${tries.map((t) => t.rate).join(', ')}/s`}`,
);
console.log(
  `RSS: ${mib(rssBefore)} before the burst, ${mib(rssMax)} at most during it, ${mib(rssAfter)} after; recovery ${recoverySeconds.toFixed(1)} s`,
);
console.log(
  `load average during the runs: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (a shared machine: numbers are a fraction of an idle one's)`,
);

const outDir = join(repoRoot, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'serve.json'),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      model: what,
      task,
      path,
      sentences: sentences.length,
      options: { duration, sustainSeconds, burstSeconds, p99Bound, connections, maxQueue },
      offline: { batchSize: 32, sentencesPerSecond: offlineRate, paddedOverReal: offlinePadding },
      batched,
      unbatched,
      efficiency,
      sustainTries: tries,
      sustained: sustained ?? null,
      burst: burst ?? null,
      rss: { before: rssBefore, max: rssMax, after: rssAfter },
      recoverySeconds,
      afterBurst: afterBurst ?? null,
      loadAverage: { min: Math.min(...loads), max: Math.max(...loads) },
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${join(outDir, 'serve.json')}`);
