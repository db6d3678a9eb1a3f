// Training a SentencePiece unigram model (Kudo 2018, "Subword Regularization", §3.2), following the
// behaviour of SentencePiece's spm_train --model_type=unigram:
//   read (sampled) sentences → normalize → character coverage → seed pieces from the suffix array →
//   split into words → repeat { numSubIterations × (E-step, M-step); stop at 1.1 × vocab; prune } →
//   final pieces → ModelProto (meta pieces at their ids, then pieces by score).

import { type ModelPiece, type ModelProto, PieceType, serializeModelProto } from '../model/model-proto.js';
import { type CharsmapName, loadCharsmap } from './charsmap.js';
import { finalizePieces, mStep, prune } from './em.js';
import { createEmRunner } from './em-runner.js';
import { TrainerError } from './errors.js';
import { createTrainerNormalizer } from './normalize.js';
import { metaPieces, resolveTrainerOptions, type UnigramTrainerOptions } from './options.js';
import { PieceLattice } from './piece-lattice.js';
import { applyCharacterCoverage, WordCounter } from './prepare.js';
import { readLinesFromFiles, readSentences, type SentenceSource } from './read-sentences.js';
import { makeSeedPieces } from './seed-pieces.js';
import { buildWordTable } from './words.js';

export type TrainerStage = 'read' | 'normalize' | 'seed' | 'em' | 'prune' | 'finalize' | 'done';

export interface TrainerProgress {
  stage: TrainerStage;
  /** Progress within the stage, and its total (when known). */
  done: number;
  total?: number;
  /** Current number of pieces (seed, EM and pruning). */
  pieces?: number;
  /** Size at which EM and pruning stop (1.1 × vocabSize). */
  targetPieces?: number;
  /** Negative log-likelihood per word after an EM step. */
  objective?: number;
  message: string;
}

export interface UnigramTrainOptions extends Partial<UnigramTrainerOptions> {
  /** Start from a preset ('albert'); explicit options override it. */
  preset?: string;
  /** Called as training advances (for a progress bar or a log). */
  onProgress?: (p: TrainerProgress) => void;
  /** The precompiled charsmap written into the model; default: SentencePiece's nmt_nfkc (ALBERT's for the albert preset). */
  charsmap?: CharsmapName;
  /** Input file names to record in trainer_spec.input. */
  inputNames?: string[];
}

export interface UnigramTrainResult {
  model: ModelProto;
  /** The serialized `.model` bytes. */
  bytes: Uint8Array;
  stats: {
    sentences: number;
    skippedTooLong: number;
    words: number;
    seedPieces: number;
    requiredChars: number;
    characterCoverage: number;
    emIterations: number;
  };
}

const EXTRA_VOCAB_FACTOR = 1.1;

/** Trains a unigram model from lines of text (any iterable or async iterable of strings). */
export async function trainUnigram(
  source: SentenceSource,
  options: UnigramTrainOptions = {},
): Promise<UnigramTrainResult> {
  // Start an async source now: a stream (e.g. a readline interface) keeps what arrives meanwhile.
  if (Symbol.asyncIterator in source) {
    const it = (source as AsyncIterable<string>)[Symbol.asyncIterator]();
    source = { [Symbol.asyncIterator]: () => it };
  }
  const { preset, onProgress, charsmap: charsmapOption, inputNames, ...rest } = options;
  const o = resolveTrainerOptions(rest, preset);
  const report = onProgress ?? (() => {});
  const meta = metaPieces(o);
  const metaSet = new Set(meta.map((m) => m.piece));

  const charsmapName: CharsmapName | null =
    o.normalizationRuleName === 'identity'
      ? null
      : (charsmapOption ?? (preset === 'albert' ? 'albert_nmt_nfkc' : 'nmt_nfkc'));
  const charsmap = charsmapName === null ? undefined : await loadCharsmap(charsmapName);
  const normalize = createTrainerNormalizer(charsmap, o);

  // Read, normalize and count words. Without sampling, sentences are counted as they stream by.
  report({ stage: 'read', done: 0, message: 'reading sentences' });
  const counter = new WordCounter(normalize, o);
  const read = await readSentences(
    source,
    o,
    (seen) => report({ stage: 'read', done: seen, message: `read ${seen} sentences` }),
    (sentence) => counter.add(sentence),
  );
  const sampled = read.sentences.length;
  for (let i = 0; i < sampled; i++) {
    counter.add(read.sentences[i] as string);
    read.sentences[i] = '';
    if ((i & 0xfff) === 0) {
      report({ stage: 'normalize', done: i, total: sampled, message: `normalized ${i}/${sampled} sampled sentences` });
    }
  }
  read.sentences.length = 0;
  const numSentences = counter.sentences;
  if (numSentences === 0) {
    throw new TrainerError(
      `no training sentences: the input had ${read.seen + read.tooLong} non-empty lines, ${read.tooLong} of them longer than maxSentenceLength (${o.maxSentenceLength} bytes)`,
    );
  }
  report({ stage: 'normalize', done: sampled, total: sampled, message: `${counter.words.length} distinct words` });

  const prepared = applyCharacterCoverage(counter, o);
  const normalSlots = o.vocabSize - meta.length;
  if (prepared.requiredChars.size > normalSlots) {
    throw new TrainerError(
      `vocabSize ${o.vocabSize} is too small: ${meta.length} special pieces and ${prepared.requiredChars.size} required characters ` +
        `(characterCoverage ${o.characterCoverage}) need at least ${meta.length + prepared.requiredChars.size}; ` +
        'increase vocabSize or lower characterCoverage',
    );
  }
  const words = buildWordTable(prepared, prepared.requiredChars.keys());

  report({ stage: 'seed', done: 0, message: 'building the suffix array' });
  const seeds = makeSeedPieces(words, prepared.requiredChars, o);
  report({ stage: 'seed', done: 1, total: 1, pieces: seeds.length, message: `${seeds.length} seed pieces` });

  let model = new PieceLattice(seeds, words.alphabet);
  const desired = Math.floor(o.vocabSize * EXTRA_VOCAB_FACTOR);
  let iterations = 0;
  const runner = await createEmRunner(words, o.numThreads);
  try {
    for (;;) {
      for (let sub = 0; sub < o.numSubIterations; sub++) {
        const e = await runner.eStep(model);
        model = new PieceLattice(mStep(model, e.expected), words.alphabet);
        iterations++;
        report({
          stage: 'em',
          done: iterations,
          pieces: model.size,
          targetPieces: desired,
          objective: e.objective,
          message: `EM sub_iter=${sub} size=${model.size} obj=${e.objective.toFixed(4)} num_tokens=${e.numTokens}`,
        });
      }
      if (model.size <= desired) break;
      const before = model.size;
      const counts = await runner.viterbiCounts(model);
      model = new PieceLattice(prune(model, counts, desired, o.shrinkingFactor, o.legacyPruneLoss), words.alphabet);
      report({
        stage: 'prune',
        done: iterations,
        pieces: model.size,
        targetPieces: desired,
        message: `pruned to ${model.size} pieces`,
      });
      if (model.size >= before) break; // nothing left that pruning may remove
    }
  } finally {
    await runner.close();
  }

  const final = finalizePieces(model, prepared.requiredChars, normalSlots, metaSet);
  if (final.length < normalSlots && o.hardVocabLimit) {
    throw new TrainerError(
      `vocabSize ${o.vocabSize} is too high for this corpus: only ${final.length + meta.length} pieces could be learned; ` +
        `set vocabSize <= ${final.length + meta.length}, add text, or pass hardVocabLimit: false`,
    );
  }
  report({ stage: 'finalize', done: 1, total: 1, pieces: final.length + meta.length, message: 'writing the model' });

  const pieces: ModelPiece[] = [];
  const total = final.length + meta.length;
  let next = 0;
  const metaById = new Map(meta.map((m) => [m.id, m]));
  for (let id = 0; id < total; id++) {
    const m = metaById.get(id);
    if (m !== undefined) {
      const type =
        m.kind === 'unk' ? PieceType.UNKNOWN : m.kind === 'control' ? PieceType.CONTROL : PieceType.USER_DEFINED;
      pieces.push({ piece: m.piece, score: 0, type });
    } else {
      const p = final[next++] as { piece: string; score: number };
      pieces.push({ piece: p.piece, score: Math.fround(p.score), type: PieceType.NORMAL });
    }
  }
  if (next !== final.length) {
    throw new TrainerError(
      `special piece ids must be < the final vocabulary size ${total}; lower unkId/bosId/eosId/padId`,
    );
  }

  const model_: ModelProto = {
    pieces,
    trainerSpec: {
      input: inputNames ?? [],
      modelPrefix: '',
      modelType: 1, // UNIGRAM
      vocabSize: o.vocabSize,
      selfTestSampleSize: 0,
      inputFormat: '',
      characterCoverage: o.characterCoverage,
      inputSentenceSize: o.inputSentenceSize,
      seedSentencepieceSize: o.seedSentencepieceSize,
      shrinkingFactor: o.shrinkingFactor,
      numThreads: o.numThreads,
      numSubIterations: o.numSubIterations,
      maxSentenceLength: o.maxSentenceLength,
      shuffleInputSentence: o.shuffleInputSentence,
      maxSentencepieceLength: o.maxSentencepieceLength,
      splitByUnicodeScript: o.splitByUnicodeScript,
      splitByWhitespace: o.splitByWhitespace,
      splitByNumber: o.splitByNumber,
      treatWhitespaceAsSuffix: false,
      splitDigits: o.splitDigits,
      allowWhitespaceOnlyPieces: false,
      controlSymbols: [...o.controlSymbols],
      userDefinedSymbols: [...o.userDefinedSymbols],
      vocabularyOutputPieceScore: true,
      hardVocabLimit: o.hardVocabLimit,
      useAllVocab: false,
      byteFallback: false,
      requiredChars: o.requiredChars,
      unkId: o.unkId,
      bosId: o.bosId,
      eosId: o.eosId,
      padId: o.padId,
      unkSurface: o.unkSurface,
      unkPiece: o.unkPiece,
      bosPiece: o.bosPiece,
      eosPiece: o.eosPiece,
      padPiece: o.padPiece,
      trainExtremelyLargeCorpus: false,
      enableDifferentialPrivacy: false,
      differentialPrivacyNoiseLevel: 0,
      differentialPrivacyClippingThreshold: 0,
    },
    normalizerSpec: {
      name: charsmapName === null ? 'identity' : 'nmt_nfkc',
      ...(charsmap !== undefined ? { precompiledCharsmap: charsmap } : {}),
      addDummyPrefix: o.addDummyPrefix,
      removeExtraWhitespaces: o.removeExtraWhitespaces,
      normalizationRuleTsv: '',
    },
  };
  const bytes = serializeModelProto(model_);
  report({ stage: 'done', done: 1, total: 1, pieces: pieces.length, message: `trained ${pieces.length} pieces` });
  return {
    model: model_,
    bytes,
    stats: {
      sentences: numSentences,
      skippedTooLong: read.tooLong,
      words: words.counts.length,
      seedPieces: seeds.length,
      requiredChars: prepared.requiredChars.size,
      characterCoverage: prepared.coveredChars / prepared.allChars,
      emIterations: iterations,
    },
  };
}

/** Node: trains from text files (one sentence per line, UTF-8), streaming them. */
export async function trainUnigramFromFiles(
  paths: readonly string[],
  options: UnigramTrainOptions = {},
): Promise<UnigramTrainResult> {
  if (paths.length === 0)
    throw new TrainerError('no input files given: pass at least one text file (one sentence per line)');
  const { stat } = await import('node:fs/promises');
  for (const path of paths) {
    const s = await stat(path).catch(() => null);
    if (s === null || !s.isFile()) throw new TrainerError(`input file '${path}' does not exist or is not a file`);
  }
  return trainUnigram(readLinesFromFiles(paths), { inputNames: [...paths], ...options });
}
