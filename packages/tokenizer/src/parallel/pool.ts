// AlbertTokenizerPool (Node only): the same tokenizer in N worker threads (and, if asked, in the
// calling thread too), for encoding big batches on every core. Inputs are cut into chunks of about
// `chunkChars` characters, handed to whichever thread is free, and the results put back in order;
// 'longest' padding is applied to the whole batch.

import { AlbertTokenizer, type AlbertTokenizerOptions } from '../albert/albert-tokenizer.js';
import type { Encoding } from '../albert/encoding.js';
import type { EncodeOptions, TextInput } from '../albert/sequence-encoder.js';
import { AlbertError, TokenizerInputError } from '../errors.js';

export interface PoolOptions extends AlbertTokenizerOptions {
  /** number of worker threads (default: os.availableParallelism(), minus one with mainThread) */
  workers?: number;
  /**
   * the calling thread encodes chunks too while it waits (default false: on a busy machine a
   * second thread fighting for the same cores was slower, see README)
   */
  mainThread?: boolean;
  /** characters of input per task (default 32768) */
  chunkChars?: number;
}

type WorkerLike = import('node:worker_threads').Worker;

interface Pending {
  resolve: (encodings: Encoding[]) => void;
  reject: (error: Error) => void;
}

export class AlbertTokenizerPool {
  /** a tokenizer in this thread, for padding and small jobs */
  readonly tokenizer: AlbertTokenizer;
  readonly size: number;
  private readonly workers: WorkerLike[];
  private readonly chunkChars: number;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  private readonly mainThread: boolean;

  private constructor(tokenizer: AlbertTokenizer, workers: WorkerLike[], chunkChars: number, mainThread: boolean) {
    this.tokenizer = tokenizer;
    this.mainThread = mainThread;
    this.workers = workers;
    this.size = workers.length;
    this.chunkChars = chunkChars;
    for (const w of workers) {
      w.on(
        'message',
        (msg: {
          id: number;
          encodings?: Encoding[];
          packed?: Int32Array;
          error?: { name: string; message: string };
        }) => {
          const p = this.pending.get(msg.id);
          if (p === undefined) return;
          this.pending.delete(msg.id);
          if (msg.error !== undefined) p.reject(new TokenizerInputError(msg.error.message));
          else p.resolve(msg.packed !== undefined ? unpack(msg.packed) : (msg.encodings as Encoding[]));
        },
      );
      w.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(new AlbertError(`tokenizer worker failed: ${err.message}`));
        this.pending.clear();
      });
    }
  }

  /** Starts the workers; each loads the model from `modelBytes` (a `.model` file's bytes). */
  static async create(modelBytes: Uint8Array, options: PoolOptions = {}): Promise<AlbertTokenizerPool> {
    const { Worker } = await import('node:worker_threads');
    const os = await import('node:os');
    const { workers: requested, chunkChars, mainThread = false, ...tokenizerOptions } = options;
    const tokenizer = AlbertTokenizer.fromBytes(modelBytes, tokenizerOptions);
    const n = requested ?? Math.max(1, os.availableParallelism() - (mainThread ? 1 : 0));
    if (!Number.isInteger(n) || n < 1) throw new TokenizerInputError(`workers must be a positive integer, got ${n}`);
    // Running from TypeScript sources (tests, benchmarks), the worker registers the tsx loader
    // before importing its .ts body and resolves workspace packages (@albert-ts/common) to their
    // sources; from the built package it runs the .js body directly.
    const fromSource = import.meta.url.endsWith('.ts');
    const body = new URL(fromSource ? './encode-worker.ts' : './encode-worker.js', import.meta.url);
    let entry: URL | string = body;
    if (fromSource) {
      const { createRequire } = await import('node:module');
      const { pathToFileURL } = await import('node:url');
      const { dirname, join } = await import('node:path');
      const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
      const tsx = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
      entry = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(body.href)}); });`;
    }
    const workers: WorkerLike[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const w = new Worker(entry, {
        eval: fromSource,
        workerData: { modelBytes, tokenizerOptions },
        ...(fromSource ? { execArgv: [...process.execArgv, '--conditions=@albert-ts/source'] } : {}),
      });
      ready.push(
        new Promise((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', (e) =>
            reject(new AlbertError(`tokenizer worker failed to start: ${e.message}`, { cause: e })),
          );
        }),
      );
      workers.push(w);
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new AlbertTokenizerPool(tokenizer, workers, chunkChars ?? 32768, mainThread);
  }

  /** Starts the workers on a `.model` file. */
  static async fromFile(path: string, options: PoolOptions = {}): Promise<AlbertTokenizerPool> {
    const { readFile } = await import('node:fs/promises');
    return AlbertTokenizerPool.create(new Uint8Array(await readFile(path)), options);
  }

  /** Encodes every input across the workers; same result as tokenizer.encodeBatch. */
  async encodeBatch(inputs: readonly TextInput[], options: EncodeOptions = {}): Promise<Encoding[]> {
    if (this.closed) throw new AlbertError('this AlbertTokenizerPool is closed');
    const { padding, padToMultipleOf, paddingSide, ...perText } = options;
    // chunks of about chunkChars characters
    const chunks: TextInput[][] = [];
    let current: TextInput[] = [];
    let chars = 0;
    for (const input of inputs) {
      current.push(input);
      chars += typeof input === 'string' ? input.length : input[0].length + input[1].length;
      if (chars >= this.chunkChars) {
        chunks.push(current);
        current = [];
        chars = 0;
      }
    }
    if (current.length > 0) chunks.push(current);
    // each worker takes the next chunk when it finishes one
    const results: Encoding[][] = new Array(chunks.length);
    let next = 0;
    const runWorker = async (w: WorkerLike) => {
      while (next < chunks.length) {
        const index = next++;
        results[index] = await new Promise<Encoding[]>((resolve, reject) => {
          const id = this.nextId++;
          this.pending.set(id, { resolve, reject });
          w.postMessage({ id, inputs: chunks[index], options: perText });
        });
      }
    };
    // the calling thread takes chunks too, yielding between them so worker results come in
    const runHere = async () => {
      while (next < chunks.length) {
        const index = next++;
        results[index] = (chunks[index] as TextInput[]).map((input) =>
          typeof input === 'string'
            ? this.tokenizer.encode(input, null, perText)
            : this.tokenizer.encode(input[0], input[1], perText),
        );
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    // two tasks in flight per worker, so a worker never waits for the main thread between chunks
    const loops = this.workers.flatMap((w) => [runWorker(w), runWorker(w)]);
    if (this.mainThread) loops.push(runHere());
    await Promise.all(loops);
    const encodings = results.flat();
    if (padding !== undefined) {
      this.tokenizer.padBatch(encodings, { ...options, padding, padToMultipleOf, paddingSide });
    }
    return encodings;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Views into one packed chunk (see SequenceEncoder.encodeBatchPacked). */
function unpack(packed: Int32Array): Encoding[] {
  const out: Encoding[] = [];
  for (let k = 0; k < packed.length; ) {
    const n = packed[k++] as number;
    out.push({
      inputIds: packed.subarray(k, k + n),
      tokenTypeIds: packed.subarray(k + n, k + 2 * n),
      attentionMask: packed.subarray(k + 2 * n, k + 3 * n),
      specialTokensMask: packed.subarray(k + 3 * n, k + 4 * n),
      offsets: packed.subarray(k + 4 * n, k + 6 * n),
      sequenceIds: new Int8Array(packed.subarray(k + 6 * n, k + 7 * n)),
      overflow: [],
    });
    k += 7 * n;
  }
  return out;
}
