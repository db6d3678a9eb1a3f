// @albert-ts/heads: task heads (classification, token classification, QA, multiple choice) and metrics will live here.
export {};
