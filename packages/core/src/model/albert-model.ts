// AlbertModel: factorized embeddings -> embedding_hidden_mapping_in -> num_hidden_layers
// applications of the shared layer groups -> last hidden state, and a tanh pooler on [CLS].
// Hugging Face's AlbertModel, on tfjs-core ops.

import { SeededRandom } from '@albert-ts/common';
import * as tf from '@tensorflow/tfjs-core';
import { type FromPretrainedOptions, readPretrained, writePretrained } from '../checkpoint/pretrained.js';
import { stateDict } from '../checkpoint/state-dict.js';
import type { AlbertConfig } from '../config/albert-config.js';
import { countParameters } from '../config/count-parameters.js';
import { ModelInputError } from '../errors.js';
import type { ModelSource } from '../hub/index.js';
import { createVariables } from '../init/init.js';
import { maskToBias } from '../ops/attention.js';
import type { DropoutContext } from '../ops/dropout.js';
import { linear } from '../ops/linear.js';
import { albertLayer } from './albert-layer.js';
import { albertEmbeddings, type ParamGetter } from './embeddings.js';
import {
  checkDtype,
  disposeLowPrecision,
  type LowPrecisionWeights,
  lowPrecisionAvailable,
  lowPrecisionKernels,
  type ModelDtype,
  packLowPrecision,
} from './low-precision.js';
import { albertParameterSpecs, layerPrefix } from './parameter-specs.js';

export interface AlbertModelOptions {
  /** Seed of the initial weights (default: random). Same seed, same weights, on every backend. */
  seed?: number;
  /** Build the pooler (default true, as HF's AlbertModel). */
  addPoolingLayer?: boolean;
  /**
   * Initial values by parameter name, in memory layout (Linear weights [in, out]). Each tensor
   * becomes the variable's storage (no copy) and is owned by the model afterwards. Parameters
   * not given are initialised as HF's _init_weights. Used by fromPretrained.
   */
  initialValues?: Map<string, tf.Tensor>;
  /**
   * Storage of the encoder's Linear weights for inference (default 'fp32'): 'q8' (int8 per output
   * channel, activations quantized per row at run time) or 'bf16'. Needs a backend that registers
   * the low-precision kernels (the native one); elsewhere the model runs fp32 and says so through
   * `warn`. Training and tf.grad always use the fp32 weights.
   */
  dtype?: ModelDtype;
  /** Where the notice goes when `dtype` cannot be honoured on the current backend. Default console.warn. */
  warn?: (message: string) => void;
}

export type AlbertInputs = {
  /** int32 [batch, seq] */
  inputIds: tf.Tensor2D;
  /** [batch, seq], 1 for real tokens and 0 for padding. Default: all ones. */
  attentionMask?: tf.Tensor2D;
  /** int32 [batch, seq], segment ids. Default: all zeros. */
  tokenTypeIds?: tf.Tensor2D;
};

export interface AlbertForwardOptions {
  /** Return hiddenStates: the embedding projection, then one entry per layer application. */
  outputHiddenStates?: boolean;
  /** Return attentions: softmax probabilities [batch, heads, seq, seq] per layer application. */
  outputAttentions?: boolean;
  /** Training mode applies dropout (default false). */
  training?: boolean;
  /** Seed of the dropout masks in training mode (default: random). */
  seed?: number;
}

/** A `type` (not an interface) so `tf.tidy` returns it and `tf.dispose(out)` takes it as it is. */
export type AlbertOutput = {
  lastHiddenState: tf.Tensor3D; // [batch, seq, hidden]
  poolerOutput?: tf.Tensor2D; // [batch, hidden]
  hiddenStates?: tf.Tensor3D[]; // numHiddenLayers * innerGroupNum + 1 of [batch, seq, hidden]
  attentions?: tf.Tensor4D[]; // numHiddenLayers * innerGroupNum of [batch, heads, seq, seq]
};

let modelCount = 0;

export class AlbertModel {
  readonly config: AlbertConfig;
  /** One variable per HF tensor, keyed by HF name without 'albert.'; Linear weights [in, out]. */
  readonly params: Map<string, tf.Variable>;
  readonly addPoolingLayer: boolean;
  private lowPrecision: LowPrecisionWeights | null = null;

  constructor(config: AlbertConfig, options: AlbertModelOptions = {}) {
    this.config = config;
    this.addPoolingLayer = options.addPoolingLayer ?? true;
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.params = createVariables(albertParameterSpecs(config, { pooler: this.addPoolingLayer }), {
      std: config.initializerRange,
      seed,
      scope: `albert_${modelCount++}`,
      ...(options.initialValues != null && { initialValues: options.initialValues }),
    });
    if (options.dtype != null && options.dtype !== 'fp32') this.setDtype(options.dtype, options.warn);
  }

  /** How the Linear weights run in inference: 'fp32', or 'q8' / 'bf16' when setDtype (or the dtype option) took effect. */
  get dtype(): ModelDtype {
    return this.lowPrecision?.dtype ?? 'fp32';
  }

  /**
   * Packs the encoder's Linear weights as `dtype` ('q8' | 'bf16') from the current fp32 weights,
   * or drops the packed copies ('fp32'). Call it again after changing the weights (training).
   * When the current backend lacks the kernels, the model stays fp32 and `warn` says so.
   * Returns the dtype in effect.
   */
  setDtype(dtype: ModelDtype, warn: (message: string) => void = (m) => console.warn(m)): ModelDtype {
    checkDtype(dtype);
    disposeLowPrecision(this.lowPrecision);
    this.lowPrecision = null;
    if (dtype === 'fp32') return 'fp32';
    if (!lowPrecisionAvailable(dtype)) {
      warn(
        `dtype '${dtype}' is not available on the '${tf.getBackend()}' backend (it lacks ${lowPrecisionKernels(dtype).join(' and ')}; ` +
          'the native backend of @albert-ts/backends has them): running fp32.',
      );
      return 'fp32';
    }
    this.lowPrecision = packLowPrecision(this.config, this.getter(), dtype);
    return dtype;
  }

  /**
   * Loads a Hugging Face model folder: a local path, a base URL, a hub id ('albert/albert-base-v2')
   * or a ModelSource. Reads config.json and model.safetensors; task checkpoints (AlbertForPreTraining,
   * AlbertForSequenceClassification, …) load too, their heads are reported as unused.
   */
  static async fromPretrained(source: string | ModelSource, options: FromPretrainedOptions = {}): Promise<AlbertModel> {
    const { config, initialValues } = await readPretrained(source, options);
    return new AlbertModel(config, {
      initialValues,
      ...(options.addPoolingLayer != null && { addPoolingLayer: options.addPoolingLayer }),
      ...(options.seed != null && { seed: options.seed }),
      ...(options.dtype != null && { dtype: options.dtype }),
      ...(options.warn != null && { warn: options.warn }),
    });
  }

  /** Writes config.json + model.safetensors (HF AlbertModel layout: no 'albert.' prefix) into `folder`. */
  async savePretrained(folder: string): Promise<void> {
    await writePretrained(folder, this.config, stateDict(this.params));
  }

  /** Unique parameter count (shared layers counted once). */
  numParameters(): number {
    return countParameters(this.config, { pooler: this.addPoolingLayer });
  }

  /** Trainable variables, in HF state-dict order. */
  get trainableVariables(): tf.Variable[] {
    return [...this.params.values()];
  }

  forward(inputs: AlbertInputs, options: AlbertForwardOptions = {}): AlbertOutput {
    const config = this.config;
    const { inputIds } = inputs;
    checkIds('inputIds', inputIds);
    const [batch, seq] = inputIds.shape;
    if (seq > config.maxPositionEmbeddings) {
      throw new ModelInputError(
        `inputIds has ${seq} positions but this model has max_position_embeddings = ${config.maxPositionEmbeddings}. ` +
          'Truncate the input (e.g. tokenizer maxLength) or split it into windows.',
      );
    }
    if (inputs.attentionMask != null) checkSameShape('attentionMask', inputs.attentionMask, inputIds);
    if (inputs.tokenTypeIds != null) {
      checkIds('tokenTypeIds', inputs.tokenTypeIds);
      checkSameShape('tokenTypeIds', inputs.tokenTypeIds, inputIds);
    }
    checkRange('inputIds', inputIds, config.vocabSize, 'vocab_size');
    if (inputs.tokenTypeIds != null)
      checkRange('tokenTypeIds', inputs.tokenTypeIds, config.typeVocabSize, 'type_vocab_size');
    const rng = new SeededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31));
    const ctx: DropoutContext = { training: options.training ?? false, nextSeed: () => rng.int32() };
    const p = this.getter();

    return tf.tidy(() => {
      const tokenTypeIds = inputs.tokenTypeIds ?? tf.zeros([batch, seq], 'int32');
      const attentionMask = inputs.attentionMask ?? tf.ones([batch, seq], 'int32');
      const maskBias = maskToBias(attentionMask as tf.Tensor2D); // [b, 1, 1, s]

      const embedded = albertEmbeddings(config, p, inputIds, tokenTypeIds as tf.Tensor2D, ctx); // [b, s, E]
      const lp = this.lowPrecision;
      let h = linear(
        embedded,
        p('encoder.embedding_hidden_mapping_in.weight'),
        p('encoder.embedding_hidden_mapping_in.bias'),
        lp?.linear.get('encoder.embedding_hidden_mapping_in'),
      ); // [b, s, H]
      // Outputs nobody asked for are freed as soon as the next layer has them, so peak memory is
      // one layer's activations, not all of them (attention maps grow with seq^2).
      const hiddenStates: tf.Tensor3D[] | null = options.outputHiddenStates ? [h] : null;
      const attentions: tf.Tensor4D[] | null = options.outputAttentions ? [] : null;
      for (let i = 0; i < config.numHiddenLayers; i++) {
        const group = config.groupOfLayer(i);
        for (let j = 0; j < config.innerGroupNum; j++) {
          const { hidden, probs } = albertLayer(
            config,
            p,
            layerPrefix(group, j),
            h,
            maskBias,
            ctx,
            attentions != null,
            lp,
          );
          if (attentions != null && probs != null) attentions.push(probs);
          else probs?.dispose();
          if (hiddenStates == null) h.dispose();
          h = hidden;
          hiddenStates?.push(h);
        }
      }

      const out: AlbertOutput = { lastHiddenState: h };
      if (this.addPoolingLayer) {
        const cls = tf.reshape(tf.slice(h, [0, 0, 0], [batch, 1, config.hiddenSize]), [batch, config.hiddenSize]);
        out.poolerOutput = tf.tanh(linear(cls as tf.Tensor2D, p('pooler.weight'), p('pooler.bias')));
      }
      if (hiddenStates != null) out.hiddenStates = hiddenStates;
      if (attentions != null) out.attentions = attentions;
      return out;
    });
  }

  /** Frees every variable. The model cannot be used afterwards. */
  dispose(): void {
    disposeLowPrecision(this.lowPrecision);
    this.lowPrecision = null;
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }

  private getter(): ParamGetter {
    const params = this.params;
    return <T extends tf.Tensor = tf.Tensor>(name: string): T => {
      const v = params.get(name);
      if (v == null) throw new ModelInputError(`AlbertModel has no parameter "${name}" (was it disposed?).`);
      return v as unknown as T;
    };
  }
}

function checkIds(name: string, t: tf.Tensor | undefined): void {
  if (!(t instanceof tf.Tensor)) {
    throw new ModelInputError(`${name} must be a tf.Tensor of int32 ids shaped [batch, seq]; got ${typeof t}.`);
  }
  if (t.rank !== 2) {
    throw new ModelInputError(
      `${name} must have shape [batch, seq]; got [${t.shape}]. For a single sequence use tf.tensor2d([ids], [1, n], 'int32').`,
    );
  }
  if (t.dtype !== 'int32') {
    throw new ModelInputError(`${name} must be int32; got ${t.dtype}. Create it with dtype 'int32'.`);
  }
  if (t.shape[1] === 0 || t.shape[0] === 0) {
    throw new ModelInputError(`${name} is empty (shape [${t.shape}]); give at least one token per row.`);
  }
}

// Backends whose tensors live in CPU memory: reading ids there costs nothing. On GPU backends
// the check would force a synchronous download, so it is skipped (tfjs gathers clamp or zero).
const HOST_MEMORY_BACKENDS = new Set(['cpu', 'wasm', 'native']);

function checkRange(name: string, t: tf.Tensor2D, limit: number, field: string): void {
  if (!HOST_MEMORY_BACKENDS.has(tf.getBackend())) return;
  const values = t.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v >= limit) {
      const [row, col] = [Math.floor(i / t.shape[1]), i % t.shape[1]];
      throw new ModelInputError(
        `${name}[${row}][${col}] = ${v} is outside [0, ${limit}) (config ${field} = ${limit}). ` +
          'Use the tokenizer that belongs to this model.',
      );
    }
  }
}

function checkSameShape(name: string, t: tf.Tensor, ids: tf.Tensor2D): void {
  if (!(t instanceof tf.Tensor) || t.rank !== 2 || t.shape[0] !== ids.shape[0] || t.shape[1] !== ids.shape[1]) {
    const shape = t instanceof tf.Tensor ? `[${t.shape}]` : typeof t;
    throw new ModelInputError(`${name} must have the shape of inputIds [${ids.shape}]; got ${shape}.`);
  }
}
