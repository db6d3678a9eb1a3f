// Hugging Face's inputs and outputs for the tiny fixtures (test/fixtures/hf-io, copied from the
// project's shared hf-albert cases: transformers' ALBERT classes in PyTorch on the same weights).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSafetensors, type SafetensorsFile } from '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { FIXTURES } from './fixtures.js';

export type HfCase = 'tiny-seqcls' | 'tiny-tokcls' | 'tiny-qa' | 'tiny-mc' | 'tiny-pretraining';

/** The tolerance of the shared fixtures' meta.json for logits and hidden states. */
export const LOGITS_TOLERANCE = { atol: 1e-4, rtol: 1e-4 };

export function readIo(name: HfCase): SafetensorsFile {
  return parseSafetensors(new Uint8Array(readFileSync(join(FIXTURES, 'hf-io', `${name}.io.safetensors`))));
}

/** An io tensor as a tf tensor (I32 → int32), in its stored shape. */
export function ioTensor(io: SafetensorsFile, key: string): tf.Tensor {
  const e = io.tensors.get(key);
  if (e == null) throw new Error(`io.safetensors has no ${key}`);
  return tf.tensor(e.data as Float32Array | Int32Array, e.shape, e.dtype === 'I32' ? 'int32' : 'float32');
}

/** The model inputs of a case: inputIds, attentionMask, tokenTypeIds. */
export function ioInputs(io: SafetensorsFile): Record<'inputIds' | 'attentionMask' | 'tokenTypeIds', tf.Tensor> {
  return {
    inputIds: ioTensor(io, 'input_ids'),
    attentionMask: ioTensor(io, 'attention_mask'),
    tokenTypeIds: ioTensor(io, 'token_type_ids'),
  };
}

/** Fails naming `what` unless `ours` has HF's shape and every value within |ours - ref| <= atol + rtol*|ref|. */
export function expectLikeHf(what: string, ours: tf.Tensor, io: SafetensorsFile, key: string): void {
  const ref = io.tensors.get(key);
  if (ref == null) throw new Error(`io.safetensors has no ${key}`);
  expect(ours.shape, `${what}: shape`).toEqual(ref.shape);
  const values = ours.dataSync();
  const { atol, rtol } = LOGITS_TOLERANCE;
  const bad = [...(ref.data as Float32Array)].findIndex(
    (r, i) => !(Math.abs((values[i] as number) - r) <= atol + rtol * Math.abs(r)),
  );
  expect(bad, `${what}: element ${bad} is ${values[bad]}, HF's ${(ref.data as Float32Array)[bad]}`).toBe(-1);
}
