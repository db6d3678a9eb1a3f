// Loading the tokenizer of a model folder, URL or hub id through core's model sources (and so its
// hub cache): spiece.model (Hugging Face's slow AlbertTokenizer, exactly) or tokenizer.json (the
// Rust tokenizers' behaviour), configured by tokenizer_config.json and special_tokens_map.json.
// The tokenizer package stays free of core: the loading lives here.
import { type ModelSource, type OpenModelSourceOptions, openModelSource } from '@albert-ts/core';
import { AlbertTokenizer, type TokenizerJsonTokenizer } from '@albert-ts/tokenizer';
import { PipelineError } from '../errors.js';
import { modelMaxLength, tokenizerOptionsFromConfig } from './tokenizer-config.js';

/** What a model folder's tokenizer files load into. */
export type Tokenizer = AlbertTokenizer | TokenizerJsonTokenizer;

export interface TokenizerFromPretrainedOptions extends OpenModelSourceOptions {
  /**
   * Which file to read when both exist. Default 'spiece.model': Hugging Face's slow tokenizer exactly,
   * with offsets through every normalization; 'tokenizer.json' runs the file as HF's Rust library does.
   */
  prefer?: 'spiece.model' | 'tokenizer.json';
}

async function readJson(source: ModelSource, name: string): Promise<Record<string, unknown>> {
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

export const AutoTokenizer = {
  /**
   * The tokenizer of a model folder, base URL or hub id (or an opened ModelSource): spiece.model or
   * tokenizer.json, with tokenizer_config.json's do_lower_case, keep_accents, remove_space, special
   * tokens and model_max_length.
   */
  async fromPretrained(source: string | ModelSource, options: TokenizerFromPretrainedOptions = {}): Promise<Tokenizer> {
    const { prefer = 'spiece.model', ...sourceOptions } = options;
    const files = typeof source === 'string' ? await openModelSource(source, sourceOptions) : source;
    const config = await readJson(files, 'tokenizer_config.json');
    const order = prefer === 'spiece.model' ? ['spiece.model', 'tokenizer.json'] : ['tokenizer.json', 'spiece.model'];
    for (const name of order) {
      if (!(await files.has(name))) continue;
      if (name === 'spiece.model') {
        const specialTokensMap = await readJson(files, 'special_tokens_map.json');
        return AlbertTokenizer.fromBytes(
          await files.readFile(name),
          tokenizerOptionsFromConfig(config, specialTokensMap),
        );
      }
      const maxLength = modelMaxLength(config);
      return AlbertTokenizer.fromTokenizerJson(
        await files.readText(name),
        maxLength === undefined ? {} : { modelMaxLength: maxLength },
      );
    }
    throw new PipelineError(
      'no-tokenizer',
      `${files.description} has no tokenizer: neither spiece.model nor tokenizer.json is there. Copy the ` +
        "SentencePiece model the checkpoint was trained with into the folder as spiece.model (Hugging Face's " +
        'tokenizer.save_pretrained(folder) writes it), or pass the tokenizer yourself.',
    );
  },
};
