// Node wrappers: the readers take strings (so they run in the browser); these read the file first
// and name it in errors. `node:fs` is imported lazily, so bundles for the browser never load it.

import { type ConllReadOptions, readConll, type TaggedSentence } from './conll.js';
import { type GlueData, type GlueReadOptions, type GlueTask, readGlueTsv } from './glue.js';
import {
  type MultipleChoiceExample,
  type MultipleChoiceReadOptions,
  readMultipleChoiceJsonl,
} from './multiple-choice.js';
import { readSquadJson, type SquadData, type SquadReadOptions } from './squad.js';

async function readText(path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(path, 'utf8');
}

export async function readGlueFile(path: string, task: GlueTask, options: GlueReadOptions = {}): Promise<GlueData> {
  return readGlueTsv(await readText(path), task, { file: path, ...options });
}

export async function readConllFile(path: string, options: ConllReadOptions = {}): Promise<TaggedSentence[]> {
  return readConll(await readText(path), { file: path, ...options });
}

export async function readSquadFile(path: string, options: SquadReadOptions = {}): Promise<SquadData> {
  return readSquadJson(await readText(path), { file: path, ...options });
}

export async function readMultipleChoiceFile(
  path: string,
  options: MultipleChoiceReadOptions = {},
): Promise<MultipleChoiceExample[]> {
  return readMultipleChoiceJsonl(await readText(path), { file: path, ...options });
}
