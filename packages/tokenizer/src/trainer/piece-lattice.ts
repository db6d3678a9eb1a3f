// The trainer's view of a unigram model: the current pieces with their log-probabilities in a
// character trie, and the lattice of a word (every piece that matches at every position). On it:
// forward–backward for expected counts (E-step), Viterbi for the best segmentation. A position that
// no one-character piece covers gets an "unknown" node scored min score − 10, as SentencePiece does.

import { TrainerError } from './errors.js';

export const UNK_NODE = -1;
const UNK_PENALTY = 10;
const DENSE_MIN_CHILDREN = 12;
const DENSE_MAX_ENTRIES = 1 << 23;

export class PieceLattice {
  readonly pieces: string[];
  readonly scores: Float64Array;
  readonly minScore: number;
  private readonly probs: Float64Array;
  // Trie over dense character ids (see `alphabet`): the root's children in a direct table, the
  // other nodes' children as ranges of (label, child) pairs.
  private readonly rootChild: Int32Array;
  private readonly childStart: Int32Array;
  private readonly childLabel: Int32Array;
  private readonly childNode: Int32Array;
  private readonly nodePiece: Int32Array; // trie node → piece id (−1: none)
  // Nodes with many children (like `▁`) also get a direct row: denseTable[row × alphabet + label].
  private readonly denseRow: Int32Array;
  private readonly denseTable: Int32Array;

  // Lattice of the current word, nodes in order of start position.
  nodeCount = 0;
  nodeStart = new Int32Array(1024);
  nodeEnd = new Int32Array(1024);
  nodeId = new Int32Array(1024);
  nodeScore = new Float64Array(1024);
  nodeProb = new Float64Array(1024); // exp(nodeScore)
  private alpha = new Float64Array(64);
  private beta = new Float64Array(64);
  private backNode = new Int32Array(64);
  private viterbiScore = new Float64Array(64);
  /** Number of pieces on the Viterbi path found by the last accumulateMarginals call. */
  viterbiTokens = 0;
  /** Score of the path found by the last viterbi call. */
  bestScore = 0;

  /** `alphabet`: code point → dense id (0..size−1) of every character the words and pieces use. */
  constructor(
    pieces: readonly { piece: string; score: number }[],
    readonly alphabet: ReadonlyMap<number, number>,
  ) {
    this.pieces = pieces.map((p) => p.piece);
    this.scores = Float64Array.from(pieces, (p) => p.score);
    let min = Number.POSITIVE_INFINITY;
    for (const s of this.scores) if (s < min) min = s;
    this.minScore = pieces.length > 0 ? min : 0;
    this.probs = this.scores.map(Math.exp);

    const a = alphabet.size;
    const edges = new Map<number, number>(); // parent * a + label → child
    const piece: number[] = [-1];
    for (let id = 0; id < this.pieces.length; id++) {
      let node = 0;
      for (const ch of this.pieces[id] as string) {
        const label = alphabet.get(ch.codePointAt(0) as number);
        if (label === undefined)
          throw new TrainerError(
            `piece character U+${(ch.codePointAt(0) as number).toString(16)} is not in the alphabet the lattice was built with: pass every piece's characters in the alphabet`,
          );
        const key = node * a + label;
        let child = edges.get(key);
        if (child === undefined) {
          child = piece.length;
          piece.push(-1);
          edges.set(key, child);
        }
        node = child;
      }
      piece[node] = id;
    }
    const numNodes = piece.length;
    this.nodePiece = Int32Array.from(piece);
    this.rootChild = new Int32Array(a).fill(-1);
    this.childStart = new Int32Array(numNodes + 1);
    for (const key of edges.keys()) {
      const parent = Math.floor(key / a);
      if (parent > 0) this.childStart[parent + 1]!++;
    }
    for (let i = 0; i < numNodes; i++) this.childStart[i + 1]! += this.childStart[i] as number;
    const fill = this.childStart.slice(0, numNodes);
    this.childLabel = new Int32Array(this.childStart[numNodes] as number);
    this.childNode = new Int32Array(this.childStart[numNodes] as number);
    for (const [key, child] of edges) {
      const parent = Math.floor(key / a);
      const label = key - parent * a;
      if (parent === 0) this.rootChild[label] = child;
      else {
        const k = fill[parent]!++;
        this.childLabel[k] = label;
        this.childNode[k] = child;
      }
    }
    this.denseRow = new Int32Array(numNodes).fill(-1);
    let rows = 0;
    for (let node = 1; node < numNodes; node++) {
      const n = (this.childStart[node + 1] as number) - (this.childStart[node] as number);
      if (n >= DENSE_MIN_CHILDREN && (rows + 1) * a <= DENSE_MAX_ENTRIES) this.denseRow[node] = rows++;
    }
    this.denseTable = new Int32Array(rows * a).fill(-1);
    for (let node = 1; node < numNodes; node++) {
      const row = this.denseRow[node] as number;
      if (row < 0) continue;
      for (let k = this.childStart[node] as number; k < (this.childStart[node + 1] as number); k++) {
        this.denseTable[row * a + (this.childLabel[k] as number)] = this.childNode[k] as number;
      }
    }
  }

  /** Dense character ids of a string (−1 for characters outside the alphabet). */
  encodeChars(text: string): Int32Array {
    return Int32Array.from(text, (ch) => this.alphabet.get(ch.codePointAt(0) as number) ?? -1);
  }

  get size(): number {
    return this.pieces.length;
  }

  /** Builds the lattice of chars[from, to) (dense character ids). Node positions are relative to `from`. */
  build(chars: Int32Array, from: number, to: number): void {
    this.nodeCount = 0;
    const unkScore = this.minScore - UNK_PENALTY;
    const { rootChild, childStart, childLabel, childNode, denseRow, denseTable } = this;
    const a = this.alphabet.size;
    for (let s = from; s < to; s++) {
      let hasSingle = false;
      const first = chars[s] as number;
      let node = first >= 0 ? (rootChild[first] as number) : -1;
      for (let e = s; node >= 0; ) {
        const id = this.nodePiece[node] as number;
        if (id >= 0) {
          if (e === s) hasSingle = true;
          this.push(s - from, e + 1 - from, id, this.scores[id] as number);
        }
        if (++e >= to) break;
        const c = chars[e] as number;
        const row = denseRow[node] as number;
        let next = -1;
        if (row >= 0) next = c >= 0 ? (denseTable[row * a + c] as number) : -1;
        else {
          const end = childStart[node + 1] as number;
          for (let k = childStart[node] as number; k < end; k++) {
            if (childLabel[k] === c) {
              next = childNode[k] as number;
              break;
            }
          }
        }
        node = next;
      }
      if (!hasSingle) this.push(s - from, s + 1 - from, UNK_NODE, unkScore);
    }
  }

  private push(start: number, end: number, id: number, score: number): void {
    const i = this.nodeCount;
    if (i === this.nodeStart.length) {
      const cap = i * 2;
      this.nodeStart = copyInto(this.nodeStart, new Int32Array(cap));
      this.nodeEnd = copyInto(this.nodeEnd, new Int32Array(cap));
      this.nodeId = copyInto(this.nodeId, new Int32Array(cap));
      this.nodeScore = copyInto(this.nodeScore, new Float64Array(cap));
      this.nodeProb = copyInto(this.nodeProb, new Float64Array(cap));
    }
    // A node that starts earlier is never pushed after one that starts later (build order).
    // Within the same start, any order works for forward–backward and Viterbi.
    this.nodeStart[i] = start;
    this.nodeEnd[i] = end;
    this.nodeId[i] = id;
    this.nodeScore[i] = score;
    this.nodeProb[i] = id >= 0 ? (this.probs[id] as number) : Math.exp(score);
    this.nodeCount = i + 1;
  }

  private ensure(len: number): void {
    if (this.alpha.length > len) return;
    const cap = Math.max(len + 1, this.alpha.length * 2);
    this.alpha = new Float64Array(cap);
    this.beta = new Float64Array(cap);
    this.backNode = new Int32Array(cap);
    this.viterbiScore = new Float64Array(cap);
  }

  private accumulateLinear(len: number, freq: number, expected: Float64Array): number {
    const { alpha, beta, nodeStart, nodeEnd, nodeScore, nodeProb, nodeId } = this;
    const count = this.nodeCount;
    const best = this.viterbiScore;
    const tokens = this.backNode;
    alpha.fill(0, 0, len + 1);
    beta.fill(0, 0, len + 1);
    best.fill(Number.NEGATIVE_INFINITY, 0, len + 1);
    alpha[0] = 1;
    best[0] = 0;
    tokens[0] = 0;
    for (let i = 0; i < count; i++) {
      const s = nodeStart[i] as number;
      const e = nodeEnd[i] as number;
      alpha[e] = (alpha[e] as number) + (alpha[s] as number) * (nodeProb[i] as number);
      const v = (best[s] as number) + (nodeScore[i] as number);
      if (v > (best[e] as number)) {
        best[e] = v;
        tokens[e] = (tokens[s] as number) + 1;
      }
    }
    this.viterbiTokens = tokens[len] as number;
    beta[len] = 1;
    for (let i = count - 1; i >= 0; i--) {
      const s = nodeStart[i] as number;
      beta[s] = (beta[s] as number) + (nodeProb[i] as number) * (beta[nodeEnd[i] as number] as number);
    }
    const z = alpha[len] as number;
    const scale = freq / z;
    for (let i = 0; i < count; i++) {
      const id = nodeId[i] as number;
      if (id < 0) continue;
      const m =
        (alpha[nodeStart[i] as number] as number) * (nodeProb[i] as number) * (beta[nodeEnd[i] as number] as number);
      expected[id] = (expected[id] as number) + m * scale;
    }
    return Math.log(z);
  }

  /**
   * Forward–backward over the lattice of a word of `len` characters: adds freq × P(node) to
   * expected[id] for every piece node and returns log Z (the word's log-likelihood).
   */
  accumulateMarginals(len: number, freq: number, expected: Float64Array): number {
    this.ensure(len);
    // Every path's probability is ≥ exp(len × (min score − 10)): while that stays far above the
    // smallest double, run in probability space (no exp/log per node); else in log space.
    if (len * (UNK_PENALTY - this.minScore) < 600) return this.accumulateLinear(len, freq, expected);
    const { alpha, beta, nodeStart, nodeEnd, nodeScore, nodeId } = this;
    const count = this.nodeCount;
    alpha.fill(Number.NEGATIVE_INFINITY, 0, len + 1);
    beta.fill(Number.NEGATIVE_INFINITY, 0, len + 1);
    // The Viterbi path's length rides along (best[] and tokens[] reuse the Viterbi buffers).
    const best = this.viterbiScore;
    const tokens = this.backNode;
    best.fill(Number.NEGATIVE_INFINITY, 0, len + 1);
    alpha[0] = 0;
    best[0] = 0;
    tokens[0] = 0;
    for (let i = 0; i < count; i++) {
      const s = nodeStart[i] as number;
      const e = nodeEnd[i] as number;
      const score = nodeScore[i] as number;
      alpha[e] = logAdd(alpha[e] as number, (alpha[s] as number) + score);
      const v = (best[s] as number) + score;
      if (v > (best[e] as number)) {
        best[e] = v;
        tokens[e] = (tokens[s] as number) + 1;
      }
    }
    this.viterbiTokens = tokens[len] as number;
    beta[len] = 0;
    for (let i = count - 1; i >= 0; i--) {
      const s = nodeStart[i] as number;
      beta[s] = logAdd(beta[s] as number, (nodeScore[i] as number) + (beta[nodeEnd[i] as number] as number));
    }
    const z = alpha[len] as number;
    for (let i = 0; i < count; i++) {
      const id = nodeId[i] as number;
      if (id < 0) continue;
      const logP =
        (alpha[nodeStart[i] as number] as number) +
        (nodeScore[i] as number) +
        (beta[nodeEnd[i] as number] as number) -
        z;
      expected[id] = (expected[id] as number) + freq * Math.exp(logP);
    }
    return z;
  }

  /**
   * Viterbi over the lattice, optionally ignoring one node (the piece itself, when asking how a piece
   * would be segmented without it). Writes the node indices of the best path into `out` and returns
   * their number, or −1 when no path exists; `bestScore` holds the path's score.
   */
  viterbi(len: number, out: Int32Array, skipNode = -1): number {
    this.ensure(len);
    const { alpha, backNode, nodeStart, nodeEnd, nodeScore } = this;
    alpha.fill(Number.NEGATIVE_INFINITY, 0, len + 1);
    alpha[0] = 0;
    for (let i = 0; i < this.nodeCount; i++) {
      if (i === skipNode) continue;
      const s = nodeStart[i] as number;
      const e = nodeEnd[i] as number;
      const v = (alpha[s] as number) + (nodeScore[i] as number);
      if (v > (alpha[e] as number)) {
        alpha[e] = v;
        backNode[e] = i;
      }
    }
    if (alpha[len] === Number.NEGATIVE_INFINITY) return -1;
    this.bestScore = alpha[len] as number;
    let n = 0;
    for (let p = len; p > 0; p = nodeStart[backNode[p] as number] as number) n++;
    let k = n;
    for (let p = len; p > 0; p = nodeStart[backNode[p] as number] as number) out[--k] = backNode[p] as number;
    return n;
  }
}

function logAdd(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function copyInto<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
