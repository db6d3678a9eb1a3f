// albert-ts: the one import. pipeline(task) for every ALBERT task, Auto classes that pick the model
// class from config.json, AutoTokenizer for a model folder, and every albert-ts package re-exported.
export * from '@albert-ts/backends';
export * from '@albert-ts/core';
// core and heads both re-export @albert-ts/common's IGNORE_INDEX (-100): named once here.
export { IGNORE_INDEX } from '@albert-ts/core';
export * from '@albert-ts/heads';
export * from '@albert-ts/pretraining';
export * from '@albert-ts/tokenizer';
export * from '@albert-ts/training';
export {
  AutoModel,
  AutoModelForMaskedLM,
  AutoModelForMultipleChoice,
  AutoModelForPreTraining,
  AutoModelForQuestionAnswering,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  architectureOf,
  loadArchitecture,
  loadBaseModel,
} from './auto/auto-model.js';
export { isPipelineErrorCode, PIPELINE_ERROR_CODES, PipelineError, type PipelineErrorCode } from './errors.js';
export type { Pipeline } from './pipelines/callable.js';
export { DEFAULT_MODEL_PACKAGE, defaultModelFor } from './pipelines/default-model.js';
export type {
  FeatureExtractionOptions,
  FeatureExtractionPipeline,
  Features,
  Pooling,
} from './pipelines/feature-extraction.js';
export type { FillMaskCandidate, FillMaskOptions, FillMaskOutput, FillMaskPipeline } from './pipelines/fill-mask.js';
export type { OpenedModel, PipelineOptions } from './pipelines/load.js';
export type {
  MultipleChoiceInput,
  MultipleChoicePipeline,
  MultipleChoiceResult,
} from './pipelines/multiple-choice.js';
export type {
  AggregationStrategy,
  GroupedEntity,
  TokenEntity,
} from './pipelines/ner-aggregation.js';
export { pipeline, TASKS, type TaskName, type Tasks } from './pipelines/pipeline.js';
export type { LoadProgress } from './pipelines/progress.js';
export type {
  Answer,
  QuestionAnsweringInput,
  QuestionAnsweringOptions,
  QuestionAnsweringPipeline,
  QuestionAnsweringResult,
} from './pipelines/question-answering.js';
export type { ScoreFunction } from './pipelines/scores.js';
export type {
  SentenceSimilarityInput,
  SentenceSimilarityOptions,
  SentenceSimilarityPipeline,
} from './pipelines/sentence-similarity.js';
export type {
  LabelScore,
  TextClassificationInput,
  TextClassificationOptions,
  TextClassificationPipeline,
} from './pipelines/text-classification.js';
export type {
  TokenClassificationPipeline,
  TokenClassificationPipelineOptions,
  TokenClassificationResult,
} from './pipelines/token-classification.js';
export type {
  ZeroShotClassificationPipeline,
  ZeroShotOptions,
  ZeroShotOutput,
} from './pipelines/zero-shot-classification.js';
// albert-ts's AlbertTokenizer (the tokenizer package's, plus fromPretrained) shadows the one of `export *` above.
export { AlbertTokenizer } from './tokenizer/albert-tokenizer.js';
export { AutoTokenizer, type Tokenizer, type TokenizerFromPretrainedOptions } from './tokenizer/auto-tokenizer.js';
export { modelMaxLength, tokenizerOptionsFromConfig } from './tokenizer/tokenizer-config.js';
export type { FromWorker, ToWorker } from './worker/messages.js';
export { servePipeline } from './worker/pipeline-worker.js';
export {
  createPipelineWorker,
  type WorkerLike,
  type WorkerPipeline,
  type WorkerPipelineOptions,
} from './worker/worker-client.js';
