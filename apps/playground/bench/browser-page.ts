// The page of `pnpm bench browser`: an ALBERT-base-shaped forward at seq 128 in this browser, with
// albert-ts on each tfjs backend asked for and ONNX Runtime Web (the engine transformers.js runs)
// on the same weights (fp32 and int8 ONNX), variants interleaved round by round. Results go to
// window.__bench for the driver (bench/browser.ts).
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertModel,
  type BackendName,
  formatBackendReport,
  initBackend,
  loadBaseModel,
  openModelSource,
} from 'albert-ts';

type Ort = {
  env: { wasm: { wasmPaths: string; numThreads: number; simd?: boolean } };
  InferenceSession: { create(url: string, o: object): Promise<OrtSession> };
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
};
type OrtSession = { run(feeds: Record<string, unknown>): Promise<Record<string, { dispose?(): void }>> };

interface Params {
  backends: BackendName[];
  ort: boolean;
  rounds: number;
  /** Rounds for slow variants (cpu, software webgl). */
  slowRounds: number;
  seq: number;
}

const state = window as unknown as { __bench?: unknown; __log?: string[] };
const log = (line: string) => (state.__log ??= []).push(line);

function inputIds(seq: number): number[] {
  // fixed pseudo-random ids in [5, 30000): the same input for every variant
  let x = 12345;
  return Array.from({ length: seq }, (_, k) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return k === 0 ? 2 : k === seq - 1 ? 3 : 5 + (x % 29995);
  });
}

async function main(p: Params): Promise<void> {
  const threads = self.crossOriginIsolated ? Math.max(1, navigator.hardwareConcurrency || 1) : 1;
  setWasmPaths(`${location.origin}/tfjs-wasm/`);
  setThreadsCount(threads);
  const ids = inputIds(p.seq);
  const source = await openModelSource(`${location.origin}/model/`);
  const variants: { name: string; slow: boolean; detail: string; renderer?: string; run: () => Promise<void> }[] = [];

  for (const backend of p.backends) {
    let report: Awaited<ReturnType<typeof initBackend>>;
    try {
      report = await initBackend({ prefer: [backend] });
    } catch (err) {
      log(`${backend}: not available (${(err as Error).message.split('\n')[0]})`);
      continue;
    }
    const model: AlbertModel = await loadBaseModel(source, { warn: () => {} });
    // a CPU-emulated GPU says so in the row's name, not only in its detail
    const name = report.webgl?.software ? `albert-ts ${backend} (software WebGL)` : `albert-ts ${backend}`;
    variants.push({
      name,
      slow: backend === 'cpu' || backend === 'webgl',
      detail: formatBackendReport({ ...report, skipped: [] }),
      ...(report.webgl != null && { renderer: report.webgl.renderer }),
      run: async () => {
        await tf.setBackend(backend);
        const out = tf.tidy(() => {
          const inputs = { inputIds: tf.tensor2d(ids, [1, p.seq], 'int32') };
          return model.forward(inputs, { training: false }).lastHiddenState.clone();
        });
        await out.data(); // wait for the backend (webgl/webgpu are asynchronous)
        out.dispose();
      },
    });
  }

  if (p.ort) {
    const ortUrl = `${location.origin}/ort/ort.wasm.min.mjs`;
    const ort = (await import(/* @vite-ignore */ ortUrl)) as Ort;
    ort.env.wasm.wasmPaths = `${location.origin}/ort/`;
    ort.env.wasm.numThreads = threads;
    const feeds = (o: Ort) => ({
      input_ids: new o.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, p.seq]),
      attention_mask: new o.Tensor('int64', new BigInt64Array(p.seq).fill(1n), [1, p.seq]),
      token_type_ids: new o.Tensor('int64', new BigInt64Array(p.seq), [1, p.seq]),
    });
    for (const [file, label] of [
      ['model.onnx', 'onnxruntime-web fp32'],
      ['model_quantized.onnx', 'onnxruntime-web int8'],
    ] as const) {
      const session = await ort.InferenceSession.create(`${location.origin}/onnx/${file}`, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
      });
      variants.push({
        name: label,
        slow: false,
        detail: `wasm EP, ${threads} thread${threads === 1 ? '' : 's'}`,
        run: async () => {
          const out = await session.run(feeds(ort));
          for (const t of Object.values(out)) t.dispose?.();
        },
      });
    }
  }

  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (const v of variants) {
    await v.run(); // warm-up: compile kernels / shaders, first allocations
    log(`warmed up ${v.name}`);
  }
  for (let round = 0; round < p.rounds; round++) {
    for (const v of variants) {
      if (v.slow && round >= p.slowRounds) continue;
      const t0 = performance.now();
      await v.run();
      times.get(v.name)?.push(performance.now() - t0);
    }
    log(`round ${round + 1}/${p.rounds}`);
  }
  state.__bench = {
    crossOriginIsolated: self.crossOriginIsolated,
    threads,
    userAgent: navigator.userAgent,
    variants: variants.map((v) => ({ name: v.name, detail: v.detail, renderer: v.renderer, ms: times.get(v.name) })),
  };
}

const params = JSON.parse(decodeURIComponent(location.hash.slice(1))) as Params;
main(params).catch((err: unknown) => {
  state.__bench = { failure: String((err as Error)?.stack ?? err) };
});
