// albert-ts end to end in a real browser: Debian's chromium, headless (playwright-core), a page
// whose text-classification pipeline runs in a Web Worker on the wasm backend, loading the tiny
// model folder from a node:http server on 127.0.0.1. Checks the load progress (bytes of each file),
// the backend report, the results (the same as Node's pipeline on the cpu backend) and a bad input.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@albert-ts/backends';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Chromium, launchChromium } from '../../../../test-utils/chromium.js';
import { chromiumRequirement, describeWith } from '../../../../test-utils/requirements.js';
import { type LabelScore, pipeline } from '../../src/index.js';
import { fixture } from '../helpers/fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
const wasmDir = join(
  dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);
const MODEL = fixture('tiny-seqcls');

type PageResult = {
  failure?: string;
  progress: { file: string; loaded: number; total?: number }[];
  backend: { backend: string; platform: string; simd: boolean; threads: number } | null;
  backendName: string;
  results: LabelScore[][];
  error: string | null;
  ticks: number;
};

async function bundle(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [join(here, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@albert-ts/source'],
    external: ['node:*'],
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

describeWith(chromiumRequirement, 'in chromium (headless), in a Web Worker', () => {
  let server: Server;
  let browser: Chromium;
  let result: PageResult;

  beforeAll(async () => {
    const [page, worker] = await Promise.all([bundle('page.ts'), bundle('worker.ts')]);
    const html =
      '<!doctype html><meta charset="utf-8"><title>albert-ts</title><script type="module" src="/page.js"></script>';
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      if (url === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(page);
      if (url === '/worker.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(worker);
      const name = url.split('/').pop() ?? '';
      if (url.endsWith('.wasm') && existsSync(join(wasmDir, name))) {
        return void res.writeHead(200, { 'content-type': 'application/wasm' }).end(readFileSync(join(wasmDir, name)));
      }
      if (url.startsWith('/models/tiny-seqcls/') && /^[\w.]+$/.test(name) && existsSync(join(MODEL, name))) {
        const body = readFileSync(join(MODEL, name));
        res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
        return void res.end(req.method === 'HEAD' ? undefined : body);
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    browser = await launchChromium();
    const tab = await browser.context.newPage();
    await tab.goto(`http://127.0.0.1:${port}/`);
    await tab.waitForFunction(() => (window as unknown as { __albert?: unknown }).__albert != null, null, {
      timeout: 60_000,
    });
    result = (await tab.evaluate(() => (window as unknown as { __albert: unknown }).__albert)) as PageResult;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('loads with progress events: the bytes of every file, up to its size', () => {
    expect(result.failure).toBeUndefined();
    const files = ['config.json', 'tokenizer_config.json', 'spiece.model', 'model.safetensors'];
    for (const file of files) {
      const events = result.progress.filter((p) => p.file === file);
      const size = statSync(join(MODEL, file)).size;
      expect(events.length, file).toBeGreaterThan(0);
      expect(events.at(-1)).toEqual({ file, loaded: size, total: size });
      for (let k = 1; k < events.length; k++)
        expect(events[k]?.loaded).toBeGreaterThanOrEqual(events[k - 1]?.loaded as number);
    }
  });

  it('reports the backend it chose in the worker (wasm in the browser)', () => {
    expect(result.backendName).toBe('wasm');
    expect(result.backend?.backend).toBe('wasm');
    expect(result.backend?.platform).toBe('browser');
  });

  it("classifies as Node's pipeline does (cpu backend), and says what was wrong with an empty input", async () => {
    await initBackend({ prefer: 'cpu' });
    const node = await pipeline('text-classification', MODEL);
    const want = await node(['Alice was beginning to get very tired.', 'Down, down, down.'], { topK: null });
    node.dispose();
    expect(result.results).toHaveLength(2);
    result.results.forEach((labels, i) => {
      expect(labels.map((l) => l.label)).toEqual(want[i]?.map((l) => l.label));
      for (const [k, l] of labels.entries()) expect(l.score).toBeCloseTo(want[i]?.[k]?.score as number, 5);
    });
    expect(result.error).toBe('text-classification: the input is empty (in the pipeline worker)');
    expect(result.ticks).toBeGreaterThan(0);
  });
});
