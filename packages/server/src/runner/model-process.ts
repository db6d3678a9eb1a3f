// The model process: loads the pipeline and runs batches, so the server's event loop never waits for
// a forward pass (requests keep being read and queued, probes and timeouts keep answering). It
// ignores SIGINT/SIGTERM (the server drains, then tells it to stop) and exits when the server goes.
import * as tf from '@tensorflow/tfjs-core';
import { type LoadProgress, pipeline, type TaskName } from 'albert-ts';
import type { FromModel, ModelError, ToModel } from './messages.js';

type Runnable = ((items: unknown[], options: unknown) => Promise<unknown[]>) & {
  config: { hiddenSize: number; maxPositionEmbeddings: number };
  dispose(): void;
};

const post = (message: FromModel) => process.send?.(message);

function describe(err: unknown): ModelError {
  const e = err as { name?: string; message?: string; code?: unknown };
  return {
    name: e?.name ?? 'Error',
    message: e?.message ?? String(err),
    ...(typeof e?.code === 'string' && { code: e.code }),
  };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => {});
process.on('disconnect', () => process.exit(0));

let pipe: Promise<Runnable> | undefined;
process.on('message', async (message: ToModel) => {
  if (message.type === 'init') {
    const { task, model, options } = message.init;
    pipe = pipeline(task as TaskName, model, {
      ...options,
      onProgress: (progress: LoadProgress) => post({ type: 'progress', progress }),
      warn: (text: string) => post({ type: 'warn', message: text }),
    } as never) as unknown as Promise<Runnable>;
    try {
      const p = await pipe;
      post({
        type: 'ready',
        hiddenSize: p.config.hiddenSize,
        maxPositionEmbeddings: p.config.maxPositionEmbeddings,
        backend: tf.getBackend(),
      });
    } catch (err) {
      post({ type: 'error', id: null, error: describe(err) });
    }
    return;
  }
  if (message.type === 'dispose') {
    (await pipe?.catch(() => undefined))?.dispose();
    process.exit(0);
  }
  try {
    const p = await (pipe as Promise<Runnable>);
    post({ type: 'result', id: message.id, results: await p(message.items, message.options) });
  } catch (err) {
    post({ type: 'error', id: message.id, error: describe(err) });
  }
});
