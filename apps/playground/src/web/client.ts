// The page side of the worker: one request, one promise; progress, notices and training steps for
// that request go to the handlers given with it.
import { WorkerTaskError } from '../errors.js';
import type { FromWorker, LoadEvent, Request, ToWorker, TrainStep } from './protocol.js';

export interface RequestHandlers {
  onProgress?: (task: string, progress: LoadEvent) => void;
  onNotice?: (message: string) => void;
  onStep?: (step: TrainStep) => void;
}

type Pending = RequestHandlers & { resolve: (v: unknown) => void; reject: (e: unknown) => void };

export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Handlers every request's events also go to (the model card's progress list). */
  readonly global: RequestHandlers = {};

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.receive(event.data));
  }

  request<T>(request: Request, handlers: RequestHandlers = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { ...handlers, resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id } as ToWorker);
    });
  }

  private receive(m: FromWorker): void {
    const p = this.pending.get(m.id);
    switch (m.type) {
      case 'progress':
        p?.onProgress?.(m.task, m.progress);
        this.global.onProgress?.(m.task, m.progress);
        return;
      case 'notice':
        p?.onNotice?.(m.message);
        this.global.onNotice?.(m.message);
        return;
      case 'train-step':
        p?.onStep?.(m.step);
        return;
      case 'result':
        this.pending.delete(m.id);
        p?.resolve(m.value);
        return;
      case 'error':
        this.pending.delete(m.id);
        p?.reject(new WorkerTaskError(m.error));
    }
  }
}
