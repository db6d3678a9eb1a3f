// Loading the tokenizer of a model folder, URL or hub id through core's model sources (and so its
// hub cache): spiece.model (AlbertTokenizer.fromPretrained: Hugging Face's slow AlbertTokenizer,
// exactly) or tokenizer.json (the Rust tokenizers' behaviour), configured by tokenizer_config.json.
// The tokenizer package stays free of core: the loading lives here.
import { type ModelSource, type OpenModelSourceOptions, openModelSource } from '@albert-ts/core';
import type { TokenizerJsonTokenizer } from '@albert-ts/tokenizer';
import { AlbertTokenizer, noTokenizerError, readSpiece } from './albert-tokenizer.js';
import { readJsonObject } from './read-json.js';
import { modelMaxLength } from './tokenizer-config.js';

/** What a model folder's tokenizer files load into. */
export type Tokenizer = AlbertTokenizer | TokenizerJsonTokenizer;

export interface TokenizerFromPretrainedOptions extends OpenModelSourceOptions {
  /**
   * Which file to read when both exist. Default 'spiece.model': Hugging Face's slow tokenizer exactly,
   * with offsets through every normalization; 'tokenizer.json' runs the file as HF's Rust library does.
   */
  prefer?: 'spiece.model' | 'tokenizer.json';
}

async function fromTokenizerJson(files: ModelSource): Promise<TokenizerJsonTokenizer> {
  const maxLength = modelMaxLength(await readJsonObject(files, 'tokenizer_config.json'));
  return AlbertTokenizer.fromTokenizerJson(
    await files.readText('tokenizer.json'),
    maxLength === undefined ? {} : { modelMaxLength: maxLength },
  );
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
    const order = prefer === 'spiece.model' ? ['spiece.model', 'tokenizer.json'] : ['tokenizer.json', 'spiece.model'];
    for (const name of order) {
      if (!(await files.has(name))) continue;
      return name === 'spiece.model' ? readSpiece(files) : fromTokenizerJson(files);
    }
    throw await noTokenizerError(files);
  },
};
