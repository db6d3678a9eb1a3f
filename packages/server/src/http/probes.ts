// GET /health (the process is alive, its event loop answers and its model runs: a liveness probe), GET /ready (the
// model is loaded and warm and the server takes requests: a readiness probe; 503 while loading and
// while draining), GET /metrics (Prometheus text).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

export function registerProbes(app: FastifyInstance, ctx: ServerContext): void {
  // 503 once the model process has died or the model failed to load: only a restart helps
  app.get('/health', async (_request, reply) => {
    if (ctx.state() === 'failed') {
      reply.code(503);
      return { status: 'failed' };
    }
    return { status: 'ok' };
  });
  app.get('/ready', async (_request, reply) => {
    const state = ctx.state();
    const body = { status: state, task: ctx.options.task, model: ctx.options.modelName, queued: ctx.batcher.depth };
    if (state !== 'ready') reply.code(503).header('retry-after', '1');
    return body;
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
