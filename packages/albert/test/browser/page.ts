// The page of the browser test: a text-classification pipeline in a Web Worker, loaded from the
// test server, with its progress events, backend report, results and a bad-input error.
import type { LoadProgress } from '../../src/pipelines/progress.js';
import { createPipelineWorker } from '../../src/worker/worker-client.js';

const state = window as unknown as { __albert?: unknown };
try {
  const progress: LoadProgress[] = [];
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5); // the page keeps running while the worker works
  const classify = await createPipelineWorker(
    new Worker('/worker.js', { type: 'module' }),
    'text-classification',
    `${location.origin}/models/tiny-seqcls/`,
    { onProgress: (p) => progress.push(p), options: { backend: ['wasm'] } },
  );
  const results = await classify(['Alice was beginning to get very tired.', 'Down, down, down.'], { topK: null });
  const error = await classify('').then(
    () => null,
    (e: Error) => e.message,
  );
  clearInterval(timer);
  classify.dispose();
  state.__albert = { progress, backend: classify.backend, backendName: classify.backendName, results, error, ticks };
} catch (e) {
  state.__albert = { failure: String((e as Error).stack ?? e) };
}
