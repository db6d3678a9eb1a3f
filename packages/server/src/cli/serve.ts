// `albert serve` / `albert-serve`: parse the command line, start the server, and stop it gracefully
// on SIGTERM or SIGINT (drain, exit 0). A second signal exits at once (code 1); so does a model
// process that dies (the in-flight requests answered 500, the queued ones 503, then exit 1).
import { TASKS, type TaskName } from 'albert-ts';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULTS, type ServerOptions } from '../options.js';
import { createServer } from '../server.js';

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

interface CliOptions {
  model?: string;
  task: TaskName;
  host: string;
  port: number;
  maxBatchSize: number;
  maxBatchTokens: number;
  passOverheadTokens: number;
  maxWaitMs: number;
  maxQueue: number;
  timeoutMs: number;
  readTimeoutMs: number;
  bodyLimit: number;
  maxInputs: number;
  drainTimeoutMs: number;
  backend?: string;
  embeddingPooling: 'mean' | 'cls';
  warmup: boolean;
  worker: boolean;
  logLevel: string;
}

/** The `serve` command (commander), to add to a CLI: program.addCommand(createServeCommand()). */
export function createServeCommand(name = 'serve'): Command {
  return new Command(name)
    .description(
      'Serve a model over HTTP: POST /v1/<task> (Hugging Face Inference API shapes), /v1/embeddings (OpenAI), /health, /ready, /metrics',
    )
    .addOption(new Option('--task <task>', 'the task to serve').choices(TASKS).makeOptionMandatory())
    .option('--model <folder|url|hub-id>', 'the model (default: the embedded default model)')
    .option('--host <host>', 'interface to listen on (0.0.0.0 in a container)', DEFAULTS.host)
    .option('--port <port>', 'port (0: any free port)', integer(0), DEFAULTS.port)
    .option('--max-batch-size <rows>', 'model input rows per batch', integer(1), DEFAULTS.maxBatchSize)
    .option(
      '--max-batch-tokens <tokens>',
      'padded tokens per batch (rows × longest row)',
      integer(1),
      DEFAULTS.maxBatchTokens,
    )
    .option(
      '--pass-overhead-tokens <tokens>',
      'cost of a forward pass beyond its tokens: requests of very different lengths run in separate passes when that saves more padding',
      integer(0),
      DEFAULTS.passOverheadTokens,
    )
    .option('--max-wait-ms <ms>', 'longest wait for a batch to fill (0: no wait)', integer(0), DEFAULTS.maxWaitMs)
    .option(
      '--max-queue <requests>',
      'requests waiting for a batch; more get 503 + Retry-After',
      integer(1),
      DEFAULTS.maxQueue,
    )
    .option('--timeout-ms <ms>', 'a request not answered in this time gets 504', integer(1), DEFAULTS.requestTimeoutMs)
    .option(
      '--read-timeout-ms <ms>',
      'a client must send its request within this time, or gets 408',
      integer(1),
      DEFAULTS.readTimeoutMs,
    )
    .option('--body-limit <bytes>', 'largest request body; larger gets 413', integer(1), DEFAULTS.bodyLimit)
    .option('--max-inputs <n>', 'most inputs in one request', integer(1), DEFAULTS.maxInputs)
    .option(
      '--drain-timeout-ms <ms>',
      'on SIGTERM, longest wait for in-flight requests',
      integer(1),
      DEFAULTS.drainTimeoutMs,
    )
    .option('--backend <name>', 'tfjs backend: native, wasm or cpu (default: the best available)')
    .addOption(
      new Option('--embedding-pooling <pooling>', '/v1/embeddings pooling')
        .choices(['mean', 'cls'])
        .default(DEFAULTS.embeddingPooling),
    )
    .option('--no-warmup', 'say ready without running a first request')
    .option('--no-worker', 'compute in the server process instead of a worker process')
    .addOption(
      new Option('--log-level <level>', 'JSON log level')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info'),
    )
    .action(async (o: CliOptions) => {
      await run(o);
    });
}

async function run(o: CliOptions): Promise<void> {
  const options: ServerOptions = {
    task: o.task,
    ...(o.model !== undefined && { model: o.model }),
    host: o.host,
    port: o.port,
    maxBatchSize: o.maxBatchSize,
    maxBatchTokens: o.maxBatchTokens,
    passOverheadTokens: o.passOverheadTokens,
    maxWaitMs: o.maxWaitMs,
    maxQueue: o.maxQueue,
    requestTimeoutMs: o.timeoutMs,
    readTimeoutMs: o.readTimeoutMs,
    bodyLimit: o.bodyLimit,
    maxInputs: o.maxInputs,
    drainTimeoutMs: o.drainTimeoutMs,
    ...(o.backend !== undefined && { backend: o.backend as ServerOptions['backend'] }),
    embeddingPooling: o.embeddingPooling,
    warmup: o.warmup,
    worker: o.worker,
    logger: { level: o.logLevel },
  };
  const server = createServer(options);
  let signalled = false;
  const stop = (signal: NodeJS.Signals) => {
    if (signalled) {
      server.app.log.warn({ signal }, 'second signal: exiting without draining');
      process.exit(1);
    }
    signalled = true;
    server.app.log.info({ signal }, 'signal received');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.app.log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // the model process died: answer what can be answered, then exit 1 so the orchestrator restarts us
  void server.failure.then(async () => {
    if (signalled) return;
    signalled = true;
    await server.close().catch(() => undefined);
    process.exit(1);
  });
  await server.listen();
  try {
    await server.ready();
  } catch {
    // the load failure is in the log; an orchestrator restarts the process
    await server.close().catch(() => undefined);
    process.exit(1);
  }
}

/** Runs `albert-serve` with `argv` (the arguments after the command name). */
export async function serve(argv: string[] = process.argv.slice(2)): Promise<void> {
  await createServeCommand('albert-serve').parseAsync(argv, { from: 'user' });
}
