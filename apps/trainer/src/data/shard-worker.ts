// Worker thread entry of `prepare-data`: writes the shards it is sent, one at a time, and reports
// progress (bytes of text consumed) and results back to the main thread.
import { parentPort } from 'node:worker_threads';
import { type ShardJob, writeShard } from './write-shard.js';

export type WorkerMessage =
  | { type: 'progress'; index: number; bytes: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof writeShard>> }
  | { type: 'error'; index: number; name: string; message: string };

const port = parentPort;
port?.on('message', async (job: ShardJob) => {
  if (port == null) return;
  try {
    const result = await writeShard(job, (bytes) => port.postMessage({ type: 'progress', index: job.index, bytes }));
    port.postMessage({ type: 'done', result } satisfies WorkerMessage);
  } catch (err) {
    const e = err as Error;
    port.postMessage({ type: 'error', index: job.index, name: e.name, message: e.message } satisfies WorkerMessage);
  }
});
