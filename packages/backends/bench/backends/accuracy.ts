// How far each engine's last_hidden_state is from Hugging Face's fp32 reference on the
// base-shape fixture's own input (batch 1 x 128 with padding, io.safetensors): max and rms of
// the difference, and the same against our own fp32 forward. ORT int8 (transformers.js's
// model_quantized.onnx) and our q8 / bf16 side by side.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from './core.js';
import type { Engine } from './engines.js';
import type { BenchInputs } from './inputs.js';

export interface Reference {
  inputs: BenchInputs;
  lastHiddenState: Float32Array;
  /** Positions whose attention_mask is 1 (padding rows are compared too, but reported apart). */
  realPositions: number;
}

export function loadReference(core: Core, weightsDir: string): Reference {
  const file = core.parseSafetensors(new Uint8Array(readFileSync(join(weightsDir, 'io.safetensors'))));
  const get = (name: string) => {
    const t = file.tensors.get(name);
    if (t == null) throw new Error(`${weightsDir}/io.safetensors has no ${name}`);
    return t;
  };
  const ids = get('input_ids');
  const [batch, seq] = ids.shape as [number, number];
  const mask = get('attention_mask').data as Int32Array;
  return {
    inputs: {
      batch,
      seq,
      inputIds: ids.data as Int32Array,
      attentionMask: mask,
      tokenTypeIds: get('token_type_ids').data as Int32Array,
    },
    lastHiddenState: get('last_hidden_state').data as Float32Array,
    realPositions: mask.reduce((a, b) => a + b, 0),
  };
}

export interface Diff {
  max: number;
  rms: number;
  /** Over the real (unpadded) positions only. */
  maxReal: number;
  rmsReal: number;
}

export function diff(a: Float32Array, b: Float32Array, ref: Reference): Diff {
  const hidden = a.length / (ref.inputs.batch * ref.inputs.seq);
  let max = 0;
  let se = 0;
  let maxReal = 0;
  let seReal = 0;
  let nReal = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (!(d <= max)) max = d;
    se += d * d;
    if (ref.inputs.attentionMask[Math.floor(i / hidden)] === 1) {
      if (!(d <= maxReal)) maxReal = d;
      seReal += d * d;
      nReal++;
    }
  }
  return { max, rms: Math.sqrt(se / a.length), maxReal, rmsReal: Math.sqrt(seReal / Math.max(nReal, 1)) };
}

/** Every engine's output on the reference input, compared with HF's and with `fp32Engine`'s. */
export async function accuracy(
  engines: Engine[],
  ref: Reference,
  fp32Engine: string,
): Promise<Record<string, { vsHf: Diff; vsOurFp32: Diff | null }>> {
  const outputs = new Map<string, Float32Array>();
  for (const e of engines) {
    await e.activate();
    outputs.set(e.name, await e.run(ref.inputs));
  }
  const ours = outputs.get(fp32Engine) ?? null;
  const out: Record<string, { vsHf: Diff; vsOurFp32: Diff | null }> = {};
  for (const [name, y] of outputs) {
    out[name] = { vsHf: diff(y, ref.lastHiddenState, ref), vsOurFp32: ours == null ? null : diff(y, ours, ref) };
  }
  return out;
}
