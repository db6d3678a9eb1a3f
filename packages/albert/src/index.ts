// albert-ts: the one import. pipeline(task) for every ALBERT task, Auto classes that pick the model
// class from config.json, AutoTokenizer for a model folder, and every albert-ts package re-exported.
export * from '@albert-ts/backends';
export * from '@albert-ts/core';
// Names more than one package exports: the umbrella picks one (same class across packages).
export { AlbertError, deriveSeed } from '@albert-ts/core';
export * from '@albert-ts/heads';
export * from '@albert-ts/pretraining';
export * from '@albert-ts/tokenizer';
export * from '@albert-ts/training';

export { PipelineError, type PipelineErrorCode } from './errors.js';
export { AutoTokenizer, type Tokenizer, type TokenizerFromPretrainedOptions } from './tokenizer/auto-tokenizer.js';
export { modelMaxLength, tokenizerOptionsFromConfig } from './tokenizer/tokenizer-config.js';
