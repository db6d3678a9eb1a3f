// albert-ts's AlbertTokenizer: @albert-ts/tokenizer's class (Hugging Face's slow AlbertTokenizer) plus
// fromPretrained, which reads spiece.model, tokenizer_config.json and special_tokens_map.json of a
// model folder, base URL or hub id through core's model sources (and so the hub cache). It lives here
// because the tokenizer package depends on no model code. Every constructor of this class returns an
// instance of it, so `instanceof` holds for this class and for the tokenizer package's.
import { HubError, type ModelSource, type OpenModelSourceOptions, openModelSource } from '@albert-ts/core';
import {
  type AlbertTokenizerOptions,
  parseModelProto,
  AlbertTokenizer as SlowAlbertTokenizer,
} from '@albert-ts/tokenizer';
import { PipelineError } from '../errors.js';
import { readJsonObject } from './read-json.js';
import { tokenizerOptionsFromConfig } from './tokenizer-config.js';

/**
 * The error for a model source without any tokenizer file. Offline, a hub source answers `has` from
 * its cache alone: then the error says that the files are not in the cache rather than not in the model.
 */
export async function noTokenizerError(source: ModelSource): Promise<PipelineError> {
  const offline = await source.readFile('spiece.model').then(
    () => undefined,
    (e: unknown) => (e instanceof HubError && e.code === 'offline-missing' ? e : undefined),
  );
  if (offline !== undefined) {
    return new PipelineError(
      'no-tokenizer',
      `${source.description}: neither spiece.model nor tokenizer.json is in the cache, and offline mode ` +
        'cannot download them. Load the tokenizer once online (or copy its files into the cache).',
      { cause: offline },
    );
  }
  return new PipelineError(
    'no-tokenizer',
    `${source.description} has no tokenizer: neither spiece.model nor tokenizer.json is there. Copy the ` +
      "SentencePiece model the checkpoint was trained with into the folder as spiece.model (Hugging Face's " +
      'tokenizer.save_pretrained(folder) writes it), or pass the tokenizer yourself.',
  );
}

export class AlbertTokenizer extends SlowAlbertTokenizer {
  /** From the bytes of a SentencePiece `.model` file (spiece.model). Works anywhere. */
  static override fromBytes(bytes: Uint8Array, options: AlbertTokenizerOptions = {}): AlbertTokenizer {
    return new AlbertTokenizer(parseModelProto(bytes), options);
  }

  /** From a `.model` file path (Node only). */
  static override async fromFile(path: string, options: AlbertTokenizerOptions = {}): Promise<AlbertTokenizer> {
    return new AlbertTokenizer((await SlowAlbertTokenizer.fromFile(path, options)).sp, options);
  }

  /**
   * The spiece.model of a model folder, base URL or hub id (or an opened ModelSource), configured by
   * tokenizer_config.json (do_lower_case, keep_accents, remove_space, special tokens as strings or
   * AddedToken objects, model_max_length) with special_tokens_map.json's tokens on top. Like Hugging
   * Face's slow AlbertTokenizer it needs spiece.model: a folder with only tokenizer.json is an error
   * pointing to AutoTokenizer.fromPretrained, which runs tokenizer.json.
   */
  static async fromPretrained(
    source: string | ModelSource,
    options: OpenModelSourceOptions = {},
  ): Promise<AlbertTokenizer> {
    const files = typeof source === 'string' ? await openModelSource(source, options) : source;
    if (!(await files.has('spiece.model'))) {
      if (!(await files.has('tokenizer.json'))) throw await noTokenizerError(files);
      throw new PipelineError(
        'no-tokenizer',
        `${files.description} has no spiece.model, which AlbertTokenizer.fromPretrained reads; it has only ` +
          'tokenizer.json. Load that with AutoTokenizer.fromPretrained (it runs tokenizer.json as Hugging ' +
          "Face's Rust tokenizers do), or add the checkpoint's SentencePiece model as spiece.model.",
      );
    }
    return readSpiece(files);
  }
}

/** AlbertTokenizer from the spiece.model of `files` (known to be there) and its tokenizer configuration. */
export async function readSpiece(files: ModelSource): Promise<AlbertTokenizer> {
  const config = await readJsonObject(files, 'tokenizer_config.json');
  const specialTokensMap = await readJsonObject(files, 'special_tokens_map.json');
  return AlbertTokenizer.fromBytes(
    await files.readFile('spiece.model'),
    tokenizerOptionsFromConfig(config, specialTokensMap),
  );
}
