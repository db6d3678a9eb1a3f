// A pipeline in the server's own thread: for a pipeline the caller already loaded (createServer's
// `pipeline` option) or `worker: false`. A batch then holds the event loop while it computes.
import type { Pipeline } from 'albert-ts';
import type { ModelRunner } from './runner.js';

export function localRunner(pipe: Pipeline<unknown, unknown, unknown>, dispose: boolean): ModelRunner {
  return {
    tokenizer: pipe.tokenizer,
    hiddenSize: pipe.config.hiddenSize,
    maxPositionEmbeddings: pipe.config.maxPositionEmbeddings,
    backend: pipe.backend?.backend ?? 'current',
    run: async (items, options) => (await pipe(items, options)) as unknown[],
    async dispose() {
      if (dispose) pipe.dispose();
    },
  };
}
