// The unigram language model's Viterbi segmentation, as SentencePiece's optimized encoder does it
// (behaviour from sentencepiece/src/unigram_model.cc, EncodeOptimized): for each character start,
// walk the piece trie; a piece ending at p offers best[start] + score; a user-defined symbol scores
// len_utf8 * max_score - 0.1; when no single-character piece covers the character, an <unk> node of
// score min_score - 10 does. Scores are float32 as in SentencePiece (the piece score + path score sum
// is compared in double, the unk sum in float), so ties break the same way.
// Positions here are UTF-16 code units; pieces end on character boundaries, so this is the same lattice.

import { ModelFormatError } from '../errors.js';
import { DoubleArrayTrie } from '../trie/double-array.js';
import { type ModelPiece, PieceType } from './model-proto.js';

const UNK_PENALTY = 10;
const FLT_MAX = 3.4028234663852886e38;
const FLT_MIN = 1.1754943508222875e-38;

export class UnigramModel {
  readonly pieces: readonly ModelPiece[];
  readonly trie: DoubleArrayTrie;
  /** per id: the score Viterbi uses (user-defined symbols get their bonus score) */
  readonly scores: Float64Array;
  readonly types: Uint8Array;
  readonly unkId: number;
  readonly minScore: number;
  readonly maxScore: number;
  readonly unkScore: number;
  /** CONTROL / UNKNOWN / BYTE pieces: looked up by exact string only */
  readonly reserved: Map<string, number>;
  readonly userDefined: string[];
  readonly hasUnused: boolean;

  /** 'sentencepiece' (float32, user-defined bonus) or 'hf' (HF tokenizers' Unigram: float64) */
  readonly scoring: 'sentencepiece' | 'hf';

  // Viterbi scratch, grown on demand: best path ending at each position
  private bestScore = new Float64Array(256);
  private bestStart = new Int32Array(256);
  private bestId = new Int32Array(256);
  private labels = new Int32Array(256);
  /** per trie state: the piece id Viterbi may use there (-1: none, or an UNUSED piece) and its score */
  private readonly stateId: Int32Array;
  private readonly stateScore: Float64Array;

  /**
   * `scoring: 'hf'` follows Hugging Face tokenizers' Unigram instead (models/unigram/model.rs):
   * float64 scores as given, every piece (special ones included) in the trie with its own score,
   * min score over all pieces, no user-defined bonus.
   */
  constructor(pieces: readonly ModelPiece[], options: { scoring?: 'sentencepiece' | 'hf' } = {}) {
    this.pieces = pieces;
    this.scoring = options.scoring ?? 'sentencepiece';
    const hf = this.scoring === 'hf';
    const n = pieces.length;
    this.types = new Uint8Array(n);
    this.reserved = new Map();
    this.userDefined = [];
    const keys: string[] = [];
    const values: number[] = [];
    const seen = new Set<string>();
    let unkId = -1;
    let minScore = FLT_MAX;
    let maxScore = FLT_MIN;
    for (let i = 0; i < n; i++) {
      const p = pieces[i] as ModelPiece;
      if (p.piece.length === 0)
        throw new ModelFormatError(`piece ${i} is empty; SentencePiece requires non-empty pieces`);
      if (seen.has(p.piece)) throw new ModelFormatError(`piece ${i} "${p.piece}" is already defined`);
      seen.add(p.piece);
      this.types[i] = p.type;
      if (hf || p.type === PieceType.NORMAL || p.type === PieceType.USER_DEFINED || p.type === PieceType.UNUSED) {
        keys.push(p.piece);
        values.push(i);
      } else {
        this.reserved.set(p.piece, i);
      }
      if (p.type === PieceType.USER_DEFINED) this.userDefined.push(p.piece);
      if (p.type === PieceType.UNKNOWN) {
        if (unkId >= 0) throw new ModelFormatError(`<unk> is defined twice (pieces ${unkId} and ${i})`);
        unkId = i;
      }
      if (hf || p.type === PieceType.NORMAL) {
        minScore = Math.min(minScore, p.score);
        maxScore = Math.max(maxScore, p.score);
      }
    }
    if (unkId < 0) throw new ModelFormatError('the model has no <unk> piece (type UNKNOWN)');
    if (keys.length === 0) throw new ModelFormatError('the model has no normal pieces to segment with');
    this.unkId = unkId;
    this.minScore = minScore;
    this.maxScore = maxScore;
    this.unkScore = hf ? minScore - UNK_PENALTY : Math.fround(minScore - UNK_PENALTY);
    this.hasUnused = pieces.some((p) => p.type === PieceType.UNUSED);
    this.scores = new Float64Array(n);
    const enc = new TextEncoder();
    for (let i = 0; i < n; i++) {
      const p = pieces[i] as ModelPiece;
      this.scores[i] = hf
        ? p.score
        : p.type === PieceType.USER_DEFINED
          ? Math.fround(enc.encode(p.piece).length * maxScore) - 0.1
          : Math.fround(p.score);
    }
    this.trie = DoubleArrayTrie.build(keys, values);
    const states = this.trie.value.length;
    this.stateId = new Int32Array(states).fill(-1);
    this.stateScore = new Float64Array(states);
    for (let t = 0; t < states; t++) {
      const id = this.trie.value[t] as number;
      if (id < 0 || this.types[id] === PieceType.UNUSED) continue;
      this.stateId[t] = id;
      this.stateScore[t] = this.scores[id] as number;
    }
  }

  /** Id of a piece string, or the unk id (SentencePiece's PieceToId). */
  pieceToId(piece: string): number {
    const r = this.reserved.get(piece);
    if (r !== undefined) return r;
    const id = this.trie.get(piece);
    return id < 0 ? this.unkId : id;
  }

  /** Gives back the Viterbi scratch memory after one huge input (more than `max` units). */
  shrink(max = 1 << 20): void {
    if (this.bestScore.length <= max) return;
    this.bestScore = new Float64Array(256);
    this.bestStart = new Int32Array(256);
    this.bestId = new Int32Array(256);
    this.labels = new Int32Array(256);
  }

  private grow(n: number): void {
    if (this.bestScore.length >= n) return;
    let cap = this.bestScore.length * 2;
    while (cap < n) cap *= 2;
    this.bestScore = new Float64Array(cap);
    this.bestStart = new Int32Array(cap);
    this.bestId = new Int32Array(cap);
    this.labels = new Int32Array(cap);
  }

  /**
   * Viterbi over units[from, to). Writes the pieces as (start, end, id) triples into `out` (positions
   * relative to `units`) and returns how many pieces were written. Unknown characters come out one
   * per <unk> piece; the processor fuses runs.
   */
  viterbi(units: Uint16Array, from: number, to: number, out: Int32Array[]): number {
    const size = to - from;
    if (size <= 0) return 0;
    this.grow(size + 1);
    const bestScore = this.bestScore;
    const bestStart = this.bestStart;
    const bestId = this.bestId;
    const labels = this.labels;
    // labels of the text once (each unit is read by several trie walks); -Infinity = not reached
    // yet, which every finite candidate beats, as SentencePiece's "starts_at == -1" check does
    const labelOf = this.trie.labelOf;
    for (let i = 0; i < size; i++) {
      labels[i] = labelOf[units[from + i] as number] as number;
      bestScore[i + 1] = Number.NEGATIVE_INFINITY;
    }
    labels[size] = 0;
    bestScore[0] = 0;
    const base = this.trie.base;
    const check = this.trie.check;
    const stateId = this.stateId;
    const stateScore = this.stateScore;
    const unkScore = this.unkScore;
    const unkId = this.unkId;
    const hf = this.scoring === 'hf';

    let startsAt = 0;
    while (startsAt < size) {
      const till = bestScore[startsAt] as number;
      const c0 = units[from + startsAt] as number;
      let mblen = 1;
      if (c0 >= 0xd800 && c0 <= 0xdbff && startsAt + 1 < size) {
        const d = units[from + startsAt + 1] as number;
        if (d >= 0xdc00 && d <= 0xdfff) mblen = 2;
      }
      const single = startsAt + mblen;
      let hasSingle = false;
      let state = 0;
      let keyPos = startsAt;
      for (;;) {
        const l = labels[keyPos] as number;
        if (l === 0) break;
        const t = (base[state] as number) + l;
        if (check[t] !== state) break;
        state = t;
        keyPos++;
        const id = stateId[t] as number;
        if (id < 0) continue;
        const candidate = (stateScore[t] as number) + till;
        if (candidate > (bestScore[keyPos] as number)) {
          // SentencePiece keeps path scores in float32 (HF tokenizers: float64)
          bestScore[keyPos] = hf ? candidate : Math.fround(candidate);
          bestStart[keyPos] = startsAt;
          bestId[keyPos] = id;
        }
        if (keyPos === single) hasSingle = true;
      }
      if (!hasSingle) {
        const candidate = hf ? unkScore + till : Math.fround(unkScore + till);
        if (candidate > (bestScore[single] as number)) {
          bestScore[single] = candidate;
          bestStart[single] = startsAt;
          bestId[single] = unkId;
        }
      }
      startsAt = single;
    }

    // backtrack
    let count = 0;
    for (let e = size; e > 0; e = bestStart[e] as number) count++;
    const need = count * 3;
    if ((out[0] as Int32Array).length < need)
      out[0] = new Int32Array(Math.max(need, (out[0] as Int32Array).length * 2));
    const res = out[0] as Int32Array;
    let k = count - 1;
    for (let e = size; e > 0; ) {
      const s = bestStart[e] as number;
      res[3 * k] = from + s;
      res[3 * k + 1] = from + e;
      res[3 * k + 2] = bestId[e] as number;
      k--;
      e = s;
    }
    return count;
  }
}
