// Auto classes: the model class comes from config.json's `architectures` (AutoModel) or from the task
// (AutoModelForMaskedLM, …), as in Hugging Face transformers.
import {
  AlbertConfig,
  AlbertModel,
  type FromPretrainedOptions,
  type ModelSource,
  openModelSource,
  valuesFromFile,
} from '@albert-ts/core';
import { AlbertForMaskedLM, AlbertForPreTraining } from '@albert-ts/pretraining';
import { PipelineError } from '../errors.js';

/** Every model class an ALBERT folder can load into. */
export type AlbertAnyModel = AlbertModel | AlbertForMaskedLM | AlbertForPreTraining;

type Loader = (source: ModelSource, options: FromPretrainedOptions) => Promise<AlbertAnyModel>;

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
  });
}

/** Architecture name (config.json `architectures`) → loader. */
export const MODEL_CLASSES: Record<string, Loader> = {
  AlbertModel: (s, o) => loadBaseModel(s, o),
  AlbertForMaskedLM: (s, o) => AlbertForMaskedLM.fromPretrained(s, o),
  AlbertForPreTraining: (s, o) => AlbertForPreTraining.fromPretrained(s, o),
};

async function open(source: string | ModelSource, options: FromPretrainedOptions): Promise<ModelSource> {
  if (typeof source !== 'string') return source;
  const { addPoolingLayer: _p, seed: _s, warn: _w, ...sourceOptions } = options;
  return openModelSource(source, sourceOptions);
}

/** The class a config names: its first architecture albert-ts knows (AlbertModel when none is named). */
export function architectureOf(config: AlbertConfig, where: string): string {
  const names = config.architectures ?? [];
  if (names.length === 0) return 'AlbertModel';
  const known = names.find((n) => n in MODEL_CLASSES);
  if (known === undefined) {
    throw new PipelineError(
      'wrong-architecture',
      `${where}: config.json names architectures ${JSON.stringify(names)}, none of which albert-ts can load ` +
        `(known: ${Object.keys(MODEL_CLASSES).join(', ')})`,
    );
  }
  return known;
}

export const AutoModel = {
  /** The class named by config.json `architectures` (AlbertModel when it names none). */
  async fromPretrained(source: string | ModelSource, options: FromPretrainedOptions = {}): Promise<AlbertAnyModel> {
    const files = await open(source, options);
    const config = AlbertConfig.fromJSONString(await files.readText('config.json'));
    return (MODEL_CLASSES[architectureOf(config, files.description)] as Loader)(files, options);
  },
};

export const AutoModelForMaskedLM = {
  /** AlbertForMaskedLM from any ALBERT folder (a head the file lacks is initialised fresh, with a warning). */
  async fromPretrained(source: string | ModelSource, options: FromPretrainedOptions = {}): Promise<AlbertForMaskedLM> {
    return AlbertForMaskedLM.fromPretrained(await open(source, options), options);
  },
};
