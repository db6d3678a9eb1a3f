// Worker thread body for AlbertTokenizerPool: loads the model once, then encodes batches it is sent.
// Encodings go back with their ArrayBuffers transferred, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import { AlbertTokenizer, type AlbertTokenizerOptions } from '../albert/albert-tokenizer.js';
import type { Encoding } from '../albert/encoding.js';
import type { EncodeOptions, TextInput } from '../albert/sequence-encoder.js';

interface Task {
  id: number;
  inputs: TextInput[];
  options: EncodeOptions;
}

const { modelBytes, tokenizerOptions } = workerData as {
  modelBytes: Uint8Array;
  tokenizerOptions: AlbertTokenizerOptions;
};
const tokenizer = AlbertTokenizer.fromBytes(modelBytes, tokenizerOptions);
const port = parentPort;
if (port === null) throw new Error('encode-worker must run in a worker thread');

function buffersOf(e: Encoding, into: Set<ArrayBuffer>): void {
  for (const a of [e.inputIds, e.tokenTypeIds, e.attentionMask, e.specialTokensMask, e.offsets, e.sequenceIds]) {
    into.add(a.buffer as ArrayBuffer);
  }
  for (const o of e.overflow) buffersOf(o, into);
}

/**
 * All encodings of a chunk in one Int32Array (cheaper to send than thousands of small objects):
 * per encoding n, then inputIds, tokenTypeIds, attentionMask, specialTokensMask (n each), offsets
 * (2n), sequenceIds (n). Only for encodings without overflow windows.
 */
function pack(encodings: Encoding[]): Int32Array {
  let size = 0;
  for (const e of encodings) size += 1 + 7 * e.inputIds.length;
  const out = new Int32Array(size);
  let k = 0;
  for (const e of encodings) {
    const n = e.inputIds.length;
    out[k++] = n;
    out.set(e.inputIds, k);
    out.set(e.tokenTypeIds, k + n);
    out.set(e.attentionMask, k + 2 * n);
    out.set(e.specialTokensMask, k + 3 * n);
    out.set(e.offsets, k + 4 * n);
    out.set(e.sequenceIds, k + 6 * n);
    k += 7 * n;
  }
  return out;
}

port.on('message', (task: Task) => {
  try {
    const encodings = task.inputs.map((input) =>
      typeof input === 'string'
        ? tokenizer.encode(input, null, task.options)
        : tokenizer.encode(input[0], input[1], task.options),
    );
    if (encodings.every((e) => e.overflow.length === 0)) {
      const packed = pack(encodings);
      port.postMessage({ id: task.id, packed }, [packed.buffer as ArrayBuffer]);
      return;
    }
    const transfer = new Set<ArrayBuffer>();
    for (const e of encodings) buffersOf(e, transfer);
    port.postMessage({ id: task.id, encodings }, [...transfer]);
  } catch (e) {
    port.postMessage({ id: task.id, error: { name: (e as Error).name, message: (e as Error).message } });
  }
});
port.postMessage({ ready: true });
