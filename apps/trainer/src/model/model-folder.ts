// Where a model is: a Hugging Face folder (config.json + model.safetensors), or a run folder of
// albert-train (its best/ checkpoint when fine-tuned, else its newest checkpoint).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AlbertTokenizerOptions, parseModelProto, tokenizerJsonFromModel } from '@albert-ts/tokenizer';
import { InputFileError } from '../errors.js';
import { albertTokenizerConfig } from '../hf/tokenizer-config.js';
import { latestCheckpoint } from '../run/run-folder.js';

export const BEST = 'best';

export function resolveModelFolder(path: string): string {
  if (!existsSync(path)) throw new InputFileError(`model folder '${path}' does not exist.`);
  if (existsSync(join(path, 'config.json'))) return path;
  if (existsSync(join(path, BEST, 'config.json'))) return join(path, BEST);
  const latest = latestCheckpoint(path);
  if (latest != null) return latest;
  throw new InputFileError(
    `'${path}' is neither a model folder (no config.json) nor an albert-train run folder (no best/ or checkpoints/).`,
  );
}

/** The architecture config.json names (architectures[0]), or null. */
export function architectureOf(folder: string): string | null {
  const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as { architectures?: string[] };
  return config.architectures?.[0] ?? null;
}

/**
 * spiece.model and tokenizer_config.json into `folder` (the tokenizer half of a model folder), with
 * the preprocessing flags of the tokenizer it was used with (ALBERT's defaults when not given).
 */
export function writeTokenizerFiles(
  folder: string,
  spiece: Uint8Array,
  modelMaxLength: number,
  flags: Pick<AlbertTokenizerOptions, 'doLowerCase' | 'keepAccents' | 'removeSpace'> = {},
): void {
  writeFileSync(join(folder, 'spiece.model'), spiece);
  const { doLowerCase, keepAccents, removeSpace } = flags;
  writeFileSync(
    join(folder, 'tokenizer_config.json'),
    `${JSON.stringify(albertTokenizerConfig({ modelMaxLength, doLowerCase, keepAccents, removeSpace }), null, 2)}\n`,
  );
}

/**
 * tokenizer.json beside spiece.model: Hugging Face's fast-tokenizer conversion of it, with the
 * preprocessing flags tokenizer_config.json states (by default lowercase, accents stripped).
 */
export function writeTokenizerJson(
  folder: string,
  spiece: Uint8Array,
  form: 'current' | 'legacy',
  flags: Pick<AlbertTokenizerOptions, 'doLowerCase' | 'keepAccents'> = {},
): void {
  const text = tokenizerJsonFromModel(parseModelProto(spiece), {
    doLowerCase: flags.doLowerCase ?? true,
    keepAccents: flags.keepAccents ?? false,
    addedTokens: form,
  });
  writeFileSync(join(folder, 'tokenizer.json'), text);
}
