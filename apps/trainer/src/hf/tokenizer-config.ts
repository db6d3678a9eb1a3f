// tokenizer_config.json as Hugging Face's AlbertTokenizer writes it (save_pretrained of
// albert-base-v2): the preprocessing flags, the special tokens ([MASK] as an AddedToken that eats
// the space before it) and the longest input. transformers' AutoTokenizer reads `tokenizer_class`.
export interface TokenizerConfigOptions {
  modelMaxLength: number;
  doLowerCase?: boolean;
  keepAccents?: boolean;
  removeSpace?: boolean;
}

export function albertTokenizerConfig(options: TokenizerConfigOptions): Record<string, unknown> {
  return {
    tokenizer_class: 'AlbertTokenizer',
    do_lower_case: options.doLowerCase ?? true,
    remove_space: options.removeSpace ?? true,
    keep_accents: options.keepAccents ?? false,
    bos_token: '[CLS]',
    eos_token: '[SEP]',
    unk_token: '<unk>',
    sep_token: '[SEP]',
    pad_token: '<pad>',
    cls_token: '[CLS]',
    mask_token: {
      content: '[MASK]',
      lstrip: true,
      rstrip: false,
      normalized: false,
      single_word: false,
      __type: 'AddedToken',
    },
    model_max_length: options.modelMaxLength,
  };
}
