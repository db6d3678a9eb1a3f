// Prometheus metrics (prom-client), one registry per server so several servers in one process keep
// their own counts: requests by route and status, queue depth, batch sizes, latency and tokens/s,
// plus prom-client's process metrics (RSS, heap, event-loop lag) under the albert_ prefix.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { BatchObserver, BatchStats } from './batching/batcher.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const TOKEN_BUCKETS = [16, 64, 256, 1024, 2048, 4096, 8192, 16384, 32768];

export interface ServerMetrics {
  registry: Registry;
  requests: Counter<'route' | 'status'>;
  requestSeconds: Histogram<'route'>;
  queueDepth: Gauge;
  queueRows: Gauge;
  batchRequests: Histogram;
  batchRows: Histogram;
  batchPaddedTokens: Histogram;
  batchSeconds: Histogram;
  queueWaitSeconds: Histogram;
  tokens: Counter;
  tokensPerSecond: Gauge;
  dropped: Counter<'reason'>;
  ready: Gauge;
  observer: BatchObserver;
}

export function createMetrics(labels: { task: string }): ServerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry, prefix: 'albert_' });
  const registers = [registry];
  const m = {
    registry,
    requests: new Counter({
      name: 'albert_requests_total',
      help: 'HTTP requests answered, by route and status code',
      labelNames: ['route', 'status'] as const,
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'albert_request_duration_seconds',
      help: 'Time from request to response, by route',
      labelNames: ['route'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    queueDepth: new Gauge({ name: 'albert_queue_depth', help: 'Requests waiting for a batch', registers }),
    queueRows: new Gauge({ name: 'albert_queue_rows', help: 'Model input rows waiting for a batch', registers }),
    batchRequests: new Histogram({
      name: 'albert_batch_requests',
      help: 'Requests per batch',
      buckets: SIZE_BUCKETS,
      registers,
    }),
    batchRows: new Histogram({
      name: 'albert_batch_size',
      help: 'Model input rows per batch (the batch size of the forward pass)',
      buckets: SIZE_BUCKETS,
      registers,
    }),
    batchPaddedTokens: new Histogram({
      name: 'albert_batch_padded_tokens',
      help: 'Rows × longest row per batch: the tokens the forward pass computes',
      buckets: TOKEN_BUCKETS,
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'albert_batch_duration_seconds',
      help: 'Pipeline time per batch',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    queueWaitSeconds: new Histogram({
      name: 'albert_queue_wait_seconds',
      help: 'Time a request waited in the queue before its batch started',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    tokens: new Counter({ name: 'albert_tokens_total', help: 'Real (unpadded) input tokens computed', registers }),
    tokensPerSecond: new Gauge({
      name: 'albert_tokens_per_second',
      help: 'Real input tokens per second of the last batch (rate(albert_tokens_total[1m]) for the average)',
      registers,
    }),
    dropped: new Counter({
      name: 'albert_dropped_requests_total',
      help: 'Requests not computed: queue full, timed out, client gone, shutting down',
      labelNames: ['reason'] as const,
      registers,
    }),
    ready: new Gauge({
      name: 'albert_ready',
      help: '1 when the model is loaded and warm and the server takes requests',
      registers,
    }),
  };
  const observer: BatchObserver = {
    queue(jobs, rows) {
      m.queueDepth.set(jobs);
      m.queueRows.set(rows);
    },
    batch(s: BatchStats) {
      m.batchRequests.observe(s.requests);
      m.batchRows.observe(s.rows);
      m.batchPaddedTokens.observe(s.paddedTokens);
      m.batchSeconds.observe(s.seconds);
      for (const w of s.waits) m.queueWaitSeconds.observe(w);
      m.tokens.inc(s.tokens);
      if (s.seconds > 0) m.tokensPerSecond.set(s.tokens / s.seconds);
    },
    dropped(reason) {
      m.dropped.inc({ reason });
    },
  };
  return { ...m, observer };
}
