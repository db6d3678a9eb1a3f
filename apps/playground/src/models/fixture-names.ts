// The small fixture models the playground falls back to until the embedded default model is
// installed. They are Hugging Face checkpoints of the project's tiny test configurations with
// RANDOM weights: every task runs end to end, but the predictions mean nothing (see fixtures/README.md).
// No Node imports here: the web page uses the same names.

/** Fixture folder (under apps/playground/fixtures/) per pipeline task. */
export const FIXTURE_FOR_TASK: Record<string, string> = {
  'fill-mask': 'tiny-pretraining',
  'feature-extraction': 'tiny-pretraining',
  'sentence-similarity': 'tiny-pretraining',
  'text-classification': 'tiny-seqcls',
  'token-classification': 'tiny-ner',
  'question-answering': 'tiny-qa',
  'multiple-choice': 'tiny-mc',
};

/** Every fixture folder the app ships. */
export const FIXTURE_NAMES = [
  'tiny-pretraining',
  'tiny-seqcls',
  'tiny-ner',
  'tiny-qa',
  'tiny-mc',
  'tiny-groups',
] as const;

/** The one-line notice shown wherever a fixture model stands in for the default model. */
export function fixtureNotice(what: string, fixture: string): string {
  return (
    `notice: the default model has no ${what} head, so ${what} runs on the fixture model "${fixture}" — ` +
    'a tiny ALBERT with random weights: the results show the pipeline working, the predictions mean nothing. ' +
    'Pass --model <folder|url|hub id> for a trained model.'
  );
}
