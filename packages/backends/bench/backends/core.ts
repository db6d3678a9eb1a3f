// @albert-ts/core, loaded from the workspace. backends cannot depend on core (core depends
// on backends), so the benchmark imports core's entry point by path; scripts/bench.mjs runs
// workspace packages from src/. Only the surface the benchmark uses is typed here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as tf from '@tensorflow/tfjs-core';

export interface CoreModel {
  readonly params: Map<string, tf.Variable>;
  forward(
    inputs: { inputIds: tf.Tensor2D; attentionMask?: tf.Tensor2D; tokenTypeIds?: tf.Tensor2D },
    options?: { training?: boolean; seed?: number },
  ): { lastHiddenState: tf.Tensor3D; poolerOutput?: tf.Tensor2D };
  dispose(): void;
}
export interface CoreConfig {
  toJSON(): Record<string, unknown>;
}
export interface Core {
  AlbertModel: {
    new (config: CoreConfig, options?: { seed?: number; dtype?: 'fp32' | 'q8' | 'bf16' }): CoreModel;
    fromPretrained(
      source: string,
      options?: { warn?: (m: string) => void; dtype?: 'fp32' | 'q8' | 'bf16' },
    ): Promise<CoreModel>;
  };
  AlbertConfig: { fromJSON(json: unknown): CoreConfig };
  albertPreset(name: string): CoreConfig;
  parseSafetensors(bytes: Uint8Array): {
    tensors: Map<string, { dtype: string; shape: number[]; data: Float32Array | Int32Array | unknown }>;
  };
}

export async function loadCore(repoRoot: string): Promise<Core> {
  const entry = join(repoRoot, 'packages', 'core', 'src', 'index.ts');
  if (!existsSync(entry)) throw new Error(`@albert-ts/core not found at ${entry}`);
  const core = (await import(pathToFileURL(entry).href)) as Partial<Core>;
  if (core.AlbertModel == null || core.AlbertConfig == null || core.albertPreset == null) {
    throw new Error('@albert-ts/core does not export AlbertModel, AlbertConfig and albertPreset yet');
  }
  return core as Core;
}
