// Dynamic batching: requests wait in a bounded queue; one batch runs at a time (the model computes
// on this thread); the next batch is planned from the queue (plan.ts) and runs as soon as it is full
// or its oldest request has waited maxWaitMs. While a batch runs, new requests gather, so under load
// batches fill by themselves and an idle server adds at most maxWaitMs to a request's latency.
// Every job's results go back to its own caller, in its own order.
import { ServerError } from '../errors.js';
import { type Cost, type Job, optionsKey } from './job.js';
import { type BatchLimits, type BatchPlan, planBatch } from './plan.js';

export interface BatchStats {
  requests: number;
  rows: number;
  paddedTokens: number;
  /** Real tokens of the batch's inputs. */
  tokens: number;
  /** Wall time of the pipeline call. */
  seconds: number;
  /** Per job: seconds between queueing and the batch's start. */
  waits: number[];
}

/** Hooks for metrics and logs. */
export interface BatchObserver {
  queue?(jobs: number, rows: number): void;
  batch?(stats: BatchStats): void;
  dropped?(reason: 'timeout' | 'client-closed' | 'queue-full' | 'shutting-down'): void;
}

export interface BatcherOptions<In, Out> extends BatchLimits {
  /** Longest time the oldest queued request waits for a batch to fill (ms). */
  maxWaitMs: number;
  /** Requests the queue holds (the running batch not counted); one more is refused with a 503. */
  maxQueue: number;
  /** Runs the pipeline on the inputs of a batch, with the options they share. */
  run(items: In[], options: Record<string, unknown>): Promise<Out[]>;
  observer?: BatchObserver;
}

export interface Submission<In> {
  items: In[];
  options: Record<string, unknown>;
  cost: Cost;
  /** Answer with a 504 if the results are not there within this many ms. */
  timeoutMs?: number;
}

interface QueuedJob<In, Out> extends Job<In, Out> {
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Resolves after the event loop has polled for I/O at least once. The forward pass holds the thread:
 * requests that arrived meanwhile sit unread in their sockets, and planning the next batch at once
 * would leave them out (batches of one under load). Two turns of setImmediate take the loop through
 * a poll phase, so they are parsed and queued first.
 */
function afterIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export class Batcher<In = unknown, Out = unknown> {
  private readonly queue: QueuedJob<In, Out>[] = [];
  /** The jobs of the batch computing now. */
  private inFlight: QueuedJob<In, Out>[] = [];
  private running = false;
  private flushing = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private idle: (() => void)[] = [];
  /** Rows per second of recent batches (exponential average), for Retry-After. */
  private rowsPerSecond = 0;

  constructor(private readonly options: BatcherOptions<In, Out>) {
    for (const name of ['maxBatchSize', 'maxBatchTokens', 'maxQueue'] as const) {
      const v = options[name];
      if (!Number.isInteger(v) || v < 1) {
        throw new ServerError('bad-option', `batcher: ${name} must be a positive integer, got ${v}`);
      }
    }
    if (!(options.maxWaitMs >= 0)) {
      throw new ServerError('bad-option', `batcher: maxWaitMs must be a number ≥ 0, got ${options.maxWaitMs}`);
    }
  }

  /** Queued requests (the running batch not counted). */
  get depth(): number {
    return this.queue.length;
  }

  get busy(): boolean {
    return this.running;
  }

  /** Queues `submission`; the promise gives its results. Throws a 503 ServerError when the queue is full. */
  submit(submission: Submission<In>): { job: Job<In, Out>; results: Promise<Out[]> } {
    if (this.queue.length >= this.options.maxQueue) {
      this.options.observer?.dropped?.('queue-full');
      throw new ServerError(
        'queue-full',
        `the server is at capacity (${this.queue.length} requests queued, the most it holds); retry after ${this.retryAfter()} s`,
        { retryAfter: this.retryAfter() },
      );
    }
    let settle!: { resolve: (r: Out[]) => void; reject: (e: unknown) => void };
    const results = new Promise<Out[]>((resolve, reject) => {
      settle = { resolve, reject };
    });
    let settled = false;
    const job: QueuedJob<In, Out> = {
      id: this.nextId++,
      items: submission.items,
      options: submission.options,
      key: optionsKey(submission.options),
      cost: submission.cost,
      enqueuedAt: performance.now(),
      timer: undefined,
      get settled() {
        return settled;
      },
      resolve(r) {
        if (settled) return;
        settled = true;
        clearTimeout(job.timer);
        settle.resolve(r);
      },
      reject(e) {
        if (settled) return;
        settled = true;
        clearTimeout(job.timer);
        settle.reject(e);
      },
    };
    if (submission.timeoutMs !== undefined) {
      const ms = submission.timeoutMs;
      job.timer = setTimeout(() => {
        this.remove(job);
        this.options.observer?.dropped?.('timeout');
        job.reject(
          new ServerError(
            'timeout',
            `the request was not answered within ${ms} ms; retry, or send fewer or shorter inputs`,
          ),
        );
      }, ms);
    }
    this.queue.push(job);
    this.reportQueue();
    this.pump();
    return { job, results };
  }

  /** The client went away: drop its queued work (a running batch finishes, its result is dropped). */
  cancel(job: Job<In, Out>): void {
    if (job.settled) return;
    this.remove(job as QueuedJob<In, Out>);
    this.options.observer?.dropped?.('client-closed');
    job.reject(new ServerError('client-closed', 'the client closed the connection before the answer'));
  }

  /** Seconds a refused client should wait: the queue's rows at the recent rate, between 1 and 60. */
  retryAfter(): number {
    const rows = this.queue.reduce((n, j) => n + j.cost.rows, 0);
    if (this.rowsPerSecond <= 0) return 1;
    return Math.min(60, Math.max(1, Math.ceil(rows / this.rowsPerSecond)));
  }

  /** Runs what is queued without waiting for batches to fill, and resolves when nothing is queued or running. */
  drain(): Promise<void> {
    this.flushing = true;
    this.pump();
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Answers every queued request with `err` (the running batch finishes). */
  rejectQueued(err: ServerError): void {
    for (const job of this.queue.splice(0)) {
      this.options.observer?.dropped?.('shutting-down');
      job.reject(err);
    }
    this.reportQueue();
    clearTimeout(this.timer);
    this.notifyIdle();
  }

  /**
   * Answers every unanswered request, queued or in the running batch, with `err` (the drain timed
   * out: the batch's results, if they ever come, are dropped). Returns how many were abandoned.
   */
  abandon(err: ServerError): number {
    const running = this.inFlight.filter((j) => !j.settled);
    for (const job of running) {
      this.options.observer?.dropped?.('shutting-down');
      job.reject(err);
    }
    const queued = this.queue.length;
    this.rejectQueued(err);
    return running.length + queued;
  }

  private remove(job: QueuedJob<In, Out>): void {
    const i = this.queue.indexOf(job);
    if (i < 0) return;
    this.queue.splice(i, 1);
    this.reportQueue();
    this.notifyIdle();
  }

  private reportQueue(): void {
    this.options.observer?.queue?.(
      this.queue.length,
      this.queue.reduce((n, j) => n + j.cost.rows, 0),
    );
  }

  private notifyIdle(): void {
    if (this.running || this.queue.length > 0) return;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const plan = planBatch(this.queue, this.options);
    const waited = performance.now() - (this.queue[0] as QueuedJob<In, Out>).enqueuedAt;
    if (!plan.full && !this.flushing && waited < this.options.maxWaitMs) {
      this.timer = setTimeout(() => this.pump(), Math.ceil(this.options.maxWaitMs - waited));
      return;
    }
    for (const job of plan.jobs) this.queue.splice(this.queue.indexOf(job), 1);
    this.reportQueue();
    this.running = true;
    void this.execute(plan)
      .then(afterIo)
      .finally(() => {
        this.running = false;
        this.pump();
        this.notifyIdle();
      });
  }

  private async execute(plan: BatchPlan<QueuedJob<In, Out>>): Promise<void> {
    const live = plan.jobs.filter((j) => !j.settled);
    if (live.length === 0) return;
    this.inFlight = live;
    const started = performance.now();
    const items = live.flatMap((j) => j.items);
    try {
      const results = await this.options.run(items, (live[0] as QueuedJob<In, Out>).options);
      let next = 0;
      for (const job of live) job.resolve(results.slice(next, (next += job.items.length)));
    } catch (err) {
      if (live.length === 1) {
        (live[0] as QueuedJob<In, Out>).reject(err);
      } else {
        // one request's bad input fails the whole call: run each alone so each gets its own answer
        for (const job of live) {
          if (job.settled) continue;
          try {
            job.resolve(await this.options.run(job.items, job.options));
          } catch (e) {
            job.reject(e);
          }
        }
      }
    }
    this.inFlight = [];
    const seconds = (performance.now() - started) / 1000;
    const rows = live.reduce((n, j) => n + j.cost.rows, 0);
    if (seconds > 0) {
      const rate = rows / seconds;
      this.rowsPerSecond = this.rowsPerSecond === 0 ? rate : 0.8 * this.rowsPerSecond + 0.2 * rate;
    }
    this.options.observer?.batch?.({
      requests: live.length,
      rows,
      paddedTokens: rows * Math.max(...live.map((j) => j.cost.length)),
      tokens: live.reduce((n, j) => n + j.cost.tokens, 0),
      seconds,
      waits: live.map((j) => (started - j.enqueuedAt) / 1000),
    });
  }
}
