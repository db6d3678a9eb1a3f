// The script of each worker thread behind pipeline(task, model, { workers }) in Node: it answers the
// same messages as a browser pipeline worker (pipeline-worker.ts), on its parentPort.
import { parentPort } from 'node:worker_threads';
import { PipelineError } from '../errors.js';
import { servePipeline } from './pipeline-worker.js';

if (parentPort == null) {
  throw new PipelineError(
    'worker-failed',
    'node-worker runs as a worker thread: it is started by pipeline(task, model, { workers })',
  );
}
servePipeline(parentPort as unknown as Parameters<typeof servePipeline>[0]);
