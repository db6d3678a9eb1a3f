// @albert-ts/backends in a real browser: Debian's chromium, headless, driven by playwright-core,
// loading a page bundled with esbuild from a local node:http server on 127.0.0.1, cross-origin
// isolated (COOP/COEP, so the wasm backend may use threads). Checks the automatic choice (GPU
// backends are skipped with a reason: the GPU is disabled), that asking for a backend by name does
// not change a later automatic choice, and the wasm backend (threads, our kernels) by values.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Chromium, launchChromium } from '../../../../test-utils/chromium.js';
import { chromiumRequirement, describeWith } from '../../../../test-utils/requirements.js';

const here = dirname(fileURLToPath(import.meta.url));
const wasmDir = join(
  dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);

interface PageResult {
  error?: string;
  auto: {
    report: {
      backend: string;
      platform: string;
      skipped: { backend: string; reason: string }[];
      floatPrecision: number;
    };
    line: string;
    matmul: number[];
    mask: number;
  };
  autoAgain: { backend: string; skipped: { backend: string; reason: string }[] };
  isolation: { crossOriginIsolated: boolean; hardwareConcurrency: number };
  webgl: {
    error?: string;
    report: { backend: string; floatPrecision: number; webgl: { renderer: string; software: boolean } };
    mask: number;
    probs: number[];
  };
  wasm: {
    report: { backend: string; simd: string | null; threads: number };
    gatherGrad: number[];
    transposedMatmul: number[];
  };
}

describeWith(chromiumRequirement, 'in chromium (headless)', () => {
  let server: Server;
  let browser: Chromium;
  let result: PageResult;

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [join(here, 'page.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@albert-ts/source'],
      alias: { '@albert-ts/backends': join(here, '../../src/index.ts') },
      logLevel: 'silent',
    });
    const js = bundle.outputFiles[0]?.text ?? '';
    const html =
      '<!doctype html><meta charset="utf-8"><title>albert-ts backends</title><script type="module" src="/page.js"></script>';
    const isolated = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
    server = createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/') return void res.writeHead(200, { 'content-type': 'text/html', ...isolated }).end(html);
      if (url === '/page.js')
        return void res.writeHead(200, { 'content-type': 'text/javascript', ...isolated }).end(js);
      const wasm = join(wasmDir, url.slice(1));
      if (url.endsWith('.wasm') && !url.includes('..') && existsSync(wasm)) {
        return void res.writeHead(200, { 'content-type': 'application/wasm', ...isolated }).end(readFileSync(wasm));
      }
      res.writeHead(404, isolated).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    browser = await launchChromium();
    const page = await browser.context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { __albert?: unknown }).__albert != null, null, {
      timeout: 120_000,
    });
    result = (await page.evaluate(() => (window as unknown as { __albert: unknown }).__albert)) as PageResult;
    console.log(
      `chromium: auto ${result.auto?.line}; webgl fp${(result.webgl as { report?: { floatPrecision?: number } })?.report?.floatPrecision}`,
    );
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('picks a backend automatically, saying why better ones were skipped', () => {
    expect(result.error).toBeUndefined();
    const { report } = result.auto;
    expect(report.platform).toBe('browser');
    const order = ['webgpu', 'webgl', 'wasm', 'cpu'];
    const chosen = order.indexOf(report.backend);
    expect(chosen).toBeGreaterThanOrEqual(0);
    expect(report.skipped.map((s) => s.backend)).toEqual(order.slice(0, chosen));
    for (const s of report.skipped) expect(s.reason.length).toBeGreaterThan(5);
    expect(report.skipped[0]?.reason ?? '').toMatch(/WebGPU|webgpu|adapter/);
    expect(result.auto.matmul).toEqual([19, 22, 43, 50]);
    expect(result.auto.mask).toBe(report.floatPrecision === 16 ? -1e4 : -3.4028234663852886e38);
    expect(result.auto.line.startsWith(report.backend)).toBe(true);
  });

  it('asking for a backend by name does not change the automatic choice', () => {
    // before the fix, a by-name webgl probe cached the provider, and a later automatic choice took
    // a software-rendered WebGL that the first automatic choice had skipped
    expect(result.autoAgain).toEqual({ backend: result.auto.report.backend, skipped: result.auto.report.skipped });
    if (result.webgl.error == null && result.webgl.report.webgl.software) {
      expect(result.auto.report.skipped.find((s) => s.backend === 'webgl')?.reason).toMatch(/software-rendered/);
      expect(result.autoAgain.backend).not.toBe('webgl');
    }
  });

  it('masks attention on WebGL with a value its precision can hold', () => {
    const { webgl } = result;
    // Debian's chromium with --disable-gpu still offers WebGL through SwiftShader (fp16 here). Only
    // a browser without any WebGL context may fail, and then with exactly that reason, which the
    // automatic choice must also have given for skipping webgl; every other error fails the test.
    if (webgl.error != null) {
      const noContext = /WebGL is not available \(no webgl2\/webgl context/;
      expect(webgl.error).toMatch(noContext);
      const skipped = result.auto.report.skipped.find((s) => s.backend === 'webgl');
      expect(skipped?.reason).toMatch(noContext);
      expect(result.auto.report.backend).toBe('wasm');
      return;
    }
    expect(webgl.report.backend).toBe('webgl');
    expect(webgl.mask).toBe(webgl.report.floatPrecision === 16 ? -1e4 : -3.4028234663852886e38);
    const row0 = webgl.probs.slice(0, 4);
    expect(row0[2]).toBe(0);
    const e = [0.5, 1.5, 3].map((v) => Math.exp(v - 3));
    const sum = e.reduce((a, b) => a + b, 0);
    const tol = webgl.report.floatPrecision === 16 ? 2e-3 : 1e-5;
    const kept = [row0[0], row0[1], row0[3]] as number[];
    for (let i = 0; i < 3; i++) expect(Math.abs((kept[i] as number) - (e[i] as number) / sum)).toBeLessThan(tol);
    for (const p of webgl.probs.slice(4)) expect(Number.isFinite(p)).toBe(true); // fully masked row: no NaN
  });

  it('runs the wasm backend with SIMD, a thread per logical core, and our kernels', () => {
    expect(result.wasm.report.backend).toBe('wasm');
    expect(result.wasm.report.simd).toBe('simd128');
    // cross-origin isolated: the threaded build, on every logical core (tfjs alone would use half,
    // one thread on a 2-core machine); tfjs-backend-wasm's own ceiling is 8
    expect(result.isolation.crossOriginIsolated).toBe(true);
    expect(result.wasm.report.threads).toBe(Math.min(8, result.isolation.hardwareConcurrency));
    // d/dtable of sum(gather(table, [2, 0, 2]) * w): row 0 gets w[1], row 2 gets w[0] + w[2].
    expect(result.wasm.gatherGrad).toEqual([100, 1000, 0, 0, 3, 30]);
    // [[1,3],[2,4]] x [[5,7],[6,8]]
    expect(result.wasm.transposedMatmul).toEqual([23, 31, 34, 46]);
  });
});
