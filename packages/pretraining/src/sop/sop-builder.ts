// Sentence-order-prediction examples from one document, streamed segment by segment, following
// `create_instances_from_document` of google-research/albert `create_pretraining_data.py`:
//
// - max_num_tokens = max_seq_length - 3 (room for [CLS], [SEP], [SEP]). Once per document, with
//   probability short_seq_prob the target length is randint(2, max_num_tokens) instead.
// - Segments (lines) are gathered into a chunk until the chunk reaches the target length or the
//   document ends. A = chunk[0 : a_end] with a_end = randint(1, len(chunk) - 1), B = the rest.
// - With probability 0.5, A and B are swapped and the label is 1; otherwise the label is 0.
// - The pair is cut to max_num_tokens by `truncatePair` (longer side, random end).
// - Output: [CLS] A [SEP] B [SEP], token types 0 for [CLS] A [SEP] and 1 for B [SEP];
//   token_boundary is 1 at [CLS]/[SEP] and at word-start pieces.
//
// A chunk holding a single segment (a line longer than the target): the original takes B from a
// random *other* document — consecutive segments from a random start until target - len(A) tokens —
// and labels the pair 1 (a leftover of next-sentence prediction, even with random_next_sentence off).
// Such pairs teach "different topic" rather than "wrong order" and unbalance the labels, and a
// stream has no random access to other documents. So by default (singleSegment 'split') the segment
// is split at a uniformly random token (randint(1, len - 1)) into A and B and the swap rule above
// applies; a one-token segment alone in its chunk yields no example. singleSegment
// 'random-document' does what the original does, with the other document supplied by the caller
// (PretrainingCorpus keeps a pool of segments that spans epochs and is primed by reading ahead, so
// every document of a corpus of two or more documents can borrow); when the caller knows no other
// document (a one-document corpus, where the original would borrow from the document itself after
// ten failed draws) it falls back to 'split'.
import { PretrainingError } from '../errors.js';
import { type RandomGenerator, randomFloat, randomInt } from '../random/seeded-rng.js';
import { truncatePair, type Window } from './truncate-pair.js';

export interface Segment {
  ids: Int32Array;
  /** 1 where a piece starts a word (see `wordStarts`). */
  wordStart: Uint8Array;
}

export interface SopOptions {
  clsId: number;
  sepId: number;
  /** Default 512. */
  maxSeqLength?: number;
  /** Default 0.1. */
  shortSeqProb?: number;
  /** A chunk of one segment: 'split' (default) or 'random-document' (the original; needs randomDocument). */
  singleSegment?: 'split' | 'random-document';
  /** For 'random-document': the segments of a random other document, or null when there is none. */
  randomDocument?: (rng: RandomGenerator) => readonly Segment[] | null;
}

export interface SopInstance {
  /** [CLS] A [SEP] B [SEP], unpadded. */
  ids: Int32Array;
  /** 0 for [CLS] A [SEP], 1 for B [SEP]. */
  tokenTypeIds: Int32Array;
  /** `token_boundary`: 1 at [CLS]/[SEP] and at word starts. */
  tokenBoundary: Uint8Array;
  /** 1 when A and B were swapped, 0 when in order. */
  sentenceOrderLabel: 0 | 1;
}

/** The builder's resumable state (JSON-friendly). */
export interface SopBuilderState {
  target: number;
  length: number;
  chunk: { ids: number[]; wordStart: number[] }[];
  rng: number[];
}

export class SopDocumentBuilder {
  private readonly clsId: number;
  private readonly sepId: number;
  private readonly maxNumTokens: number;
  private readonly randomDocument: ((rng: RandomGenerator) => readonly Segment[] | null) | null;
  private target: number;
  private chunk: Segment[] = [];
  private length = 0;

  /** `rng` is this document's own generator; the target length is drawn from it right away. */
  constructor(
    options: SopOptions,
    private readonly rng: RandomGenerator,
    state?: SopBuilderState,
  ) {
    const maxSeqLength = options.maxSeqLength ?? 512;
    const shortSeqProb = options.shortSeqProb ?? 0.1;
    if (!Number.isInteger(maxSeqLength) || maxSeqLength < 5) {
      throw new PretrainingError(`SOP builder: maxSeqLength must be an integer >= 5 (got ${maxSeqLength}).`);
    }
    this.clsId = options.clsId;
    this.sepId = options.sepId;
    this.maxNumTokens = maxSeqLength - 3;
    this.randomDocument = options.singleSegment === 'random-document' ? (options.randomDocument ?? null) : null;
    if (options.singleSegment === 'random-document' && options.randomDocument == null) {
      throw new PretrainingError("SOP builder: singleSegment 'random-document' needs a randomDocument supplier.");
    }
    if (state != null) {
      this.target = state.target;
      this.length = state.length;
      this.chunk = state.chunk.map((s) => ({ ids: Int32Array.from(s.ids), wordStart: Uint8Array.from(s.wordStart) }));
    } else {
      this.target = this.maxNumTokens;
      if (randomFloat(rng) < shortSeqProb) this.target = randomInt(rng, 2, this.maxNumTokens);
    }
  }

  get targetLength(): number {
    return this.target;
  }

  /** Add the next segment of the document; returns an example when the chunk is full. */
  push(segment: Segment): SopInstance | null {
    if (segment.ids.length === 0) return null;
    if (segment.wordStart.length !== segment.ids.length) {
      throw new PretrainingError(
        `SOP builder: a segment has ${segment.ids.length} ids but ${segment.wordStart.length} word-start flags.`,
      );
    }
    this.chunk.push(segment);
    this.length += segment.ids.length;
    return this.length >= this.target ? this.flush() : null;
  }

  /** The document ended: emit what is left. */
  finish(): SopInstance | null {
    return this.flush();
  }

  getState(): SopBuilderState {
    return {
      target: this.target,
      length: this.length,
      chunk: this.chunk.map((s) => ({ ids: Array.from(s.ids), wordStart: Array.from(s.wordStart) })),
      rng: [...this.rng.getState()],
    };
  }

  private flush(): SopInstance | null {
    const chunk = this.chunk;
    this.chunk = [];
    this.length = 0;
    if (chunk.length === 0) return null;

    // The pair as segments plus a split: A = tokens [0, split), B = [split, total).
    let segments: readonly Segment[] = chunk;
    let split = 0;
    let swap: boolean | null = null; // null: draw it
    if (chunk.length >= 2) {
      const aEnd = randomInt(this.rng, 1, chunk.length - 1);
      for (let j = 0; j < aEnd; j++) split += (chunk[j] as Segment).ids.length;
    } else {
      const s = chunk[0] as Segment;
      const other = this.randomDocument?.(this.rng) ?? null;
      if (other != null && other.length > 0) {
        // The original's random-next path: B = other[start..] until target - len(A) tokens; label 1.
        const targetB = this.target - s.ids.length;
        const b: Segment[] = [];
        let lenB = 0;
        for (let j = randomInt(this.rng, 0, other.length - 1); j < other.length; j++) {
          const seg = other[j] as Segment;
          b.push(seg);
          lenB += seg.ids.length;
          if (lenB >= targetB) break;
        }
        segments = [s, ...b];
        split = s.ids.length;
        swap = false;
      } else {
        if (s.ids.length < 2) return null;
        split = randomInt(this.rng, 1, s.ids.length - 1);
      }
    }
    let total = 0;
    for (const seg of segments) total += seg.ids.length;
    const ids = new Int32Array(total);
    const starts = new Uint8Array(total);
    let offset = 0;
    for (const seg of segments) {
      ids.set(seg.ids, offset);
      starts.set(seg.wordStart, offset);
      offset += seg.ids.length;
    }
    let a: Window = { start: 0, end: split };
    let b: Window = { start: split, end: total };
    let label: 0 | 1 = 0;
    if (swap === false)
      label = 1; // random document: not swapped, but not the next text either
    else if (randomFloat(this.rng) < 0.5) {
      [a, b] = [b, a];
      label = 1;
    }
    truncatePair(a, b, this.maxNumTokens, this.rng);

    const lenA = a.end - a.start;
    const lenB = b.end - b.start;
    const n = lenA + lenB + 3;
    const out = new Int32Array(n);
    const types = new Int32Array(n);
    const boundary = new Uint8Array(n);
    out[0] = this.clsId;
    boundary[0] = 1;
    out.set(ids.subarray(a.start, a.end), 1);
    boundary.set(starts.subarray(a.start, a.end), 1);
    out[lenA + 1] = this.sepId;
    boundary[lenA + 1] = 1;
    out.set(ids.subarray(b.start, b.end), lenA + 2);
    boundary.set(starts.subarray(b.start, b.end), lenA + 2);
    out[n - 1] = this.sepId;
    boundary[n - 1] = 1;
    types.fill(1, lenA + 2);
    return { ids: out, tokenTypeIds: types, tokenBoundary: boundary, sentenceOrderLabel: label };
  }
}
