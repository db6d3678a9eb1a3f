// How each task's input splits into items (checked, with the same errors the pipeline gives): what a
// caller of pipeline(…, { workers }) needs to deal the items out before any worker sees them.
import { textList } from './inputs.js';
import { splitMultipleChoiceInputs } from './multiple-choice.js';
import type { TaskName } from './pipeline.js';
import { splitQuestionAnsweringInputs } from './question-answering.js';
import { splitSentenceSimilarityInputs } from './sentence-similarity.js';
import { splitTextInputs } from './text-classification.js';

export type SplitInput = (input: unknown) => { items: unknown[]; single: boolean };

export const TASK_INPUTS: Record<TaskName, SplitInput> = {
  'feature-extraction': (input) => textList(input, 'feature-extraction'),
  'sentence-similarity': splitSentenceSimilarityInputs,
  'fill-mask': (input) => textList(input, 'fill-mask'),
  'text-classification': splitTextInputs,
  'token-classification': (input) => textList(input, 'token-classification'),
  'question-answering': splitQuestionAnsweringInputs,
  'zero-shot-classification': (input) => textList(input, 'zero-shot-classification'),
  'multiple-choice': splitMultipleChoiceInputs,
};
