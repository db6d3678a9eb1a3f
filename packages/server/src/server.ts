// createServer(options): a Fastify app serving one task of one model. It listens at once (so
// /health answers while the model loads), loads the pipeline in the background with its progress in
// the log, warms it with one small request, and only then says yes on /ready. close() drains: it
// stops accepting, answers every request already in, then frees the model.
import { defaultModelFor, type LoadProgress, type Pipeline, pipeline } from 'albert-ts';
import Fastify, { type FastifyInstance } from 'fastify';
import { Batcher } from './batching/batcher.js';
import type { ServerContext, ServerState } from './context.js';
import { requireReady } from './context.js';
import { ServerError } from './errors.js';
import { registerEmbeddingsRoute } from './http/embeddings-route.js';
import { errorResponse } from './http/error-response.js';
import { registerProbes } from './http/probes.js';
import { type SchemaError, schemaMessage } from './http/schema-errors.js';
import { registerTaskRoute } from './http/task-route.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import { type ResolvedOptions, resolveOptions, type ServerOptions } from './options.js';
import { localRunner } from './runner/local-runner.js';
import { startProcessRunner } from './runner/process-runner.js';
import type { ModelRunner } from './runner/runner.js';
import { ADAPTERS, type ModelLimits } from './tasks/adapters.js';

type AnyPipeline = Pipeline<unknown, unknown, unknown>;

export interface AlbertServer {
  /** The Fastify instance (app.inject works before listen). */
  readonly app: FastifyInstance;
  readonly options: ResolvedOptions;
  readonly metrics: ServerMetrics;
  readonly state: ServerState;
  /** Starts listening; resolves with the address (e.g. http://127.0.0.1:8080). The model keeps loading. */
  listen(): Promise<string>;
  /** Resolves when the model is loaded and warm (rejects when it failed to load). */
  ready(): Promise<void>;
  /**
   * Resolves (never rejects) if the model process dies after loading: the server then answers its
   * in-flight requests 500 and its queued ones 503, says 503 on /health and /ready, and can answer
   * nothing more; stop it (close()) and start another. The CLI does, and exits 1.
   */
  readonly failure: Promise<ServerError>;
  /**
   * Graceful stop: /ready says no, no new connection is accepted, new requests get 503, every
   * request already in is answered (waiting at most drainTimeoutMs; after that the queued ones get
   * 503), then the model is freed. Safe to call more than once.
   */
  close(): Promise<void>;
}

const PROGRESS_STEP = 0.25;

export function createServer(serverOptions: ServerOptions): AlbertServer {
  const options = resolveOptions(serverOptions);
  const adapter = ADAPTERS[options.task];
  const metrics = createMetrics({ task: options.task });
  let state: ServerState = 'loading';
  let runner: ModelRunner | undefined;
  let limits: ModelLimits | undefined;
  let closing: Promise<void> | undefined;
  let failureReason: string | undefined;
  let fail!: (err: ServerError) => void;
  const failure = new Promise<ServerError>((resolve) => {
    fail = resolve;
  });

  const app = Fastify({
    logger: options.logger === false ? false : options.logger === true ? { level: 'info' } : options.logger,
    bodyLimit: options.bodyLimit,
    requestTimeout: options.readTimeoutMs,
    keepAliveTimeout: 72_000,
    return503OnClosing: false,
    http: {
      headersTimeout: options.readTimeoutMs,
      requestTimeout: options.readTimeoutMs,
      // how often Node checks the two timeouts above (its default, 30 s, would let a slow client sit that long)
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(options.readTimeoutMs / 4))),
    },
    ajv: {
      customOptions: {
        coerceTypes: false,
        removeAdditional: false,
        useDefaults: false,
        allErrors: false,
        verbose: true,
      },
    },
    schemaErrorFormatter: (errors, dataVar) =>
      new ServerError('bad-request', schemaMessage(errors as unknown as SchemaError[], dataVar)),
  });

  // JSON only: a text/plain body gets a 415 saying so
  app.removeContentTypeParser('text/plain');

  const batcher = new Batcher<unknown, unknown>({
    maxBatchSize: options.maxBatchSize,
    maxBatchTokens: options.maxBatchTokens,
    passOverheadTokens: options.passOverheadTokens,
    maxWaitMs: options.maxWaitMs,
    maxQueue: options.maxQueue,
    observer: metrics.observer,
    run: async (items, callOptions) => {
      if (runner === undefined) throw new ServerError('not-ready', 'the model is not loaded');
      return runner.run(items, callOptions);
    },
  });

  const ctx: ServerContext = {
    options,
    adapter,
    batcher,
    metrics,
    state: () => state,
    failure: () => failureReason,
    limits: () => {
      if (limits === undefined) throw new ServerError('not-ready', 'the model is still loading', { retryAfter: 1 });
      return limits;
    },
    hiddenSize: () => (runner as ModelRunner).hiddenSize,
  };

  app.setErrorHandler((err, request, reply) => {
    const res = errorResponse(err, options.bodyLimit);
    if (res.unexpected) request.log.error({ err }, 'request failed');
    if (res.retryAfter !== undefined) reply.header('retry-after', String(res.retryAfter));
    reply.code(res.status).send(res.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const routes = [
      `POST /v1/${options.task}`,
      ...(options.task === 'feature-extraction' ? ['POST /v1/embeddings'] : []),
      'GET /health',
      'GET /ready',
      'GET /metrics',
    ];
    reply.code(404).send({
      error: `no route ${request.method} ${request.url}; this server has ${routes.join(', ')}`,
      code: 'not-found',
    });
  });
  // while draining, new requests get a 503 at once (the in-flight ones are answered)
  app.addHook('onRequest', async (request) => {
    if (state === 'draining' && request.url !== '/health' && request.url !== '/metrics') requireReady(ctx);
  });
  // responses sent while draining close their connection, so the drain ends when the last one is out
  app.addHook('onSend', async (_request, reply, payload) => {
    if (state === 'draining') reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, status: String(reply.statusCode) });
    metrics.requestSeconds.observe({ route }, reply.elapsedTime / 1000);
  });

  registerProbes(app, ctx);
  registerTaskRoute(app, ctx);
  if (options.task === 'feature-extraction') registerEmbeddingsRoute(app, ctx);

  const loaded = (async () => {
    const started = performance.now();
    const shown = new Map<string, number>();
    const onProgress = ({ file, loaded: bytes, total }: LoadProgress) => {
      // one log line per quarter of each file (and its end)
      const fraction = total ? bytes / total : 0;
      const last = shown.get(file) ?? -1;
      if (fraction >= 1 || fraction - last >= PROGRESS_STEP) {
        shown.set(file, fraction);
        app.log.info({ file, loaded: bytes, total: total ?? null }, 'loading model file');
      }
    };
    const warn = (message: string) => app.log.warn(message);
    const pipelineOptions = {
      ...options.pipelineOptions,
      batchSize: options.maxBatchSize,
      ...(options.backend !== undefined && { backend: options.backend }),
    };
    if (options.pipeline !== undefined) {
      runner = localRunner(options.pipeline, true);
    } else {
      const model = options.model ?? (await defaultModelFor(options.task));
      app.log.info(
        {
          task: options.task,
          model: typeof model === 'string' ? model : model.description,
          worker: options.worker && typeof model === 'string',
        },
        'loading model',
      );
      if (options.worker && typeof model === 'string') {
        runner = await startProcessRunner({
          task: options.task,
          model,
          pipelineOptions: pipelineOptions as Record<string, unknown>,
          onProgress,
          warn,
          onExit: (reason) => {
            // the batch it was computing fails (500, process-runner); the queued requests never ran:
            // 503, so a load balancer retries them on another replica
            failureReason = reason;
            const wasDraining = state === 'draining';
            state = 'failed';
            metrics.ready.set(0);
            const err = new ServerError('shutting-down', `${reason}; this replica is stopping: retry on another one`, {
              retryAfter: 1,
            });
            const queued = batcher.depth;
            batcher.rejectQueued(err);
            app.log.error({ reason, queued }, 'the model process died: the server cannot answer any more');
            if (!wasDraining) fail(err);
          },
        });
      } else {
        const pipe = await pipeline(options.task, model, { ...pipelineOptions, onProgress, warn } as never);
        runner = localRunner(pipe as unknown as AnyPipeline, true);
      }
    }
    if (closing !== undefined) {
      // closed while loading: nothing will use the model
      await runner.dispose();
      return;
    }
    limits = {
      tokenizer: runner.tokenizer,
      maxLength: Math.min(runner.maxPositionEmbeddings, runner.tokenizer.modelMaxLength ?? Number.POSITIVE_INFINITY),
    };
    if (options.warmup) await runner.run(adapter.warmup.items, adapter.warmup.options);
    if (state === 'loading') {
      state = 'ready';
      metrics.ready.set(1);
    }
    app.log.info(
      {
        task: options.task,
        seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
        backend: runner.backend,
      },
      'model ready',
    );
  })();
  loaded.catch((err: unknown) => {
    if (state === 'loading') state = 'failed';
    app.log.error({ err }, 'the model failed to load');
  });

  const close = (): Promise<void> => {
    closing ??= (async () => {
      const wasLoading = state === 'loading';
      state = 'draining';
      metrics.ready.set(0);
      app.log.info({ queued: batcher.depth }, 'draining: answering the requests already in, then stopping');
      const drained = Promise.all([app.close(), batcher.drain()]);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = await Promise.race([
        drained.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), options.drainTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        // what is still queued or computing is abandoned: each gets a 503 (retry on another replica),
        // the model process is stopped mid-batch, and the connections close once the 503s are out
        const abandoned = batcher.abandon(
          new ServerError(
            'shutting-down',
            `the server shut down (drain timeout ${options.drainTimeoutMs} ms) before this request was answered; retry on another replica`,
            { retryAfter: 1 },
          ),
        );
        app.log.warn(
          { abandoned, drainTimeoutMs: options.drainTimeoutMs },
          `drain timeout: ${abandoned} requests not finished, answered 503`,
        );
        await runner?.kill?.();
        let grace: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([drained, new Promise((resolve) => (grace = setTimeout(resolve, 1000)))]);
        clearTimeout(grace);
        app.server.closeAllConnections();
        await drained;
      }
      if (!wasLoading) {
        await loaded.catch(() => undefined);
        await runner?.dispose();
      }
      state = 'closed';
      app.log.info('stopped');
    })();
    return closing;
  };

  return {
    app,
    options,
    metrics,
    get state() {
      return state;
    },
    async listen() {
      return app.listen({ host: options.host, port: options.port });
    },
    ready: () => loaded,
    failure,
    close,
  };
}
