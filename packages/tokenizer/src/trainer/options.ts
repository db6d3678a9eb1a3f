// Options of the unigram trainer. Names are SentencePiece's trainer_spec fields in camelCase, with
// SentencePiece's defaults (sentencepiece/src/sentencepiece_model.proto, spm_train --help), so a
// command line for spm_train translates one to one.

import { TrainerError } from './errors.js';

export interface UnigramTrainerOptions {
  /** Size of the final vocabulary, meta pieces (unk, control, user-defined) included. Default 8000. */
  vocabSize: number;
  /** Fraction of characters (by count) that must be covered; the rarest rest become `<unk>`. Default 0.9995. */
  characterCoverage: number;
  /** Keep at most this many sentences (reservoir sampling, seeded); 0 = all. Default 0. */
  inputSentenceSize: number;
  /** Sample with a reservoir when `inputSentenceSize` is exceeded (else keep the first ones). Default true. */
  shuffleInputSentence: boolean;
  /** Lines longer than this many UTF-8 bytes are skipped, as spm_train does. Default 4192. */
  maxSentenceLength: number;
  /** Number of seed pieces taken from frequent substrings. Default 1,000,000. */
  seedSentencepieceSize: number;
  /** Keep this fraction of the pieces in each pruning round. Default 0.75. */
  shrinkingFactor: number;
  /** EM iterations between pruning rounds. Default 2. */
  numSubIterations: number;
  /** Longest piece, in characters. Default 16. */
  maxSentencepieceLength: number;
  /** Pieces never cross a unicode script change (Latin vs Common, …). Default true. */
  splitByUnicodeScript: boolean;
  /** Digits are kept apart from letters of other scripts (false: digits join any script). Default true. */
  splitByNumber: boolean;
  /** Pieces never cross a whitespace; `▁` only begins a piece. Default true. */
  splitByWhitespace: boolean;
  /** Every digit is a piece of its own. Default false. */
  splitDigits: boolean;
  /** Kept whole in the text and added to the vocabulary with type USER_DEFINED. */
  userDefinedSymbols: string[];
  /** Added to the vocabulary with type CONTROL (never produced by encoding text). */
  controlSymbols: string[];
  /** Characters that are always in the vocabulary, whatever the coverage. */
  requiredChars: string;
  /** Error (instead of a smaller vocabulary) when the corpus cannot fill `vocabSize`. Default true. */
  hardVocabLimit: boolean;
  unkId: number;
  bosId: number;
  eosId: number;
  padId: number;
  unkPiece: string;
  bosPiece: string;
  eosPiece: string;
  padPiece: string;
  unkSurface: string;
  /** Normalization: 'nmt_nfkc' (SentencePiece's default charsmap) or 'identity'. Default 'nmt_nfkc'. */
  normalizationRuleName: 'nmt_nfkc' | 'identity';
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  /** Lower-case every character of the input first (one code point at a time, as ALBERT does). Default false. */
  lowercase: boolean;
  /** Seed of the reservoir sampler. Default 0. */
  seed: number;
  /**
   * Pruning loss as SentencePiece 0.1.97 computes it: the likelihood normalizer after removing a
   * piece grows by its count × (vocabulary size − 1) instead of × (its alternatives − 1)
   * (google/sentencepiece#628). Default true: with it, 99% of the pieces agree with spm_train 0.1.97
   * (98% without) on the Gutenberg corpus; false uses the per-piece count the comment describes.
   */
  legacyPruneLoss: boolean;
  /** Worker threads for the EM passes (Node only; 1 = this thread). Default 1. */
  numThreads: number;
}

export const DEFAULT_TRAINER_OPTIONS: Readonly<UnigramTrainerOptions> = Object.freeze({
  vocabSize: 8000,
  characterCoverage: 0.9995,
  inputSentenceSize: 0,
  shuffleInputSentence: true,
  maxSentenceLength: 4192,
  seedSentencepieceSize: 1_000_000,
  shrinkingFactor: 0.75,
  numSubIterations: 2,
  maxSentencepieceLength: 16,
  splitByUnicodeScript: true,
  splitByNumber: true,
  splitByWhitespace: true,
  splitDigits: false,
  userDefinedSymbols: [],
  controlSymbols: [],
  requiredChars: '',
  hardVocabLimit: true,
  unkId: 0,
  bosId: 1,
  eosId: 2,
  padId: -1,
  unkPiece: '<unk>',
  bosPiece: '<s>',
  eosPiece: '</s>',
  padPiece: '<pad>',
  unkSurface: ' \u2047 ',
  normalizationRuleName: 'nmt_nfkc',
  addDummyPrefix: true,
  removeExtraWhitespaces: true,
  lowercase: false,
  seed: 0,
  legacyPruneLoss: true,
  numThreads: 1,
});

/**
 * ALBERT's recipe (google-research/albert README: spm_train --vocab_size=30000 --pad_id=0 --unk_id=1
 * --eos_id=-1 --bos_id=-1 --control_symbols=[CLS],[SEP],[MASK] --user_defined_symbols="(,),\",-,.,–,£,€"
 * --shuffle_input_sentence=true --input_sentence_size=10000000 --character_coverage=0.99995), on
 * lower-cased text. Ids come out as in the released model: <pad>=0 <unk>=1 [CLS]=2 [SEP]=3 [MASK]=4.
 */
export const ALBERT_PRESET: Readonly<Partial<UnigramTrainerOptions>> = Object.freeze({
  vocabSize: 30000,
  padId: 0,
  unkId: 1,
  bosId: -1,
  eosId: -1,
  controlSymbols: ['[CLS]', '[SEP]', '[MASK]'],
  userDefinedSymbols: ['(', ')', '"', '-', '.', '–', '£', '€'],
  inputSentenceSize: 10_000_000,
  shuffleInputSentence: true,
  characterCoverage: 0.99995,
  lowercase: true,
});

export const TRAINER_PRESETS: Readonly<Record<string, Readonly<Partial<UnigramTrainerOptions>>>> = Object.freeze({
  albert: ALBERT_PRESET,
});

/** One vocabulary entry that is not learned: unk, bos, eos, pad, control and user-defined symbols. */
export interface MetaPiece {
  id: number;
  piece: string;
  kind: 'unk' | 'control' | 'user';
}

/** Fills defaults (after an optional preset), validates, and returns the full option set. */
export function resolveTrainerOptions(
  options: Partial<UnigramTrainerOptions> = {},
  preset?: string,
): UnigramTrainerOptions {
  let base: Partial<UnigramTrainerOptions> = {};
  if (preset !== undefined) {
    const p = TRAINER_PRESETS[preset];
    if (p === undefined) {
      throw new TrainerError(
        `unknown trainer preset '${preset}'; known presets: ${Object.keys(TRAINER_PRESETS).join(', ')}`,
      );
    }
    base = p;
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o: UnigramTrainerOptions = { ...DEFAULT_TRAINER_OPTIONS, ...base, ...defined } as UnigramTrainerOptions;
  const known = new Set(Object.keys(DEFAULT_TRAINER_OPTIONS));
  for (const key of Object.keys(options)) {
    if (!known.has(key))
      throw new TrainerError(`unknown trainer option '${key}'; known options: ${[...known].join(', ')}`);
  }
  const intAtLeast = (name: keyof UnigramTrainerOptions, min: number) => {
    const v = o[name] as unknown;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new TrainerError(`trainer option ${name} must be an integer >= ${min}, got ${String(v)}`);
    }
  };
  intAtLeast('vocabSize', 1);
  intAtLeast('inputSentenceSize', 0);
  intAtLeast('maxSentenceLength', 1);
  intAtLeast('seedSentencepieceSize', 1);
  intAtLeast('numSubIterations', 1);
  intAtLeast('maxSentencepieceLength', 1);
  intAtLeast('seed', 0);
  intAtLeast('numThreads', 1);
  if (!(o.characterCoverage > 0 && o.characterCoverage <= 1)) {
    throw new TrainerError(`characterCoverage must be in (0, 1], got ${o.characterCoverage}`);
  }
  if (!(o.shrinkingFactor > 0 && o.shrinkingFactor < 1)) {
    throw new TrainerError(`shrinkingFactor must be in (0, 1), got ${o.shrinkingFactor}`);
  }
  if (o.normalizationRuleName !== 'nmt_nfkc' && o.normalizationRuleName !== 'identity') {
    throw new TrainerError(`normalizationRuleName must be 'nmt_nfkc' or 'identity', got '${o.normalizationRuleName}'`);
  }
  if (o.unkId < 0) throw new TrainerError(`unkId must be >= 0 (the vocabulary needs an <unk> piece), got ${o.unkId}`);
  metaPieces(o); // validates ids and symbols
  return o;
}

/**
 * The meta pieces in id order, placed like SentencePiece does: unk/bos/eos/pad at their ids, then the
 * control symbols and then the user-defined symbols in the free ids from 0 upwards.
 */
export function metaPieces(o: UnigramTrainerOptions): MetaPiece[] {
  const byId = new Map<number, MetaPiece>();
  const seen = new Set<string>();
  const add = (id: number, piece: string, kind: MetaPiece['kind'], what: string) => {
    if (piece.length === 0) throw new TrainerError(`${what}: empty piece`);
    if (seen.has(piece)) throw new TrainerError(`${what}: piece '${piece}' is defined twice among the special pieces`);
    if (id >= o.vocabSize) {
      throw new TrainerError(`${what}: id ${id} for '${piece}' is outside the vocabulary (vocabSize ${o.vocabSize})`);
    }
    if (byId.has(id)) {
      throw new TrainerError(`${what}: id ${id} for '${piece}' is already used by '${byId.get(id)?.piece}'`);
    }
    seen.add(piece);
    byId.set(id, { id, piece, kind });
  };
  add(o.unkId, o.unkPiece, 'unk', 'unkId');
  if (o.bosId >= 0) add(o.bosId, o.bosPiece, 'control', 'bosId');
  if (o.eosId >= 0) add(o.eosId, o.eosPiece, 'control', 'eosId');
  if (o.padId >= 0) add(o.padId, o.padPiece, 'control', 'padId');
  let next = 0;
  const nextFree = () => {
    while (byId.has(next)) next++;
    return next;
  };
  for (const s of o.controlSymbols) add(nextFree(), s, 'control', 'controlSymbols');
  for (const s of o.userDefinedSymbols) add(nextFree(), s, 'user', 'userDefinedSymbols');
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
