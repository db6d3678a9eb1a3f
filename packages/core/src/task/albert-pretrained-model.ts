// The one base of every ALBERT task model, as Hugging Face's AlbertPreTrainedModel: an encoder
// (`albert`, with or without pooler), head variables by HF name (`head`), loading from and saving
// to Hugging Face model folders. A subclass declares `static readonly spec` (architecture name,
// pooler or not, head parameter specs, tied keys) and writes only `forward()`.

import { SeededRandom } from '@albert-ts/common';
import type * as tf from '@tensorflow/tfjs-core';
import { type Checkpoint, modelFiles, openCheckpoint, writeModelFolder } from '../checkpoint/pretrained.js';
import { BASE_MODEL_PREFIX, stateDict } from '../checkpoint/state-dict.js';
import type { AlbertConfig, AlbertConfigFields } from '../config/albert-config.js';
import { ConfigError, ModelInputError } from '../errors.js';
import type { ModelSource, OpenModelSourceOptions } from '../hub/index.js';
import { createVariables } from '../init/init.js';
import { type AlbertForwardOptions, type AlbertInputs, AlbertModel, type AlbertOutput } from '../model/albert-model.js';
import type { ModelDtype } from '../model/low-precision.js';
import type { DropoutContext } from '../ops/dropout.js';
import { type LoadingInfo, reportLoading, type TaskModelSpec, taskValuesFromFile } from './task-checkpoint.js';

export type TaskModelOptions = {
  /** Seed of the weights initialised here (default: random). */
  seed?: number;
  /** An existing encoder to build on (shared, disposed with the model); its pooler must match the spec. */
  albert?: AlbertModel;
  /**
   * Initial values by full HF name ('albert.…' and head names), in memory layout (Linear weights
   * [in, out]); each becomes its variable's value and is owned by the model. Used by fromPretrained.
   */
  initialValues?: Map<string, tf.Tensor>;
  /** Storage of the encoder's Linear weights for inference: 'fp32' (default), 'q8' or 'bf16' (AlbertModelOptions.dtype). */
  dtype?: ModelDtype;
  /** Where the notice goes when `dtype` cannot run on the current backend. Default console.warn. */
  warn?: (message: string) => void;
};

export type TaskFromPretrainedOptions = OpenModelSourceOptions & {
  /** Seed for the tensors the checkpoint lacks (a new head). */
  seed?: number;
  /** Config changes applied before the model is built (e.g. `{ id2label, label2id }` for a new head). */
  config?: Partial<AlbertConfigFields>;
  /** HF's num_labels: id2label/label2id become LABEL_0 … LABEL_{n-1} (unless `config.id2label` is given). */
  numLabels?: number;
  /**
   * HF's ignore_mismatched_sizes: head tensors whose shape does not fit (another label count) are
   * initialised fresh and reported instead of failing. Encoder tensors must always fit.
   */
  ignoreMismatchedSizes?: boolean;
  /** Warnings: missing weights, unused weights of a checkpoint of this very class. Default console.warn. */
  warn?: (message: string) => void;
  /** Information: unused weights of a base or other-task checkpoint (expected). Default: dropped. */
  info?: (message: string) => void;
  /**
   * Storage of the encoder's Linear weights for inference: 'fp32' (default), 'q8' (int8) or 'bf16',
   * packed from the checkpoint's fp32 weights at load time. Heads stay fp32.
   */
  dtype?: ModelDtype;
};

/** The options every task forward takes: the encoder's (hidden states, attentions, training, seed). */
export type TaskForwardOptions = AlbertForwardOptions;

/** What a task forward returns: named outputs (tensors, lists of tensors) and the loss when labels were given. */
export type TaskOutput = { loss?: tf.Scalar; [output: string]: unknown };

/** Any task model, whatever its forward's input, output and option types. */
// biome-ignore lint/suspicious/noExplicitAny: the forward's types vary by head; any keeps them all assignable
export type AnyTaskModel = AlbertPreTrainedModel<any, any, any>;

/** What `fromPretrained` needs of a concrete task-model class: its constructor and its spec. */
export type TaskModelConstructor<M extends AnyTaskModel = AnyTaskModel> = {
  new (config: AlbertConfig, options?: TaskModelOptions): M;
  readonly spec: TaskModelSpec;
};

/** A concrete task-model class (`AlbertForSequenceClassification`, …), as the registry hands it out. */
export type TaskModelClass<M extends AnyTaskModel = AnyTaskModel> = TaskModelConstructor<M> & {
  fromPretrained(source: string | ModelSource, options?: TaskFromPretrainedOptions): Promise<M>;
};

let taskModelCount = 0;

export abstract class AlbertPreTrainedModel<
  In extends object = AlbertInputs,
  Out extends TaskOutput = TaskOutput,
  Opt extends TaskForwardOptions = TaskForwardOptions,
> {
  readonly config: AlbertConfig;
  /** The encoder (HF's `albert.` parameters). */
  readonly albert: AlbertModel;
  /** Head variables by HF name (no prefix); Linear weights [in, out]. */
  readonly head: Map<string, tf.Variable>;
  /** What fromPretrained found missing and unused (null for a model built with `new`). */
  loadingInfo: LoadingInfo | null = null;

  constructor(config: AlbertConfig, options: TaskModelOptions = {}) {
    const spec = this.spec;
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    const baseValues = new Map<string, tf.Tensor>();
    const headValues = new Map<string, tf.Tensor>();
    for (const [name, t] of options.initialValues ?? []) {
      if (name.startsWith(BASE_MODEL_PREFIX)) baseValues.set(name.slice(BASE_MODEL_PREFIX.length), t);
      else headValues.set(name, t);
    }
    if (options.albert != null) {
      if (baseValues.size > 0) {
        throw new ModelInputError(
          `${spec.architecture}: pass either an encoder (options.albert) or its initial values ('albert.…'), not both.`,
        );
      }
      if (options.albert.addPoolingLayer !== spec.pooler) {
        throw new ModelInputError(
          `${spec.architecture} needs an AlbertModel ${spec.pooler ? 'with' : 'without'} its pooler ` +
            `(addPoolingLayer: ${spec.pooler}); the one given has addPoolingLayer: ${options.albert.addPoolingLayer}.`,
        );
      }
    }
    this.config = config;
    this.albert =
      options.albert ??
      new AlbertModel(config, {
        seed,
        addPoolingLayer: spec.pooler,
        ...(baseValues.size > 0 && { initialValues: baseValues }),
        ...(options.dtype != null && { dtype: options.dtype }),
        ...(options.warn != null && { warn: options.warn }),
      });
    if (options.albert != null && options.dtype != null) this.albert.setDtype(options.dtype, options.warn);
    this.head = createVariables(spec.headSpecs(config), {
      std: config.initializerRange,
      seed,
      scope: `albert_task_${taskModelCount++}`,
      initialValues: headValues,
    });
    for (const t of headValues.values()) if (!t.isDisposed) t.dispose(); // values no spec asked for
  }

  /** The class's declaration (architecture, pooler, head specs, tied keys). */
  get spec(): TaskModelSpec {
    return (this.constructor as TaskModelConstructor).spec;
  }

  abstract forward(inputs: In, options?: Opt): Out;

  /** Parameters by full HF name ('albert.…', then the head's), as HF's named_parameters(). */
  namedParameters(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [n, v] of this.albert.params) out.set(`${BASE_MODEL_PREFIX}${n}`, v);
    for (const [n, v] of this.head) out.set(n, v);
    return out;
  }

  /** Every trainable variable: the encoder's, then the head's (tied weights appear once). */
  get trainableVariables(): tf.Variable[] {
    return [...this.albert.params.values(), ...this.head.values()];
  }

  /** Unique parameter count (shared layers and tied weights counted once), as HF's num_parameters(). */
  numParameters(): number {
    let n = 0;
    for (const v of this.namedParameters().values()) n += v.size;
    return n;
  }

  /**
   * Loads a Hugging Face model folder: a local path, a base URL, a hub id ('albert/albert-base-v2')
   * or a ModelSource. Tensors the checkpoint lacks (a new head, the pooler) are initialised fresh and
   * reported; tensors the model does not use are reported (see TaskFromPretrainedOptions.warn/info).
   */
  static async fromPretrained<M extends AnyTaskModel>(
    this: TaskModelConstructor<M>,
    source: string | ModelSource,
    options: TaskFromPretrainedOptions = {},
  ): Promise<M> {
    const { seed, config: changes, numLabels, ignoreMismatchedSizes, warn, info, dtype, ...sourceOptions } = options;
    const opened = await openCheckpoint(source, sourceOptions);
    const ckpt: Checkpoint = { ...opened, config: configWith(opened.config, changes, numLabels) };
    const loaded = taskValuesFromFile(this.spec, ckpt, { ignoreMismatchedSizes: ignoreMismatchedSizes ?? false });
    const model = new this(ckpt.config, {
      initialValues: loaded.initialValues,
      ...(seed != null && { seed }),
      ...(dtype != null && { dtype }),
      ...(warn != null && { warn }),
    });
    model.loadingInfo = loaded.info;
    reportLoading(this.spec.architecture, ckpt, loaded.info, {
      warn: warn ?? ((m) => console.warn(m)),
      info: info ?? (() => {}),
    });
    return model;
  }

  /**
   * The model folder in memory: config.json (with `architectures` set, id2label/label2id/problem_type
   * and unknown keys kept) and model.safetensors (HF names, Linear weights [out, in], tied weights
   * left out). Works without a file system: download it, store it, or send it to a worker.
   */
  async toFiles(): Promise<Map<string, Uint8Array>> {
    const config = this.config.with({ architectures: [this.spec.architecture] });
    return modelFiles(config, stateDict(this.namedParameters()));
  }

  /** Writes `toFiles()` into `folder` (created if needed); Hugging Face's from_pretrained reads it. Node only. */
  async savePretrained(folder: string): Promise<void> {
    await writeModelFolder(folder, await this.toFiles());
  }

  /** Frees every variable (encoder and head). The model cannot be used afterwards. */
  dispose(): void {
    this.albert.dispose();
    for (const v of this.head.values()) v.dispose();
    this.head.clear();
  }

  /** A head variable by HF name; a clear error after dispose. */
  protected param(name: string): tf.Variable {
    const v = this.head.get(name);
    if (v == null)
      throw new ModelInputError(`${this.spec.architecture} has no parameter "${name}" (was it disposed?).`);
    return v;
  }

  /**
   * Runs the encoder with the forward options and returns its output with a dropout context for the
   * head (training mode and seeds follow the options). Call inside the subclass's tf.tidy.
   */
  protected encode(inputs: AlbertInputs, options: TaskForwardOptions): { encoded: AlbertOutput; ctx: DropoutContext } {
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    const encoded = this.albert.forward(inputs, {
      outputHiddenStates: options.outputHiddenStates,
      outputAttentions: options.outputAttentions,
      training: options.training,
      seed,
    });
    const rng = new SeededRandom(seed, 'head');
    return { encoded, ctx: { training: options.training ?? false, nextSeed: () => rng.int32() } };
  }
}

/** The encoder outputs a head passes on when asked (outputHiddenStates, outputAttentions): spread them into its output. */
export function requestedOutputs(encoded: AlbertOutput): Pick<AlbertOutput, 'hiddenStates' | 'attentions'> {
  const out: Pick<AlbertOutput, 'hiddenStates' | 'attentions'> = {};
  if (encoded.hiddenStates != null) out.hiddenStates = encoded.hiddenStates;
  if (encoded.attentions != null) out.attentions = encoded.attentions;
  return out;
}

/** Dropout rate of a classifier head: classifier_dropout_prob, or hidden_dropout_prob when it is null (as HF). */
export function classifierDropoutRate(config: AlbertConfig): number {
  return config.classifierDropoutProb ?? config.hiddenDropoutProb;
}

/** The checkpoint's config with the caller's changes; label2id follows a new id2label unless given. */
function configWith(config: AlbertConfig, changes: Partial<AlbertConfigFields> = {}, numLabels?: number): AlbertConfig {
  const labels: Partial<AlbertConfigFields> = {};
  let id2label = changes.id2label;
  if (numLabels != null && id2label == null) {
    if (!Number.isInteger(numLabels) || numLabels < 1) {
      throw new ConfigError(`numLabels must be a positive integer; got ${numLabels}.`);
    }
    id2label = Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [String(i), `LABEL_${i}`]));
    labels.id2label = id2label;
  }
  if (id2label != null && changes.label2id == null) {
    labels.label2id = Object.fromEntries(Object.entries(id2label).map(([id, name]) => [name, Number(id)]));
  }
  if (Object.keys(changes).length === 0 && Object.keys(labels).length === 0) return config;
  return config.with({ ...labels, ...changes });
}
