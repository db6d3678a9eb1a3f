// `pnpm bench browser [--rounds 5] [--slow-rounds 2] [--seq 128] [--backends wasm,webgl,cpu]`: an ALBERT-base-shaped forward
// (../shared/fixtures/hf-albert/base-shape) at batch 1 × seq 128 in headless Debian chromium:
// albert-ts on wasm (SIMD, one thread; the page not cross-origin isolated), wasm SIMD + threads
// (isolated with COOP/COEP, a thread per logical core), webgl (on a machine without a GPU: software
// WebGL, ANGLE on SwiftShader, labelled so) and cpu, next to ONNX Runtime Web — the engine transformers.js
// runs — on the ONNX export of the same weights (fp32 and transformers.js-style int8), variants
// interleaved round by round in one page. Prints a table; writes bench/results/browser.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../../test-utils/chromium.js';
import { bundleForBrowser } from '../../../test-utils/page-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const shared = process.env.ALBERT_TS_SHARED ?? join(root, '..', 'shared');
const MODEL = join(shared, 'fixtures', 'hf-albert', 'base-shape');
const ONNX = join(shared, 'fixtures', 'onnx', 'albert-base-shape');

function arg(name: string, fallback: number): number {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 ? Number(process.argv[k + 1]) : fallback;
}
const rounds = arg('rounds', 5);
const slowRounds = arg('slow-rounds', 2);
const seq = arg('seq', 128);
const backendsArg = process.argv.indexOf('--backends');
/** albert-ts backends of the page that is not isolated (the isolated page runs wasm with threads). */
const backends = backendsArg >= 0 ? (process.argv[backendsArg + 1] ?? '').split(',') : ['wasm', 'webgl', 'cpu'];

for (const [what, dir] of [
  ['the base-shape model', MODEL],
  ['the ONNX export', ONNX],
] as const) {
  if (!existsSync(dir)) {
    console.error(`${what} is missing (${dir}): put the shared fixtures beside the repository or set ALBERT_TS_SHARED`);
    process.exit(1);
  }
}

const require = createRequire(import.meta.url);
const tfjsWasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
const ortDir = dirname(require.resolve('onnxruntime-web')); // …/onnxruntime-web/dist

const page = await bundleForBrowser(join(here, 'browser-page.ts'), { external: ['node:*'] });

const TYPES: Record<string, string> = { wasm: 'application/wasm', mjs: 'text/javascript', js: 'text/javascript' };

function serve(isolated: boolean) {
  const headers = isolated
    ? {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cross-origin-resource-policy': 'same-origin',
      }
    : {};
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const [, dir = '', file = ''] = path.split('/');
    const from: Record<string, string> = { 'tfjs-wasm': tfjsWasmDir, ort: ortDir, model: MODEL, onnx: ONNX };
    if (path === '/') {
      return void res
        .writeHead(200, { 'content-type': 'text/html', ...headers })
        .end('<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/page.js"></script>');
    }
    if (path === '/page.js')
      return void res.writeHead(200, { 'content-type': 'text/javascript', ...headers }).end(page);
    const folder = from[dir];
    if (folder != null && /^[\w.-]+$/.test(file) && existsSync(join(folder, file))) {
      const body = readFileSync(join(folder, file));
      const ext = file.split('.').pop() ?? '';
      return void res
        .writeHead(200, {
          'content-type': TYPES[ext] ?? 'application/octet-stream',
          'content-length': body.length,
          ...headers,
        })
        .end(req.method === 'HEAD' ? undefined : body);
    }
    res.writeHead(404, headers).end();
  });
  return new Promise<{ url: string; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

type Variant = { name: string; detail: string; renderer?: string; ms: number[] };
type Session = {
  crossOriginIsolated: boolean;
  threads: number;
  userAgent: string;
  variants: Variant[];
  failure?: string;
};

async function session(isolated: boolean, backends: string[]): Promise<Session> {
  const server = await serve(isolated);
  // webgl: chromium without --disable-gpu and with ANGLE on SwiftShader, so that a machine without
  // a GPU still has a (software) WebGL to measure; wasm, cpu and ORT do not use the GPU process
  const browser = await launchChromium({ gpu: backends.includes('webgl') ? 'swiftshader' : 'disabled' });
  try {
    const tab = await browser.context.newPage();
    const params = { backends, ort: true, rounds, slowRounds, seq };
    await tab.goto(`${server.url}#${encodeURIComponent(JSON.stringify(params))}`);
    let shown = 0;
    for (;;) {
      const state = (await tab.evaluate(() => ({
        done: (window as unknown as { __bench?: unknown }).__bench,
        log: (window as unknown as { __log?: string[] }).__log ?? [],
      }))) as { done?: Session; log: string[] };
      for (const line of state.log.slice(shown)) console.log(`  [${isolated ? 'isolated' : 'not isolated'}] ${line}`);
      shown = state.log.length;
      if (state.done != null) {
        if (state.done.failure != null) throw new Error(`the bench page failed: ${state.done.failure}`);
        return state.done;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

console.log(
  `ALBERT base shape, batch 1 × seq ${seq}, ${rounds} rounds (slow variants ${slowRounds}); load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const started = new Date().toISOString();
const sessions = [
  { label: 'not isolated (no wasm threads)', result: await session(false, backends) },
  { label: 'cross-origin isolated (wasm threads)', result: await session(true, ['wasm']) },
];

const rows: string[][] = [];
const json: Record<string, unknown>[] = [];
for (const { label, result } of sessions) {
  const ortFp32 = median(result.variants.find((v) => v.name === 'onnxruntime-web fp32')?.ms ?? []);
  for (const v of result.variants) {
    const med = median(v.ms);
    rows.push([
      label,
      v.name,
      v.detail,
      med.toFixed(0),
      Math.min(...v.ms).toFixed(0),
      String(v.ms.length),
      (med / ortFp32).toFixed(2),
    ]);
    json.push({
      session: label,
      crossOriginIsolated: result.crossOriginIsolated,
      threads: result.threads,
      ...v,
      medianMs: med,
    });
  }
}
const headers = ['page', 'variant', 'backend', 'median ms', 'min ms', 'runs', '× ORT fp32'];
const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
const line = (cells: string[]) =>
  cells.map((x, c) => (c >= 3 ? x.padStart(widths[c] ?? 0) : x.padEnd(widths[c] ?? 0))).join(' | ');
console.log(`\n${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${rows.map(line).join('\n')}`);

const outDir = join(root, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'browser.json'),
  `${JSON.stringify(
    {
      bench: 'browser',
      started,
      seq,
      rounds,
      slowRounds,
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      loadAverage: loadavg(),
      userAgent: sessions[0]?.result.userAgent,
      results: json,
    },
    null,
    2,
  )}\n`,
);
console.log(
  `\nwrote ${join(outDir, 'browser.json')}; load average now ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
