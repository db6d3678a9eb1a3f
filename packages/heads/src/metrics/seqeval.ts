// Entity-level precision, recall and F1 for IOB2 tags, as seqeval 1.2 computes them
// (chakki-works/seqeval), in its two modes:
//  - 'default' (conlleval-compatible, seqeval's get_entities): a chunk starts at B-X, at I-X after O
//    or after another type, and ends where the type changes or an O/B comes; so a lone I-X is an
//    entity, and B-X I-Y gives two;
//  - 'strict' (mode='strict', scheme=IOB2): an entity is B-X followed by I-X of the same type only;
//    an I-X that does not continue a B-X/I-X of its type belongs to no entity. Tags other than
//    O/B-/I- are an error, as seqeval raises ValueError.
// An entity is (sentence, type, first token, last token); a prediction counts when the truth has
// exactly the same one. Per type, then micro (pooled counts), macro (mean over the types found in
// the truth or the prediction, sorted) and weighted (by support). 0/0 is 0, as seqeval's default.

import { TaskInputError } from '../data/errors.js';

export type Entity = { sentence: number; type: string; start: number; end: number };
export type SeqevalMode = 'default' | 'strict';
export type EntityScores = { precision: number; recall: number; f1: number; support: number };

export type SeqevalResult = {
  /** per entity type, types sorted */
  perType: Record<string, EntityScores>;
  micro: EntityScores;
  macro: EntityScores;
  weighted: EntityScores;
  /** token-level accuracy (seqeval accuracy_score; NaN with no tokens, where seqeval divides by zero) */
  accuracy: number;
};

/** seqeval get_entities (default mode) of one sentence: [type, start, end] with end inclusive. */
function defaultEntities(tags: readonly string[], sentence: number, out: Entity[]): void {
  let prevTag = 'O';
  let prevType = '';
  let begin = 0;
  const n = tags.length;
  for (let i = 0; i <= n; i++) {
    const chunk = i < n ? (tags[i] as string) : 'O';
    if (!/^(O|[BIES])$/.test(chunk) && !/^[BIES]-/.test(chunk)) {
      throw new TaskInputError(`sentence ${sentence}, token ${i}: ${JSON.stringify(chunk)} is not a tag (O, B-X, I-X)`);
    }
    const tag = chunk[0] as string;
    // Python: chunk[1:].split('-', maxsplit=1)[-1] or '_'
    const rest = chunk.slice(1);
    const dash = rest.indexOf('-');
    const typeOrBlank = (dash < 0 ? rest : rest.slice(dash + 1)) || '_';
    if (endOfChunk(prevTag, tag, prevType, typeOrBlank))
      out.push({ sentence, type: prevType, start: begin, end: i - 1 });
    if (startOfChunk(prevTag, tag, prevType, typeOrBlank)) begin = i;
    prevTag = tag;
    prevType = typeOrBlank;
  }
}

function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (prevTag === 'E' || prevTag === 'S') return true;
  if ((prevTag === 'B' || prevTag === 'I') && (tag === 'B' || tag === 'S' || tag === 'O')) return true;
  return prevTag !== 'O' && prevTag !== '.' && prevType !== type;
}

function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if (tag === 'B' || tag === 'S') return true;
  if ((prevTag === 'E' || prevTag === 'S' || prevTag === 'O') && (tag === 'E' || tag === 'I')) return true;
  return tag !== 'O' && tag !== '.' && prevType !== type;
}

/** seqeval's strict IOB2 entities of one sentence (end inclusive here). */
function strictEntities(tags: readonly string[], sentence: number, out: Entity[]): void {
  const prefix = (t: string) => t[0] as string;
  const typeOf = (t: string) => t.slice(1).replace(/^-+|-+$/g, '') || '_';
  for (const [i, t] of tags.entries()) {
    if (!'IOB'.includes(prefix(t)) || t === '') {
      throw new TaskInputError(
        `sentence ${sentence}, token ${i}: ${JSON.stringify(t)} is not an IOB2 tag (allowed prefixes: I, O, B)`,
      );
    }
  }
  for (let i = 0; i < tags.length; ) {
    const t = tags[i] as string;
    if (prefix(t) !== 'B') {
      i++;
      continue;
    }
    const type = typeOf(t);
    let j = i + 1;
    while (j < tags.length && prefix(tags[j] as string) === 'I' && typeOf(tags[j] as string) === type) j++;
    out.push({ sentence, type, start: i, end: j - 1 });
    i = j;
  }
}

/** The entities of every sentence in one mode. */
export function extractEntities(sentences: readonly (readonly string[])[], mode: SeqevalMode = 'default'): Entity[] {
  const out: Entity[] = [];
  sentences.forEach((tags, s) => {
    if (mode === 'strict') strictEntities(tags, s, out);
    else defaultEntities(tags, s, out);
  });
  return out;
}

function scores(tp: number, pred: number, truth: number): EntityScores {
  const precision = pred === 0 ? 0 : tp / pred;
  const recall = truth === 0 ? 0 : tp / truth;
  const denom = precision + recall;
  return { precision, recall, f1: (2 * precision * recall) / (denom === 0 ? 1 : denom), support: truth };
}

/** seqeval classification_report's numbers for true and predicted tag sequences. */
export function seqevalMetrics(
  yTrue: readonly (readonly string[])[],
  yPred: readonly (readonly string[])[],
  options: { mode?: SeqevalMode } = {},
): SeqevalResult {
  const mode = options.mode ?? 'default';
  if (yTrue.length !== yPred.length || yTrue.some((t, i) => t.length !== yPred[i]?.length)) {
    throw new TaskInputError(
      `seqevalMetrics: true and predicted sequences differ in number or length (${yTrue.map((t) => t.length).join(',')} vs ${yPred.map((t) => t.length).join(',')})`,
    );
  }
  const key = (e: Entity) => `${e.sentence}\u0000${e.start}\u0000${e.end}`;
  const byType = (entities: Entity[]) => {
    const m = new Map<string, Set<string>>();
    for (const e of entities) {
      if (!m.has(e.type)) m.set(e.type, new Set());
      m.get(e.type)?.add(key(e));
    }
    return m;
  };
  const truth = byType(extractEntities(yTrue, mode));
  const pred = byType(extractEntities(yPred, mode));
  const types = [...new Set([...truth.keys(), ...pred.keys()])].sort();
  const perType: Record<string, EntityScores> = {};
  let tpAll = 0;
  let predAll = 0;
  let trueAll = 0;
  const rows: EntityScores[] = [];
  for (const type of types) {
    const t = truth.get(type) ?? new Set<string>();
    const p = pred.get(type) ?? new Set<string>();
    let tp = 0;
    for (const k of p) if (t.has(k)) tp++;
    const row = scores(tp, p.size, t.size);
    perType[type] = row;
    rows.push(row);
    tpAll += tp;
    predAll += p.size;
    trueAll += t.size;
  }
  const avg = (pick: (r: EntityScores) => number, weighted: boolean) => {
    let s = 0;
    for (const r of rows) s += pick(r) * (weighted ? r.support : 1);
    return s / (weighted ? trueAll : rows.length);
  };
  const average = (weighted: boolean): EntityScores =>
    weighted && trueAll === 0
      ? { precision: 0, recall: 0, f1: 0, support: 0 }
      : {
          precision: avg((r) => r.precision, weighted),
          recall: avg((r) => r.recall, weighted),
          f1: avg((r) => r.f1, weighted),
          support: trueAll,
        };
  let right = 0;
  let tokens = 0;
  yTrue.forEach((t, i) => {
    t.forEach((tag, j) => {
      tokens++;
      if (yPred[i]?.[j] === tag) right++;
    });
  });
  return {
    perType,
    micro: scores(tpAll, predAll, trueAll),
    macro: average(false),
    weighted: average(true),
    accuracy: right / tokens,
  };
}
