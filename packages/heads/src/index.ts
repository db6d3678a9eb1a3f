// @albert-ts/heads: the ALBERT task models on core's AlbertPreTrainedModel (Hugging Face names,
// outputs and losses), and task data, QA post-processing and metrics.
export {
  AlbertForMultipleChoice,
  type MultipleChoiceInputs,
  type MultipleChoiceOutput,
} from './models/albert-for-multiple-choice.js';
export {
  AlbertForQuestionAnswering,
  type QuestionAnsweringLabels,
  type QuestionAnsweringOutput,
} from './models/albert-for-question-answering.js';
export {
  AlbertForSequenceClassification,
  type ProblemType,
  type SequenceClassificationLabels,
  type SequenceClassifierOutput,
} from './models/albert-for-sequence-classification.js';
export {
  AlbertForTokenClassification,
  type TokenClassificationLabels,
  type TokenClassifierOutput,
} from './models/albert-for-token-classification.js';

// ---- end of task models ----

// IGNORE_INDEX has one home (@albert-ts/common, re-exported by core); heads re-exports it for its label builders' users.
export { IGNORE_INDEX } from '@albert-ts/core';
// ---- task data, QA post-processing, metrics (tensor-free: plain typed arrays in, plain objects out) ----
export { type Batch, type ChoiceBatch, type CollateOptions, collate, collateChoices } from './data/batch.js';
export { type ConllReadOptions, readConll, type TaggedSentence } from './data/conll.js';
export { type DataLocation, TaskDataError, TaskInputError } from './data/errors.js';
export { readConllFile, readGlueFile, readMultipleChoiceFile, readSquadFile } from './data/files.js';
export {
  GLUE_LAYOUTS,
  type GlueData,
  type GlueExample,
  type GlueLayout,
  type GlueReadOptions,
  type GlueTask,
  readGlueTsv,
} from './data/glue.js';
export { type LabelMap, labelMapFromConfig, labelMapFromData, labelMapFromList } from './data/label-map.js';
export {
  type MultipleChoiceExample,
  type MultipleChoiceReadOptions,
  readMultipleChoiceJsonl,
} from './data/multiple-choice.js';
export {
  type MultipleChoiceFeature,
  type MultipleChoiceOptions,
  multipleChoiceFeatures,
  questionWithOption,
} from './data/multiple-choice-features.js';
export {
  type SequenceClassificationFeature,
  type SequenceClassificationOptions,
  sequenceClassificationFeatures,
} from './data/sequence-classification.js';
export {
  readSquadJson,
  type SquadAnswer,
  type SquadData,
  type SquadExample,
  type SquadReadOptions,
} from './data/squad.js';
export {
  type TokenClassificationFeature,
  type TokenClassificationOptions,
  tokenClassificationFeatures,
} from './data/token-classification.js';
export type { TokenInputs } from './data/token-inputs.js';
export type { TaskTokenizer } from './data/tokenizer-like.js';
export {
  type Average,
  accuracy,
  f1Score,
  matthewsCorrcoef,
  type PrecisionRecallF1,
  precisionRecallF1,
} from './metrics/classification.js';
export { pearson, rankData, spearman } from './metrics/correlation.js';
export { glueMetrics } from './metrics/glue.js';
export {
  type Entity,
  type EntityScores,
  extractEntities,
  type SeqevalMode,
  type SeqevalResult,
  seqevalMetrics,
} from './metrics/seqeval.js';
export {
  normalizeAnswer,
  type Predictions,
  type SquadReference,
  type SquadV2Result,
  squadExactMatch,
  squadF1,
  squadV1Metrics,
  squadV2Metrics,
} from './metrics/squad.js';
export {
  postprocessQaPredictions,
  type QaCandidate,
  type QaPostprocessOptions,
  type QaPrediction,
} from './qa/postprocess.js';
export {
  answerTokenSpan,
  type SquadFeature,
  type SquadFeatureInput,
  type SquadFeatureOptions,
  squadFeatures,
} from './qa/squad-features.js';
// ---- end of task data / QA / metrics ----
