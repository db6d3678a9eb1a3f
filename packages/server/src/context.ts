// What the routes share: the options, the task's adapter, the batcher, the metrics, and the
// server's life cycle state.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Batcher } from './batching/batcher.js';
import type { Cost } from './batching/job.js';
import { ServerError } from './errors.js';
import type { ServerMetrics } from './metrics.js';
import type { ResolvedOptions } from './options.js';
import type { ModelLimits, TaskAdapter } from './tasks/adapters.js';

/** loading → ready → draining → closed; failed when the model did not load. */
export type ServerState = 'loading' | 'ready' | 'draining' | 'closed' | 'failed';

export interface ServerContext {
  options: ResolvedOptions;
  adapter: TaskAdapter;
  batcher: Batcher;
  metrics: ServerMetrics;
  state(): ServerState;
  /** Why the server is 'failed' (the model did not load, or its process died). */
  failure(): string | undefined;
  /** The model's tokenizer and length (once loaded). */
  limits(): ModelLimits;
  /** Hidden size of the model (once loaded). */
  hiddenSize(): number;
}

/** Throws the 503 a request gets when the server does not take requests now. */
export function requireReady(ctx: ServerContext): void {
  const state = ctx.state();
  if (state === 'ready') return;
  if (state === 'loading') {
    throw new ServerError('not-ready', 'the model is still loading; retry shortly (GET /ready says when it is ready)', {
      retryAfter: 1,
    });
  }
  if (state === 'failed') {
    throw new ServerError(
      'internal',
      `this server cannot answer: ${ctx.failure() ?? 'the model failed to load'}; see the server log, and send the request to another replica`,
    );
  }
  throw new ServerError('shutting-down', 'the server is shutting down; send the request to another replica', {
    retryAfter: 1,
  });
}

/**
 * Queues `items` (with their call `options`) for a batch and waits for their results. A client that
 * disconnects before the answer has its queued work dropped. Returns the results and the real tokens.
 */
export async function infer(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  items: unknown[],
  options: Record<string, unknown>,
): Promise<{ results: unknown[]; tokens: number }> {
  requireReady(ctx);
  const limits = ctx.limits();
  const costs = items.map((item) => ctx.adapter.cost(item, limits, options));
  const cost: Cost = {
    rows: costs.reduce((n, c) => n + c.rows, 0),
    length: Math.max(...costs.map((c) => c.length)),
    tokens: costs.reduce((n, c) => n + c.tokens, 0),
  };
  if (request.raw.destroyed || reply.raw.destroyed) {
    throw new ServerError('client-closed', 'the client closed the connection before the request was queued');
  }
  const { job, results } = ctx.batcher.submit({ items, options, cost, timeoutMs: ctx.options.requestTimeoutMs });
  const onClose = () => {
    if (!reply.raw.writableEnded) ctx.batcher.cancel(job);
  };
  reply.raw.once('close', onClose);
  try {
    return { results: await results, tokens: cost.tokens };
  } finally {
    reply.raw.off('close', onClose);
  }
}
