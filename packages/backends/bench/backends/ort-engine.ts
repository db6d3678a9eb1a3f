// ONNX Runtime (onnxruntime-node, the engine transformers.js uses) running the ONNX export of
// the base-shape fixture (/work/shared/fixtures/onnx/albert-base-shape/model.onnx).
import type { BenchInputs } from './inputs.js';

export interface OrtEngine {
  run(inputs: BenchInputs): Promise<Float32Array>; // last_hidden_state, flattened
  release(): Promise<void>;
}

export async function createOrtEngine(modelPath: string, threads: number): Promise<OrtEngine> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const i64 = (a: Int32Array) => BigInt64Array.from(a, (v) => BigInt(v));
  return {
    async run({ batch, seq, inputIds, attentionMask, tokenTypeIds }) {
      const dims = [batch, seq];
      const out = await session.run({
        input_ids: new ort.Tensor('int64', i64(inputIds), dims),
        attention_mask: new ort.Tensor('int64', i64(attentionMask), dims),
        token_type_ids: new ort.Tensor('int64', i64(tokenTypeIds), dims),
      });
      return out.last_hidden_state?.data as Float32Array;
    },
    release: () => session.release(),
  };
}
