// @albert-ts/default-model: the embedded default model of albert-ts's pipelines. `pipeline(task)`
// without a model imports this package (when installed) and asks `defaultModel(task)`.
// See models/MODEL_CARD.md in the repository for how the model was made and what it scores.
import { DEFAULT_MODELS, type DefaultModelEntry } from './models.js';

export { DEFAULT_MODELS, type DefaultModelEntry } from './models.js';

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

// The packed package holds models/ beside dist/ and src/; in the repository they sit two levels up.
const CANDIDATE_ROOTS = ['../models/', '../../../models/'];

function folderUrl(root: string, folder: string): URL {
  return new URL(`${root}${folder}/`, import.meta.url);
}

async function existsInNode(url: URL): Promise<boolean> {
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  return existsSync(fileURLToPath(new URL('config.json', url)));
}

/** The shipped model entry for `task`, or undefined when no default covers the task. */
export function defaultModelEntry(task: string): DefaultModelEntry | undefined {
  return DEFAULT_MODELS.find((m) => m.tasks.includes(task));
}

/**
 * The default model of a pipeline task: in Node a folder path, elsewhere a base URL next to this
 * module (a bundler that copies models/ serves it). Undefined when the task has no default model
 * (zero-shot-classification and multiple-choice need heads this model does not ship) or its folder
 * is missing.
 */
export async function defaultModel(task: string): Promise<string | undefined> {
  const entry = defaultModelEntry(task);
  if (entry === undefined) return undefined;
  if (!isNode) return folderUrl(CANDIDATE_ROOTS[0] as string, entry.folder).href;
  const { fileURLToPath } = await import('node:url');
  for (const root of CANDIDATE_ROOTS) {
    const url = folderUrl(root, entry.folder);
    if (await existsInNode(url)) return fileURLToPath(url);
  }
  return undefined;
}
