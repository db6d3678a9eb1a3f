// The engines `pnpm bench backends` compares on the ALBERT-base shape, each built the same way
// whether it runs interleaved with the others in one process or alone in its own
// (backends/solo.ts): our native backend in fp32, q8 and bf16, tfjs wasm and cpu, and ONNX
// Runtime on the fp32 export and on the int8 model transformers.js ships (model_quantized.onnx).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, initBackend } from '../../src/index.js';
import { loadNativeAddon } from '../../src/native/addon.js';
import type { Core, CoreModel } from './core.js';
import type { BenchInputs } from './inputs.js';
import { lowPrecisionIsa, ortIsa } from './isa-paths.js';
import { createOrtEngine } from './ort-engine.js';
import { forwardOnce, type TfjsInputs, toTensors } from './tfjs-engine.js';

export type EngineName = 'onnxruntime' | 'onnxruntime int8' | 'native q8' | 'native bf16' | BackendName;

export interface BenchPaths {
  weightsDir: string;
  onnxPath: string;
  onnxInt8Path: string;
}

/** The shared fixtures: $ALBERT_TS_SHARED/fixtures (default: ../shared beside the repo). */
export function benchPaths(repoRoot: string): BenchPaths {
  const shared = join(process.env.ALBERT_TS_SHARED ?? join(repoRoot, '..', 'shared'), 'fixtures');
  const onnxDir = join(shared, 'onnx', 'albert-base-shape');
  return {
    weightsDir: join(shared, 'hf-albert', 'base-shape'),
    onnxPath: join(onnxDir, 'model.onnx'),
    onnxInt8Path: join(onnxDir, 'model_quantized.onnx'),
  };
}

export interface Engine {
  name: EngineName;
  threads: number;
  /** The instruction path its products run on, as far as it can be known. */
  isa: string;
  /** Makes this engine's backend current (outside the timed region). */
  activate(): Promise<void>;
  /** One forward of `inputs` (created for this engine once per input set), last_hidden_state flattened. */
  run(inputs: BenchInputs): Promise<Float32Array>;
  /** The same inside the user's `tf.tidy(() => model.forward(…).lastHiddenState.dataSync())` (ORT: run). */
  runTidy(inputs: BenchInputs): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Which engines exist here (fixtures present, backends available). */
export function engineNames(paths: BenchPaths, backends: BackendName[]): EngineName[] {
  const names: EngineName[] = [];
  if (existsSync(paths.onnxPath)) names.push('onnxruntime');
  if (existsSync(paths.onnxInt8Path)) names.push('onnxruntime int8');
  if (backends.includes('native')) names.push('native', 'native q8', 'native bf16');
  for (const b of ['wasm', 'cpu'] as const) if (backends.includes(b)) names.push(b);
  return names;
}

export async function createEngine(name: EngineName, core: Core, paths: BenchPaths, threads: number): Promise<Engine> {
  if (name === 'onnxruntime' || name === 'onnxruntime int8') {
    const file = name === 'onnxruntime' ? paths.onnxPath : paths.onnxInt8Path;
    const o = await createOrtEngine(file, threads);
    return {
      name,
      threads,
      isa: ortIsa(name === 'onnxruntime int8'),
      activate: async () => {},
      run: (x) => o.run(x),
      runTidy: (x) => o.run(x),
      release: () => o.release(),
    };
  }
  const backend: BackendName = name === 'native q8' || name === 'native bf16' ? 'native' : name;
  const dtype = name === 'native q8' ? 'q8' : name === 'native bf16' ? 'bf16' : 'fp32';
  const report = await initBackend({ prefer: backend, quiet: true });
  const haveWeights = existsSync(join(paths.weightsDir, 'model.safetensors'));
  const model: CoreModel = haveWeights
    ? await core.AlbertModel.fromPretrained(paths.weightsDir, { warn: () => {}, dtype })
    : new core.AlbertModel(core.albertPreset('albert-base-v2'), { seed: 1, dtype });
  const tensors = new Map<BenchInputs, TfjsInputs>();
  const inputsFor = (x: BenchInputs) => {
    let t = tensors.get(x);
    if (t == null) tensors.set(x, (t = toTensors(x)));
    return t;
  };
  let isa = backend === 'native' ? loadNativeAddon().info().isa : backend === 'wasm' ? 'wasm simd' : 'js';
  if (dtype !== 'fp32') isa = lowPrecisionIsa(dtype);
  return {
    name,
    threads: report.threads,
    isa,
    activate: async () => {
      if (tf.getBackend() !== backend) await tf.setBackend(backend);
    },
    run: (x) => forwardOnce(model, inputsFor(x)),
    runTidy: async (x) => {
      const t = inputsFor(x);
      return tf.tidy(() => model.forward(t).lastHiddenState.dataSync() as Float32Array);
    },
    release: async () => {
      for (const t of tensors.values()) tf.dispose([t.inputIds, t.attentionMask, t.tokenTypeIds]);
      model.dispose();
    },
  };
}
