// Where pipeline(task) finds a model when none is given. Looked up in order, so the embedded default
// model is found without configuration once it exists:
// 1. the package `@albert-ts/default-model`, when installed: its `defaultModel(task)` returns a
//    folder, URL, hub id or ModelSource (or undefined for a task it does not cover);
// 2. in Node, the repository's `models/default/<task>/` folder, then `models/default/` (a model
//    folder with config.json, model.safetensors and spiece.model).
// Otherwise a PipelineError says which model to pass.
import type { ModelSource } from '@albert-ts/core';
import { PipelineError } from '../errors.js';

export const DEFAULT_MODEL_PACKAGE = '@albert-ts/default-model';

type DefaultModelModule = { defaultModel?: (task: string) => string | ModelSource | undefined };

async function fromPackage(task: string): Promise<string | ModelSource | undefined> {
  const specifier = DEFAULT_MODEL_PACKAGE; // a variable: bundlers leave the optional import alone
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as DefaultModelModule;
    return mod.defaultModel?.(task);
  } catch {
    return undefined; // not installed
  }
}

async function fromRepository(task: string): Promise<string | undefined> {
  if (typeof process === 'undefined' || process.versions?.node == null) return undefined;
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  // src/pipelines/ and dist/pipelines/ are both four levels below the repository root
  const root = fileURLToPath(new URL('../../../../models/default/', import.meta.url));
  for (const dir of [`${root}${task}`, root]) if (existsSync(`${dir}/config.json`)) return dir;
  return undefined;
}

/** The default model of `task`, or a PipelineError naming what to pass. */
export async function defaultModelFor(task: string): Promise<string | ModelSource> {
  const found = (await fromPackage(task)) ?? (await fromRepository(task));
  if (found !== undefined) return found;
  throw new PipelineError(
    'no-default-model',
    `pipeline('${task}') without a model needs the default model, which is not installed ` +
      `(neither the package ${DEFAULT_MODEL_PACKAGE} nor a models/default folder). Pass a model: ` +
      `pipeline('${task}', './my-model') for a Hugging Face model folder (config.json, model.safetensors, ` +
      "spiece.model), a base URL, or a hub id such as 'org/name'.",
  );
}
