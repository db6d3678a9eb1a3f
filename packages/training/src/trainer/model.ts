// What the Trainer needs of a model, typed structurally so AlbertForPreTraining, the task heads of
// @albert-ts/heads and any user model fit without a common base class.
import type * as tf from '@tensorflow/tfjs-core';

/** The options the Trainer always passes to forward (plus the user's `forwardOptions`). */
export type TrainForwardOptions = {
  training: boolean;
  /** Seed of this micro-batch's dropout masks, derived from the trainer seed and the step. */
  seed: number;
};

export interface TrainableModel {
  /** Parameters by full Hugging Face name; the Trainer trains each distinct variable once. */
  namedParameters(): Map<string, tf.Variable>;
  /** Inputs carry the labels (or the model's forward takes them in options); returns the loss. */
  // biome-ignore lint/suspicious/noExplicitAny: each model has its own input and option types.
  forward(inputs: any, options?: any): { loss?: tf.Scalar };
  /** config.json of the checkpoint folder (AlbertConfig fits). */
  readonly config?: ModelConfig;
  /**
   * The model's own Hugging Face folder files (config.json, model.safetensors, …) when it writes
   * them itself; otherwise the Trainer writes config.json from `config` and model.safetensors from
   * namedParameters() (Hugging Face names and layout, as savePretrained). Resume reads
   * model.safetensors back by those names either way.
   */
  toFiles?(): Promise<ReadonlyMap<string, Uint8Array>> | ReadonlyMap<string, Uint8Array>;
}

export interface ModelConfig {
  toJSONString(): string;
  with?(changes: { architectures: string[] }): { toJSONString(): string };
}

/** The first argument of M's forward. */
export type ModelInputs<M extends TrainableModel> = Parameters<M['forward']>[0];

/** M's forward options less the ones the Trainer sets. */
export type ModelForwardOptions<M extends TrainableModel> = Omit<
  NonNullable<Parameters<M['forward']>[1]>,
  keyof TrainForwardOptions
>;
