// The metric of each GLUE task, under the names Hugging Face `evaluate`'s "glue" metric reports
// (what run_glue.py prints): CoLA Matthews correlation, STS-B Pearson and Spearman, MRPC and QQP
// accuracy and F1, the rest accuracy.

import type { GlueTask } from '../data/glue.js';
import { accuracy, f1Score, matthewsCorrcoef } from './classification.js';
import { pearson, spearman } from './correlation.js';

export function glueMetrics(
  task: GlueTask,
  predictions: ArrayLike<number>,
  references: ArrayLike<number>,
): Record<string, number> {
  switch (task) {
    case 'cola':
      return { matthews_correlation: matthewsCorrcoef(references, predictions) };
    case 'stsb':
      return { pearson: pearson(predictions, references), spearmanr: spearman(predictions, references) };
    case 'mrpc':
    case 'qqp':
      return { accuracy: accuracy(references, predictions), f1: f1Score(references, predictions) };
    default:
      return { accuracy: accuracy(references, predictions) };
  }
}
