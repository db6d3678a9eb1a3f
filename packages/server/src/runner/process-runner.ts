// The server's side of the model process (model-process.ts): start it, relay its load progress and
// warnings, send it batches, turn its errors back into PipelineErrors (a 400 stays a 400). If the
// process dies, every pending batch fails and `onExit` tells the server.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer, isPipelineErrorCode, type LoadProgress, PipelineError } from 'albert-ts';
import { ServerError } from '../errors.js';
import type { FromModel, ModelError, ToModel } from './messages.js';
import type { ModelRunner } from './runner.js';

function rebuild(error: ModelError): Error {
  if (error.name === 'PipelineError' && isPipelineErrorCode(error.code)) {
    return new PipelineError(error.code, error.message);
  }
  return new ServerError('internal', `the model process failed: ${error.name}: ${error.message}`);
}

/** The compiled model-process.js beside this file, or the .ts source run through tsx. */
function forkModelProcess(): ChildProcess {
  const js = fileURLToPath(new URL('./model-process.js', import.meta.url));
  const options = { serialization: 'advanced' as const, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as const };
  if (existsSync(js)) return fork(js, [], { ...options, stdio: [...options.stdio] });
  const ts = fileURLToPath(new URL('./model-process.ts', import.meta.url));
  return fork(ts, [], {
    ...options,
    stdio: [...options.stdio],
    execArgv: ['--conditions=@albert-ts/source', '--import', 'tsx'],
  });
}

export interface ProcessRunnerOptions {
  task: string;
  model: string;
  /** pipeline() options: plain data only (no functions). */
  pipelineOptions: Record<string, unknown>;
  onProgress(progress: LoadProgress): void;
  warn(message: string): void;
  /** The model process ended when it should not have (the server can no longer answer). */
  onExit(reason: string): void;
}

export async function startProcessRunner(o: ProcessRunnerOptions): Promise<ModelRunner> {
  const child = forkModelProcess();
  const send = (message: ToModel) => child.send(message);
  const pending = new Map<number, { resolve(r: unknown[]): void; reject(e: unknown): void }>();
  let nextId = 1;
  let disposing = false;
  let loaded!: { resolve(m: Extract<FromModel, { type: 'ready' }>): void; reject(e: unknown): void };
  const ready = new Promise<Extract<FromModel, { type: 'ready' }>>((resolve, reject) => {
    loaded = { resolve, reject };
  });
  child.on('message', (m: FromModel) => {
    switch (m.type) {
      case 'progress':
        o.onProgress(m.progress);
        break;
      case 'warn':
        o.warn(m.message);
        break;
      case 'ready':
        loaded.resolve(m);
        break;
      case 'result':
        pending.get(m.id)?.resolve(m.results);
        pending.delete(m.id);
        break;
      case 'error':
        if (m.id === null) loaded.reject(rebuild(m.error));
        else {
          pending.get(m.id)?.reject(rebuild(m.error));
          pending.delete(m.id);
        }
        break;
    }
  });
  // set when the process has gone: a batch sent after that fails at once
  let gone: string | undefined;
  // a send to a process that just died reports here (the exit handler answers its batch)
  child.on('error', (err) => o.warn(`the model process: ${err.message}`));
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      gone = `the model process ${disposing ? 'was stopped' : 'died'} (${signal ?? `exit code ${code}`})`;
      loaded.reject(new ServerError('internal', gone));
      for (const p of pending.values()) {
        p.reject(new ServerError('internal', `${gone} while computing the request; retry on another replica`));
      }
      pending.clear();
      if (!disposing) o.onExit(gone);
      resolve();
    }),
  );
  send({ type: 'init', init: { task: o.task, model: o.model, options: o.pipelineOptions } });
  // the tokenizer here too, for the cost of each request; it loads while the weights load there
  const { batchSize: _b, backend: _be, ...hubOptions } = o.pipelineOptions;
  let info: Extract<FromModel, { type: 'ready' }>;
  let tokenizer: Awaited<ReturnType<typeof AutoTokenizer.fromPretrained>>;
  try {
    [info, tokenizer] = await Promise.all([
      ready,
      AutoTokenizer.fromPretrained(o.model, hubOptions as never).catch(async (err: unknown) => {
        await ready; // the model process's error (no model, wrong architecture) says more: let it win
        throw err;
      }),
    ]);
  } catch (err) {
    disposing = true;
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
  return {
    tokenizer,
    hiddenSize: info.hiddenSize,
    maxPositionEmbeddings: info.maxPositionEmbeddings,
    backend: info.backend,
    run(items, options) {
      if (gone !== undefined) {
        return Promise.reject(
          new ServerError('internal', `${gone} while computing the request; retry on another replica`),
        );
      }
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ type: 'run', id, items, options });
      });
    },
    async kill() {
      disposing = true;
      if (gone === undefined) child.kill('SIGKILL');
      await exited;
    },
    async dispose() {
      disposing = true;
      if (gone !== undefined) return;
      send({ type: 'dispose' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
