// @albert-ts/server: `albert serve`, an HTTP inference server for albert-ts pipelines.
export {
  Batcher,
  type BatcherOptions,
  type BatchObserver,
  type BatchStats,
  type Submission,
} from './batching/batcher.js';
export { type Cost, type Job, optionsKey } from './batching/job.js';
export { type BatchLimits, type BatchPlan, planBatch } from './batching/plan.js';
export { createServeCommand, serve } from './cli/serve.js';
export type { ServerState } from './context.js';
export { ServerError, type ServerErrorCode } from './errors.js';
export { DEFAULTS, type ServerOptions } from './options.js';
export { type AlbertServer, createServer } from './server.js';
