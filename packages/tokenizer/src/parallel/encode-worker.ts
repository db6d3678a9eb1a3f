// Worker thread body for AlbertTokenizerPool: loads the model once, then encodes batches it is sent.
// Encodings go back with their ArrayBuffers transferred, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import { AlbertTokenizer, type AlbertTokenizerOptions } from '../albert/albert-tokenizer.js';
import type { Encoding } from '../albert/encoding.js';
import type { EncodeOptions, TextInput } from '../albert/sequence-encoder.js';
import { TokenizerInputError } from '../errors.js';

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
if (port === null) {
  throw new TokenizerInputError('encode-worker runs in a worker thread only: use AlbertTokenizerPool.create() instead');
}

function buffersOf(e: Encoding, into: Set<ArrayBuffer>): void {
  for (const a of [e.inputIds, e.tokenTypeIds, e.attentionMask, e.specialTokensMask, e.offsets, e.sequenceIds]) {
    into.add(a.buffer as ArrayBuffer);
  }
  for (const o of e.overflow) buffersOf(o, into);
}

port.on('message', (task: Task) => {
  try {
    if (!task.options.returnOverflowingTokens) {
      // the common case: one packed Int32Array, no objects per text
      const packed = tokenizer.encodeBatchPacked(task.inputs, task.options);
      port.postMessage({ id: task.id, packed }, [packed.buffer as ArrayBuffer]);
      return;
    }
    const encodings = task.inputs.map((input) =>
      typeof input === 'string'
        ? tokenizer.encode(input, null, task.options)
        : tokenizer.encode(input[0], input[1], task.options),
    );
    const transfer = new Set<ArrayBuffer>();
    for (const e of encodings) buffersOf(e, transfer);
    port.postMessage({ id: task.id, encodings }, [...transfer]);
  } catch (e) {
    port.postMessage({ id: task.id, error: { name: (e as Error).name, message: (e as Error).message } });
  }
});
port.postMessage({ ready: true });
