// Which shipped model folder serves which pipeline task. The folders are Hugging Face model folders
// (config.json, model.safetensors, spiece.model, tokenizer_config.json) under the repository's
// models/ directory; `pnpm pack` copies them into this package (scripts/copy-models.mjs).

/** A shipped model folder and the pipeline tasks it serves. */
export type DefaultModelEntry = {
  /** Folder name under models/. */
  folder: string;
  /** The Hugging Face class in its config.json. */
  architecture: string;
  /** The pipeline tasks it is the default of. */
  tasks: readonly string[];
};

export const DEFAULT_MODELS: readonly DefaultModelEntry[] = [
  {
    folder: 'albert-gutenberg-small',
    architecture: 'AlbertForPreTraining',
    tasks: ['fill-mask', 'feature-extraction', 'sentence-similarity'],
  },
  {
    folder: 'albert-gutenberg-small-sst2',
    architecture: 'AlbertForSequenceClassification',
    tasks: ['text-classification'],
  },
  {
    folder: 'albert-gutenberg-small-wnut17',
    architecture: 'AlbertForTokenClassification',
    tasks: ['token-classification'],
  },
  { folder: 'albert-gutenberg-small-squad', architecture: 'AlbertForQuestionAnswering', tasks: ['question-answering'] },
];
