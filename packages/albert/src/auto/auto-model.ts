// Auto classes: the model class comes from config.json's `architectures` (AutoModel) or from the task
// (AutoModelForSequenceClassification, …), as in Hugging Face transformers. The task classes come
// from core's registry (every head package registers its classes when imported: heads, pretraining).
import {
  AlbertConfig,
  AlbertModel,
  type AnyTaskModel,
  type FromPretrainedOptions,
  type ModelSource,
  openModelSource,
  type TaskFromPretrainedOptions,
  type TaskModelClass,
  taskModelArchitectures,
  taskModelClass,
  valuesFromFile,
} from '@albert-ts/core';
import {
  AlbertForMultipleChoice,
  AlbertForQuestionAnswering,
  AlbertForSequenceClassification,
  AlbertForTokenClassification,
} from '@albert-ts/heads';
import { AlbertForMaskedLM, AlbertForPreTraining } from '@albert-ts/pretraining';
import { PipelineError } from '../errors.js';

/**
 * The task classes of albert-ts's own packages, named here (not only imported for their registration):
 * the packages are marked side-effect free, so a bundler drops an import that only registers.
 */
const BUILT_IN: TaskModelClass[] = [
  AlbertForMaskedLM,
  AlbertForPreTraining,
  AlbertForSequenceClassification,
  AlbertForTokenClassification,
  AlbertForQuestionAnswering,
  AlbertForMultipleChoice,
];

/** The class of an architecture name: albert-ts's own, or one registered with core's registerTaskModel. */
function classOf(architecture: string): TaskModelClass | undefined {
  return BUILT_IN.find((c) => c.spec.architecture === architecture) ?? taskModelClass(architecture);
}

/** Tensors of task heads: a base AlbertModel leaves them out without a warning. */
const HEAD_TENSORS = [/^predictions\./, /^sop_classifier\./, /^classifier\./, /^qa_outputs\./];

/** AlbertModel from any ALBERT checkpoint (base or task): the encoder, heads left out quietly. */
export async function loadBaseModel(
  source: ModelSource,
  options: FromPretrainedOptions = {},
  config?: AlbertConfig,
): Promise<AlbertModel> {
  const cfg = config ?? AlbertConfig.fromJSONString(await source.readText('config.json'));
  const file = await source.readSafetensors('model.safetensors');
  const pooler = options.addPoolingLayer ?? true;
  const ignore = pooler ? HEAD_TENSORS : [...HEAD_TENSORS, /^(albert\.)?pooler\./]; // left out on purpose
  const { initialValues } = valuesFromFile(
    cfg,
    file,
    { addPoolingLayer: pooler, ...(options.warn && { warn: options.warn }), ignore },
    source.description,
  );
  return new AlbertModel(cfg, {
    initialValues,
    ...(options.addPoolingLayer != null && { addPoolingLayer: options.addPoolingLayer }),
    ...(options.seed != null && { seed: options.seed }),
    ...(options.dtype != null && { dtype: options.dtype }),
    ...(options.warn != null && { warn: options.warn }),
  });
}

async function open(source: string | ModelSource, options: TaskFromPretrainedOptions): Promise<ModelSource> {
  if (typeof source !== 'string') return source;
  const { seed: _s, warn: _w, info: _i, config: _c, numLabels: _n, ...sourceOptions } = options;
  return openModelSource(source, sourceOptions);
}

/** The class a config names: its first architecture albert-ts knows (AlbertModel when it names none). */
export function architectureOf(config: AlbertConfig, where: string): string {
  const names = config.architectures ?? [];
  if (names.length === 0) return 'AlbertModel';
  const known = names.find((n) => n === 'AlbertModel' || classOf(n) !== undefined);
  if (known === undefined) {
    const loadable = new Set(['AlbertModel', ...BUILT_IN.map((c) => c.spec.architecture), ...taskModelArchitectures()]);
    throw new PipelineError(
      'wrong-architecture',
      `${where}: config.json names architectures ${JSON.stringify(names)}, none of which albert-ts can load ` +
        `(known: ${[...loadable].join(', ')}). If the weights are ALBERT's, load them with the class of your task ` +
        '(AutoModelForSequenceClassification, AutoModelForQuestionAnswering, … or AlbertModel.fromPretrained); ' +
        "a class of your own: register it with core's registerTaskModel.",
    );
  }
  return known;
}

/** Loads `architecture` from `source`. */
export async function loadArchitecture(
  architecture: string,
  source: ModelSource,
  options: TaskFromPretrainedOptions = {},
): Promise<AlbertModel | AnyTaskModel> {
  if (architecture === 'AlbertModel') {
    return loadBaseModel(source, {
      ...(options.warn && { warn: options.warn }),
      ...(options.seed != null && { seed: options.seed }),
    });
  }
  const cls = classOf(architecture);
  if (cls === undefined) {
    throw new PipelineError('wrong-architecture', `no albert-ts class for the architecture ${architecture}`);
  }
  return cls.fromPretrained(source, options);
}

/** An Auto class for one architecture: loads it from any ALBERT folder (a head the file lacks is new, with a warning). */
function autoFor<M>(architecture: string) {
  return {
    async fromPretrained(source: string | ModelSource, options: TaskFromPretrainedOptions = {}): Promise<M> {
      return (await loadArchitecture(architecture, await open(source, options), options)) as M;
    },
  };
}

export const AutoModel = {
  /** The class named by config.json `architectures` (AlbertModel when it names none). */
  async fromPretrained(
    source: string | ModelSource,
    options: TaskFromPretrainedOptions = {},
  ): Promise<AlbertModel | AnyTaskModel> {
    const files = await open(source, options);
    const config = AlbertConfig.fromJSONString(await files.readText('config.json'));
    return loadArchitecture(architectureOf(config, files.description), files, options);
  },
};

export const AutoModelForMaskedLM = autoFor<AlbertForMaskedLM>('AlbertForMaskedLM');
export const AutoModelForPreTraining = autoFor<AlbertForPreTraining>('AlbertForPreTraining');
export const AutoModelForSequenceClassification = autoFor<AlbertForSequenceClassification>(
  'AlbertForSequenceClassification',
);
export const AutoModelForTokenClassification = autoFor<AlbertForTokenClassification>('AlbertForTokenClassification');
export const AutoModelForQuestionAnswering = autoFor<AlbertForQuestionAnswering>('AlbertForQuestionAnswering');
export const AutoModelForMultipleChoice = autoFor<AlbertForMultipleChoice>('AlbertForMultipleChoice');
