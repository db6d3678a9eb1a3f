// Hugging Face's tokenizer_config.json (and special_tokens_map.json) as AlbertTokenizer options.
// Special tokens are strings or AddedToken objects ({ content, lstrip, … }); model_max_length is
// VERY_LARGE_INTEGER (1e30) when the model sets no limit.
import type { AlbertTokenizerOptions } from '@albert-ts/tokenizer';

type Json = Record<string, unknown>;

const SPECIAL: [keyof AlbertTokenizerOptions, string][] = [
  ['clsToken', 'cls_token'],
  ['sepToken', 'sep_token'],
  ['unkToken', 'unk_token'],
  ['padToken', 'pad_token'],
  ['maskToken', 'mask_token'],
];

/** The token's text: a string, or an AddedToken's `content`. */
function tokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value != null && typeof value === 'object' && typeof (value as Json).content === 'string') {
    return (value as Json).content as string;
  }
  return undefined;
}

/** AlbertTokenizer options from tokenizer_config.json, with special_tokens_map.json's tokens on top. */
export function tokenizerOptionsFromConfig(config: Json, specialTokensMap: Json = {}): AlbertTokenizerOptions {
  const options: AlbertTokenizerOptions = {};
  if (typeof config.do_lower_case === 'boolean') options.doLowerCase = config.do_lower_case;
  if (typeof config.remove_space === 'boolean') options.removeSpace = config.remove_space;
  if (typeof config.keep_accents === 'boolean') options.keepAccents = config.keep_accents;
  if (typeof config.clean_up_tokenization_spaces === 'boolean') {
    options.cleanUpTokenizationSpaces = config.clean_up_tokenization_spaces;
  }
  const maxLength = modelMaxLength(config);
  if (maxLength !== undefined) options.modelMaxLength = maxLength;
  for (const [option, key] of SPECIAL) {
    const text = tokenText(specialTokensMap[key]) ?? tokenText(config[key]);
    if (text !== undefined) (options as Record<string, unknown>)[option] = text;
  }
  return options;
}

/** model_max_length, or undefined when absent or HF's "no limit" (VERY_LARGE_INTEGER). */
export function modelMaxLength(config: Json): number | undefined {
  const value = config.model_max_length;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 1e9 ? value : undefined;
}
