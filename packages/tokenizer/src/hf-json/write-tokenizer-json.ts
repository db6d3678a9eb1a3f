// A SentencePiece unigram model as the Hugging Face fast-tokenizer file (`tokenizer.json`) that
// transformers' slow-to-fast conversion writes for ALBERT (AlbertConverter over SpmConverter, as
// released in transformers 4.57; facts from its convert_slow_tokenizer.py, written here, not copied):
//
// - normalizer: Replace("``" → '"'), Replace("''" → '"'), then NFKD + StripAccents unless
//   keep_accents, Lowercase if do_lower_case, Precompiled(the model's charsmap, base64) when the
//   model has one, Replace(Regex(" {2,}") → " ").
// - pre_tokenizer and decoder: Metaspace("▁", prepend_scheme "always", split true).
// - model: Unigram(unk_id = trainer_spec.unk_id, byte_fallback), every piece with its float32 score
//   written as a float64 — minus 100 for a piece ending in a digit and a comma (the converter's
//   stand-in for the slow tokenizer's digit–comma re-encoding; "digit" is Python's str.isdigit).
// - added_tokens (sorted by id): CONTROL and UNKNOWN pieces and ALBERT's special tokens as special,
//   USER_DEFINED pieces as non-special (the 'legacy' form, written by converters before June 2024,
//   leaves the USER_DEFINED ones out); none normalized; [MASK] strips the space on its left.
// - post_processor: TemplateProcessing "[CLS]:0 $A:0 [SEP]:0" / "… $B:1 [SEP]:1".
// The text is serialized as the Rust `tokenizers` library does (2-space indent, floats always with a
// fraction or an exponent), so for Google's 30k-clean.model it is byte-identical to the file
// transformers writes (test/hf-json-write.test.ts).
import { TokenizerInputError } from '../errors.js';
import { type ModelProto, PieceType } from '../model/model-proto.js';

export interface TokenizerJsonOptions {
  /** Lowercase (AlbertTokenizer's do_lower_case). Default true. */
  doLowerCase?: boolean;
  /** Keep accents (AlbertTokenizer's keep_accents); false adds NFKD + StripAccents. Default false. */
  keepAccents?: boolean;
  /**
   * 'current' (default): what transformers ≥ 4.42 writes, USER_DEFINED pieces among the added tokens.
   * 'legacy': the older form without them, which agrees better with the slow tokenizer on text with
   * `( ) " - .` (see the package README).
   */
  addedTokens?: 'current' | 'legacy';
}

/** ALBERT's special tokens (AlbertTokenizer's defaults). */
const SPECIAL = { cls: '[CLS]', sep: '[SEP]', mask: '[MASK]', unk: '<unk>', pad: '<pad>' } as const;

// Python's str.isdigit: Unicode Nd plus the characters with Numeric_Type=Digit outside Nd
// (superscripts, subscripts, circled digits, …; Unicode 14 list).
const IS_DIGIT =
  /[\p{Nd}\u00B2\u00B3\u00B9\u1369-\u1371\u19DA\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247C\u2488-\u2490\u24EA\u24F5-\u24FD\u24FF\u2776-\u277E\u2780-\u2788\u278A-\u2792\u{10A40}-\u{10A43}\u{10E60}-\u{10E68}\u{11052}-\u{1105A}\u{1F100}-\u{1F10A}]/u;

/** The converter's check_number_comma: false for a piece ending in a digit and a comma. */
function keepsScore(piece: string): boolean {
  const chars = [...piece];
  if (chars.length < 2 || chars[chars.length - 1] !== ',') return true;
  return !IS_DIGIT.test(chars[chars.length - 2] as string);
}

function bytesToBase64(bytes: Uint8Array): string {
  if (typeof Buffer !== 'undefined')
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * A float64 as Rust's serde_json writes it (ryu): integers keep ".0"; scientific notation below
 * 1e-5 and from 1e16 on, without "+" in the exponent.
 */
function rustFloat(x: number): string {
  if (!Number.isFinite(x))
    throw new TokenizerInputError(`tokenizer.json: a piece score is ${x}; scores must be finite.`);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-5 || abs >= 1e16)) return x.toExponential().replace('e+', 'e');
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** The tokenizer.json text for `model` (a parsed spiece.model). */
export function tokenizerJsonFromModel(model: ModelProto, options: TokenizerJsonOptions = {}): string {
  const doLowerCase = options.doLowerCase ?? true;
  const keepAccents = options.keepAccents ?? false;
  const form = options.addedTokens ?? 'current';
  if (form !== 'current' && form !== 'legacy') {
    throw new TokenizerInputError(`tokenizer.json: addedTokens must be 'current' or 'legacy' (got ${String(form)}).`);
  }
  const pieces = model.pieces;
  const idOf = (piece: string): number => {
    const id = pieces.findIndex((p) => p.piece === piece);
    if (id < 0) {
      throw new TokenizerInputError(
        `tokenizer.json: the model has no ${piece} piece, which ALBERT's post-processor needs; train the tokenizer with ALBERT's special tokens.`,
      );
    }
    return id;
  };
  const unkId = model.trainerSpec.unkId ?? 0;
  if (pieces[unkId]?.type !== PieceType.UNKNOWN) {
    throw new TokenizerInputError(`tokenizer.json: trainer_spec.unk_id ${unkId} is not the model's unknown piece.`);
  }
  const cls = idOf(SPECIAL.cls);
  const sep = idOf(SPECIAL.sep);

  const specials = new Set<string>(Object.values(SPECIAL));
  const added = pieces.flatMap((p, id) => {
    const special = p.type === PieceType.CONTROL || p.type === PieceType.UNKNOWN || specials.has(p.piece);
    if (!special && (p.type !== PieceType.USER_DEFINED || form === 'legacy')) return [];
    return [
      {
        id,
        content: p.piece,
        single_word: false,
        lstrip: p.piece === SPECIAL.mask,
        rstrip: false,
        normalized: false,
        special,
      },
    ];
  });

  const normalizers: Record<string, unknown>[] = [
    { type: 'Replace', pattern: { String: '``' }, content: '"' },
    { type: 'Replace', pattern: { String: "''" }, content: '"' },
  ];
  if (!keepAccents) normalizers.push({ type: 'NFKD' }, { type: 'StripAccents' });
  if (doLowerCase) normalizers.push({ type: 'Lowercase' });
  const charsmap = model.normalizerSpec.precompiledCharsmap;
  if (charsmap != null && charsmap.length > 0) {
    normalizers.push({ type: 'Precompiled', precompiled_charsmap: bytesToBase64(charsmap) });
  }
  normalizers.push({ type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' });

  const metaspace = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true };
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
  // Scores go in as placeholders and come out in Rust's float format.
  const scores: string[] = [];
  const vocab = pieces.map((p) => {
    scores.push(rustFloat(keepsScore(p.piece) ? p.score : p.score - 100));
    return [p.piece, `\u0000score${scores.length - 1}\u0000`];
  });
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'Sequence', normalizers },
    pre_tokenizer: metaspace,
    post_processor: {
      type: 'TemplateProcessing',
      single: [special(SPECIAL.cls, 0), sequence('A', 0), special(SPECIAL.sep, 0)],
      pair: [
        special(SPECIAL.cls, 0),
        sequence('A', 0),
        special(SPECIAL.sep, 0),
        sequence('B', 1),
        special(SPECIAL.sep, 1),
      ],
      special_tokens: {
        [SPECIAL.cls]: { id: SPECIAL.cls, ids: [cls], tokens: [SPECIAL.cls] },
        [SPECIAL.sep]: { id: SPECIAL.sep, ids: [sep], tokens: [SPECIAL.sep] },
      },
    },
    decoder: metaspace,
    model: { type: 'Unigram', unk_id: unkId, vocab, byte_fallback: model.trainerSpec.byteFallback ?? false },
  };
  return JSON.stringify(json, null, 2).replace(
    /"\\u0000score(\d+)\\u0000"/g,
    (_, i: string) => scores[Number(i)] as string,
  );
}
