// N-best segmentations, as SentencePiece's lattice search does it (behaviour from
// sentencepiece/src/unigram_model.cc, Lattice::NBest): build the full lattice (user-defined symbols
// score chars * max_score - 0.1, unknown characters min_score - 10), run Viterbi to get the exact
// best score h(x) from BOS to every node, then A* from EOS with f = g + h. Scores are float32.

import { PieceType } from './model-proto.js';
import type { UnigramModel } from './unigram.js';

interface LatticeNode {
  pos: number; // in characters
  length: number; // in characters
  id: number;
  score: number;
  backtrace: number;
}

interface Hypothesis {
  node: LatticeNode;
  next: Hypothesis | null;
  fx: number;
  gx: number;
}

export interface NBestPath {
  ids: number[];
  /** end of each piece, in UTF-16 units of the normalized text */
  ends: number[];
  score: number;
}

const MAX_AGENDA = 10000;
const MIN_AGENDA = 512;

export function nbestSegmentations(model: UnigramModel, normalized: string, nbestSize: number): NBestPath[] {
  const n = Math.max(1, Math.min(Math.floor(nbestSize), 1024));
  if (normalized.length === 0) return [{ ids: [], ends: [], score: 0 }];
  // character boundaries (UTF-16 offsets)
  const bounds: number[] = [0];
  for (let i = 0; i < normalized.length; ) {
    const c = normalized.codePointAt(i) as number;
    i += c > 0xffff ? 2 : 1;
    bounds.push(i);
  }
  const len = bounds.length - 1;
  const charAt = new Map<number, number>(bounds.map((b, k) => [b, k]));
  const beginNodes: LatticeNode[][] = Array.from({ length: len + 1 }, () => []);
  const endNodes: LatticeNode[][] = Array.from({ length: len + 1 }, () => []);
  const bos: LatticeNode = { pos: 0, length: 0, id: -1, score: 0, backtrace: 0 };
  const eos: LatticeNode = { pos: len, length: 0, id: -1, score: 0, backtrace: 0 };
  (endNodes[0] as LatticeNode[]).push(bos);
  (beginNodes[len] as LatticeNode[]).push(eos);

  const trie = model.trie;
  for (let p = 0; p < len; p++) {
    const begin = bounds[p] as number;
    let state = 0;
    let hasSingle = false;
    for (let i = begin; i < normalized.length; i++) {
      state = trie.next(state, normalized.charCodeAt(i));
      if (state < 0) break;
      const id = trie.value[state] as number;
      if (id < 0) continue;
      const endChar = charAt.get(i + 1);
      if (endChar === undefined) continue;
      const type = model.types[id];
      if (type === PieceType.UNUSED) continue;
      const length = endChar - p;
      const score =
        type === PieceType.USER_DEFINED
          ? Math.fround(Math.fround(length * model.maxScore) - 0.1)
          : (model.scores[id] as number);
      const node: LatticeNode = { pos: p, length, id, score, backtrace: 0 };
      (beginNodes[p] as LatticeNode[]).push(node);
      (endNodes[endChar] as LatticeNode[]).push(node);
      if (length === 1) hasSingle = true;
    }
    if (!hasSingle) {
      const node: LatticeNode = { pos: p, length: 1, id: model.unkId, score: model.unkScore, backtrace: 0 };
      (beginNodes[p] as LatticeNode[]).push(node);
      (endNodes[p + 1] as LatticeNode[]).push(node);
    }
  }

  // Viterbi: backtrace score = best score from BOS to the end of each node
  for (let p = 0; p <= len; p++) {
    for (const r of beginNodes[p] as LatticeNode[]) {
      let best = 0;
      let found = false;
      for (const l of endNodes[p] as LatticeNode[]) {
        const s = Math.fround(l.backtrace + r.score);
        if (!found || s > best) {
          best = s;
          found = true;
        }
      }
      r.backtrace = best;
    }
  }

  // A* from EOS
  const agenda = new MaxHeap();
  agenda.push({ node: eos, next: null, fx: eos.backtrace, gx: 0 });
  const results: NBestPath[] = [];
  while (agenda.size > 0) {
    const top = agenda.pop();
    if (top.node === bos) {
      const ids: number[] = [];
      const ends: number[] = [];
      for (let h = top.next; h !== null && h.next !== null; h = h.next) {
        ids.push(h.node.id);
        ends.push(bounds[h.node.pos + h.node.length] as number);
      }
      results.push({ ids, ends, score: top.fx });
      if (results.length === n) break;
      continue;
    }
    for (const l of endNodes[top.node.pos] as LatticeNode[]) {
      agenda.push({
        node: l,
        next: top,
        gx: Math.fround(l.score + top.gx),
        fx: Math.fround(l.backtrace + top.gx),
      });
    }
    if (agenda.size >= MAX_AGENDA) agenda.shrink(Math.min(MIN_AGENDA, n * 10));
  }
  return results;
}

class MaxHeap {
  private items: Hypothesis[] = [];
  get size(): number {
    return this.items.length;
  }
  push(h: Hypothesis): void {
    const a = this.items;
    a.push(h);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as Hypothesis).fx >= h.fx) break;
      a[i] = a[parent] as Hypothesis;
      i = parent;
    }
    a[i] = h;
  }
  pop(): Hypothesis {
    const a = this.items;
    const top = a[0] as Hypothesis;
    const last = a.pop() as Hypothesis;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && (a[r] as Hypothesis).fx > (a[l] as Hypothesis).fx ? r : l;
        if ((a[c] as Hypothesis).fx <= last.fx) break;
        a[i] = a[c] as Hypothesis;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
  shrink(keep: number): void {
    const kept: Hypothesis[] = [];
    for (let i = 0; i < keep && this.items.length > 0; i++) kept.push(this.pop());
    this.items = [];
    for (const h of kept) this.push(h);
  }
}
