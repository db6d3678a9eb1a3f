// Writing shards on `workers` worker threads: each worker takes the next unwritten shard when it is
// free (shards differ in size), progress is summed over all of them.
import { AlbertError } from '../errors.js';
import type { WorkerMessage } from './shard-worker.js';
import { siblingModule, spawnWorker } from './spawn-worker.js';
import type { ShardJob, ShardResult } from './write-shard.js';

export async function runShards(
  jobs: ShardJob[],
  workers: number,
  onProgress: (bytesDone: number) => void,
): Promise<ShardResult[]> {
  const queue = [...jobs];
  const done = new Map<number, number>();
  const results: ShardResult[] = [];
  const report = () => onProgress([...done.values()].reduce((a, b) => a + b, 0));
  const entry = siblingModule(import.meta.url, 'shard-worker');

  const runWorker = async (): Promise<void> => {
    const worker = spawnWorker(entry);
    try {
      for (let job = queue.shift(); job != null; job = queue.shift()) {
        const current = job;
        const result = await new Promise<ShardResult>((resolve, reject) => {
          const onMessage = (m: WorkerMessage) => {
            if (m.type === 'progress') {
              done.set(m.index, m.bytes);
              report();
              return;
            }
            worker.off('message', onMessage);
            worker.off('error', reject);
            if (m.type === 'done') resolve(m.result);
            else reject(new AlbertError(`prepare-data: shard ${m.index}: ${m.message}`));
          };
          worker.on('message', onMessage);
          worker.once('error', reject);
          worker.postMessage(current);
        });
        results.push(result);
      }
    } catch (err) {
      queue.length = 0; // one failure stops the others after their current shard
      throw err;
    } finally {
      await worker.terminate();
    }
  };
  const running = Array.from({ length: Math.min(workers, jobs.length) }, () => runWorker());
  const settled = await Promise.allSettled(running);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed != null) throw (failed as PromiseRejectedResult).reason;
  return results.sort((a, b) => a.index - b.index);
}
