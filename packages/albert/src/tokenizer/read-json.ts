// A JSON object file of a model source (tokenizer_config.json, special_tokens_map.json): {} when the
// file is absent, a PipelineError naming the file when it is not a JSON object.
import type { ModelSource } from '@albert-ts/core';
import { PipelineError } from '../errors.js';

export async function readJsonObject(source: ModelSource, name: string): Promise<Record<string, unknown>> {
  if (!(await source.has(name))) return {};
  const text = await source.readText(name);
  try {
    const value: unknown = JSON.parse(text);
    if (value != null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (cause) {
    throw new PipelineError('no-tokenizer', `${name} in ${source.description} is not valid JSON`, { cause });
  }
  throw new PipelineError('no-tokenizer', `${name} in ${source.description} is not a JSON object`);
}
