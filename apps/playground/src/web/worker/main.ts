// The page's Web Worker: the backend, the pipelines of the chosen model, the attention maps and the
// fine-tuning run all live here, so the page never computes on its main thread.
import { AlbertError } from 'albert-ts';
import { UsageError } from '../../errors.js';
import type { FromWorker, ModelSpec, ToWorker } from '../protocol.js';
import { attentionMaps, encoderFor, forgetEncoder } from './attention.js';
import { initWorkerBackend } from './backend.js';
import { disposePipelines, pipelineFor, resolveModel } from './models.js';
import { fineTune, labelIds, stopTraining, trainedFiles, tryTrained } from './train.js';

let spec: ModelSpec = { kind: 'catalog' };
let specVersion = 0;
let backendReady: Promise<unknown> | null = null;

const post = (message: FromWorker, transfer: Transferable[] = []) =>
  (self as unknown as { postMessage(m: FromWorker, t: Transferable[]): void }).postMessage(message, transfer);

async function sourceFor(task: string, id: number) {
  const resolved = await resolveModel(spec, task, (progress) =>
    post({ type: 'progress', id, task, model: 'model', progress }),
  );
  if (resolved.notice != null) post({ type: 'notice', id, message: resolved.notice });
  if (typeof resolved.source !== 'string') return resolved.source;
  const { openModelSource } = await import('albert-ts');
  return openModelSource(resolved.source);
}

async function handle(m: ToWorker): Promise<unknown> {
  if (m.type === 'init') {
    await disposePipelines();
    forgetEncoder();
    const ready = initWorkerBackend(m.backend);
    backendReady = ready;
    return ready;
  }
  if (backendReady == null) backendReady = initWorkerBackend('auto');
  await backendReady;
  switch (m.type) {
    case 'model':
      spec = m.spec;
      specVersion++;
      await disposePipelines();
      forgetEncoder();
      return null;
    case 'run': {
      const pipe = await pipelineFor(
        spec,
        m.task,
        (progress) => post({ type: 'progress', id: m.id, task: m.task, model: 'model', progress }),
        (message) => post({ type: 'notice', id: m.id, message }),
      );
      return pipe(m.input, m.options);
    }
    case 'attention': {
      if (m.text.trim() === '') throw new UsageError('type a sentence to see its attention');
      const encoder = await encoderFor(specVersion, () => sourceFor('fill-mask', m.id));
      return attentionMaps(encoder, m.text);
    }
    case 'train': {
      const names = labelIds(m.request.examples.map((e) => e.label));
      const examples = m.request.examples.map((e) => ({ text: e.text, label: names.indexOf(e.label) }));
      const source = await sourceFor('text-classification', m.id);
      return fineTune(source, { ...m.request, examples, labelNames: names }, (step) =>
        post({ type: 'train-step', id: m.id, step }),
      );
    }
    case 'stop-training':
      return stopTraining();
    case 'trained-files':
      return Object.fromEntries(trainedFiles());
    case 'try-trained':
      return tryTrained(m.texts);
  }
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  handle(m).then(
    (value) => post({ type: 'result', id: m.id, value }),
    (err: unknown) => {
      const e = err as { name?: string; code?: string; message?: string };
      if (!(err instanceof AlbertError)) console.error(err); // a bug: keep the stack in the console
      post({
        type: 'error',
        id: m.id,
        error: {
          name: e?.name ?? 'Error',
          message: e?.message ?? String(err),
          ...(typeof e?.code === 'string' && { code: e.code }),
        },
      });
    },
  );
});
