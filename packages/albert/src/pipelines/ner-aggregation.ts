// Token-classification post-processing as Hugging Face's TokenClassificationPipeline defines it
// (transformers/pipelines/token_classification.py): per-token softmax scores become "pre-entities",
// aggregated per strategy:
// - 'none': every token with its best label;
// - 'simple': tokens with their best label, then consecutive B-/I- tags of one type grouped;
// - 'first' | 'average' | 'max': tokens merged into words first (a subword joins the word before it),
//   the word's label from its first token, from the mean of its tokens' scores, or from its
//   highest-scoring token; then grouped as in 'simple'.
// Labels in `ignoreLabels` (default ['O']) are dropped at the end.

export type AggregationStrategy = 'none' | 'simple' | 'first' | 'average' | 'max';
export const AGGREGATION_STRATEGIES: readonly AggregationStrategy[] = ['none', 'simple', 'first', 'average', 'max'];

/** One token of the input (special tokens left out), as HF's gather_pre_entities builds it. */
export interface PreEntity {
  word: string;
  /** softmax over the labels */
  scores: ArrayLike<number>;
  start: number;
  end: number;
  /** the token's position in the model input */
  index: number;
  /** true when the token continues the word before it */
  isSubword: boolean;
}

/** A token with its label ('none'). */
export interface TokenEntity {
  entity: string;
  score: number;
  index: number;
  word: string;
  start: number;
  end: number;
}

/** A span of tokens of one entity type (every other strategy). */
export interface GroupedEntity {
  entityGroup: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

/** A word with its label (the step between tokens and groups). */
interface WordEntity {
  entity: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

function argmax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) > (xs[best] as number)) best = i;
  return best;
}

function max(xs: ArrayLike<number>): number {
  return xs[argmax(xs)] as number;
}

function labelOf(id2label: Record<string, string>, id: number): string {
  return id2label[String(id)] ?? `LABEL_${id}`;
}

/** One word from its tokens (HF aggregate_word). */
function aggregateWord(
  tokens: PreEntity[],
  strategy: 'first' | 'average' | 'max',
  id2label: Record<string, string>,
  joinTokens: (pieces: string[]) => string,
): WordEntity {
  const word = joinTokens(tokens.map((t) => t.word));
  let scores: ArrayLike<number>;
  if (strategy === 'first') {
    scores = (tokens[0] as PreEntity).scores;
  } else if (strategy === 'max') {
    let best = tokens[0] as PreEntity;
    for (const t of tokens) if (max(t.scores) > max(best.scores)) best = t;
    scores = best.scores;
  } else {
    const n = (tokens[0] as PreEntity).scores.length;
    const mean = new Float64Array(n);
    for (const t of tokens)
      for (let i = 0; i < n; i++) mean[i] = (mean[i] as number) + (t.scores[i] as number) / tokens.length;
    scores = mean;
  }
  const id = argmax(scores);
  return {
    entity: labelOf(id2label, id),
    score: scores[id] as number,
    word,
    start: (tokens[0] as PreEntity).start,
    end: (tokens.at(-1) as PreEntity).end,
  };
}

/** Words from tokens: a subword joins the word before it (HF aggregate_words). */
function aggregateWords(
  tokens: PreEntity[],
  strategy: 'first' | 'average' | 'max',
  id2label: Record<string, string>,
  joinTokens: (pieces: string[]) => string,
): WordEntity[] {
  const words: WordEntity[] = [];
  let group: PreEntity[] = [];
  for (const t of tokens) {
    if (group.length > 0 && !t.isSubword) {
      words.push(aggregateWord(group, strategy, id2label, joinTokens));
      group = [];
    }
    group.push(t);
  }
  if (group.length > 0) words.push(aggregateWord(group, strategy, id2label, joinTokens));
  return words;
}

/** 'B-PER' → ['B', 'PER']; a label without a B-/I- prefix counts as I- (a continuation), as HF. */
function tag(label: string): [string, string] {
  if (label.startsWith('B-')) return ['B', label.slice(2)];
  if (label.startsWith('I-')) return ['I', label.slice(2)];
  return ['I', label];
}

function groupOf(words: WordEntity[], joinTokens: (pieces: string[]) => string): GroupedEntity {
  const first = words[0] as WordEntity;
  return {
    entityGroup: first.entity.split('-').slice(1).join('-') || first.entity,
    score: words.reduce((s, w) => s + w.score, 0) / words.length,
    word: joinTokens(words.map((w) => w.word)),
    start: first.start,
    end: (words.at(-1) as WordEntity).end,
  };
}

/** Consecutive entities of one type (not starting a new B-) become one group (HF group_entities). */
function groupEntities(words: WordEntity[], joinTokens: (pieces: string[]) => string): GroupedEntity[] {
  const groups: GroupedEntity[] = [];
  let current: WordEntity[] = [];
  for (const w of words) {
    if (current.length > 0) {
      const [bi, type] = tag(w.entity);
      const [, lastType] = tag((current.at(-1) as WordEntity).entity);
      if (!(type === lastType && bi !== 'B')) {
        groups.push(groupOf(current, joinTokens));
        current = [];
      }
    }
    current.push(w);
  }
  if (current.length > 0) groups.push(groupOf(current, joinTokens));
  return groups;
}

/** HF aggregate(): entities of one input, before `ignoreLabels` is applied. */
export function aggregate(
  tokens: PreEntity[],
  strategy: AggregationStrategy,
  id2label: Record<string, string>,
  joinTokens: (pieces: string[]) => string,
): TokenEntity[] | GroupedEntity[] {
  if (strategy === 'none' || strategy === 'simple') {
    const entities = tokens.map((t): TokenEntity => {
      const id = argmax(t.scores);
      return {
        entity: labelOf(id2label, id),
        score: t.scores[id] as number,
        index: t.index,
        word: t.word,
        start: t.start,
        end: t.end,
      };
    });
    return strategy === 'none' ? entities : groupEntities(entities, joinTokens);
  }
  return groupEntities(aggregateWords(tokens, strategy, id2label, joinTokens), joinTokens);
}

/** Entities whose label (or group) is not in `ignoreLabels`. */
export function dropIgnored<T extends TokenEntity | GroupedEntity>(
  entities: readonly T[],
  ignoreLabels: readonly string[],
): T[] {
  return entities.filter((e) => !ignoreLabels.includes('entity' in e ? e.entity : e.entityGroup)) as T[];
}
