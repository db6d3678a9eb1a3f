// Where pipeline(task) finds a model when none is given: the package `@albert-ts/default-model`
// (the embedded default model, made in this repository: models/MODEL_CARD.md), when installed. Its
// `defaultModel(task)` returns a folder (Node) or base URL, or undefined for a task it does not cover
// (zero-shot classification and multiple choice). Otherwise a PipelineError says which model to pass.
import type { ModelSource } from '@albert-ts/core';
import { PipelineError } from '../errors.js';

export const DEFAULT_MODEL_PACKAGE = '@albert-ts/default-model';

type DefaultModelModule = {
  defaultModel?: (task: string) => string | ModelSource | undefined | Promise<string | ModelSource | undefined>;
};

async function fromPackage(task: string): Promise<string | ModelSource | undefined> {
  const specifier = DEFAULT_MODEL_PACKAGE; // a variable: bundlers leave the optional import alone
  let mod: DefaultModelModule;
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as DefaultModelModule;
  } catch {
    return undefined; // not installed
  }
  return await mod.defaultModel?.(task);
}

/** The default model of `task`, or a PipelineError naming what to pass. */
export async function defaultModelFor(task: string): Promise<string | ModelSource> {
  const found = await fromPackage(task);
  if (found !== undefined) return found;
  throw new PipelineError(
    'no-default-model',
    `pipeline('${task}') without a model needs a default model, and none is installed for this task ` +
      `(the package ${DEFAULT_MODEL_PACKAGE} covers fill-mask, feature-extraction, sentence-similarity, ` +
      'text-classification and, when shipped, token-classification and question-answering). Pass a model: ' +
      `pipeline('${task}', './my-model') for a Hugging Face model folder (config.json, model.safetensors, ` +
      "spiece.model), a base URL, or a hub id such as 'org/name'.",
  );
}
