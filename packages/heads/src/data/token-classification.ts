// NER features as HF run_ner.py builds them: the words are tokenized one by one (each gets its own
// `▁` prefix, as `is_split_into_words=True` does), the first piece of each word carries the word's
// label, every other piece -100 (or, with labelAllTokens, the word's label with B-X turned into I-X,
// as run_ner.py's b_to_i_label does), [CLS]/[SEP]/padding -100.

import { IGNORE_INDEX } from '@albert-ts/core';
import type { Encoding } from '@albert-ts/tokenizer';
import { TaskInputError } from './errors.js';
import type { LabelMap } from './label-map.js';
import { show } from './text.js';
import type { TokenInputs } from './token-inputs.js';
import type { TaskTokenizer } from './tokenizer-like.js';

export type TokenClassificationFeature = TokenInputs & {
  /** class id per token, -100 where the loss ignores the token // [length] */
  labels: Int32Array;
  /** which word each token belongs to, -1 for [CLS]/[SEP]/padding // [length] */
  wordIds: Int32Array;
  /** [start, end) of each token in words.join(' '), [0, 0] for template tokens // [2 * length] */
  offsets: Int32Array;
  /** words that got no token: cut by maxLength, or that tokenize to nothing (their label is lost, as in HF) */
  droppedWords: number;
};

export type TokenClassificationOptions = {
  /** needed for labels; without it (or without tags) `labels` is all -100 */
  labelMap?: LabelMap;
  /** give every piece its word's label (B-X → I-X after the first piece), not only the first */
  labelAllTokens?: boolean;
  /** default 512 */
  maxLength?: number;
  /** 'max_length' pads to maxLength; default none (use collate() to pad a batch) */
  padding?: 'max_length' | 'do_not_pad';
};

/** Features for sentences of words, with their IOB2 tags when given. */
export function tokenClassificationFeatures(
  tokenizer: TaskTokenizer,
  sentences: readonly { tokens: readonly string[]; tags?: readonly string[] }[],
  options: TokenClassificationOptions = {},
): TokenClassificationFeature[] {
  const map = options.labelMap;
  // HF run_ner b_to_i_label: the id of I-X for B-X (itself when the map has no I-X)
  const bToI = map?.labels.map((l, i) => (l.startsWith('B-') ? (map.label2id[`I-${l.slice(2)}`] ?? i) : i));
  return sentences.map((sentence, n) => {
    const { tokens: words, tags } = sentence;
    if (tags !== undefined && tags.length !== words.length) {
      throw new TaskInputError(`sentence ${n}: ${words.length} words but ${tags.length} tags`);
    }
    const ids: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const pieceWord: number[] = [];
    let at = 0;
    words.forEach((word, w) => {
      const seq = tokenizer.encodeSequence(word);
      for (let k = 0; k < seq.ids.length; k++) {
        ids.push(seq.ids[k] as number);
        starts.push(at + (seq.starts[k] as number));
        ends.push(at + (seq.ends[k] as number));
        pieceWord.push(w);
      }
      at += word.length + 1;
    });
    const seq = { ids: Int32Array.from(ids), starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
    const enc: Encoding = tokenizer.encodeTokens(seq, null, {
      maxLength: options.maxLength ?? 512,
      truncation: 'longest_first',
      padding: options.padding ?? 'do_not_pad',
    });
    const length = enc.inputIds.length;
    const wordIds = new Int32Array(length).fill(-1);
    const labels = new Int32Array(length).fill(IGNORE_INDEX);
    const labelled = new Set<number>();
    let piece = 0;
    for (let i = 0; i < length; i++) {
      if (enc.sequenceIds[i] !== 0) continue;
      const w = pieceWord[piece++] as number;
      wordIds[i] = w;
      if (map === undefined || tags === undefined) continue;
      const tag = tags[w] as string;
      const id = map.label2id[tag];
      if (id === undefined) {
        throw new TaskInputError(
          `sentence ${n}, word ${w} (${show(words[w])}): label ${show(tag)} is not in the label map (${map.labels.join(', ')})`,
        );
      }
      const first = !labelled.has(w);
      labelled.add(w);
      if (first) labels[i] = id;
      else if (options.labelAllTokens) labels[i] = bToI?.[id] ?? id;
    }
    const droppedWords = words.length - new Set(wordIds.filter((w) => w >= 0)).size;
    return {
      inputIds: enc.inputIds,
      tokenTypeIds: enc.tokenTypeIds,
      attentionMask: enc.attentionMask,
      labels,
      wordIds,
      offsets: enc.offsets,
      droppedWords,
    };
  });
}
