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
