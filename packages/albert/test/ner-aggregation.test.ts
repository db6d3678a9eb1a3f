// The aggregation strategies against Hugging Face's own expectations: the pre-entities and the
// expected entities of test_aggregation_strategy and test_aggregation_strategy_example2 in
// transformers' tests/pipelines/test_pipelines_token_classification.py (Apache-2.0), transcribed
// (scores rounded to 3 digits there, as nested_simplify does). The model there is a WordPiece BERT:
// its convert_tokens_to_string joins with spaces and removes " ##".
import { describe, expect, it } from 'vitest';
import {
  type AggregationStrategy,
  aggregate,
  dropIgnored,
  type GroupedEntity,
  type PreEntity,
  type TokenEntity,
} from '../src/pipelines/ner-aggregation.js';

const ID2LABEL = {
  0: 'O',
  1: 'B-MISC',
  2: 'I-MISC',
  3: 'B-PER',
  4: 'I-PER',
  5: 'B-ORG',
  6: 'I-ORG',
  7: 'B-LOC',
  8: 'I-LOC',
};
const wordPiece = (tokens: string[]) => tokens.join(' ').replaceAll(' ##', '').trim();

const EXAMPLE: PreEntity[] = [
  { scores: [0, 0, 0, 0, 0.9968166351318359, 0, 0, 0], index: 1, isSubword: false, word: 'En', start: 0, end: 2 },
  { scores: [0, 0, 0, 0, 0.9957635998725891, 0, 0, 0], index: 2, isSubword: true, word: '##zo', start: 2, end: 4 },
  { scores: [0, 0, 0, 0, 0, 0.9986497163772583, 0, 0], index: 7, isSubword: false, word: 'UN', start: 11, end: 13 },
];
const EXAMPLE2: PreEntity[] = [
  { scores: [0, 0.55, 0, 0.45, 0, 0, 0, 0, 0, 0], isSubword: false, index: 1, word: 'Ra', start: 0, end: 2 },
  { scores: [0, 0, 0, 0.2, 0, 0, 0, 0.8, 0, 0], isSubword: true, word: '##ma', start: 2, end: 4, index: 2 },
  { scores: [0, 0, 0, 0.4, 0, 0, 0.6, 0, 0, 0], isSubword: true, word: '##zotti', start: 11, end: 13, index: 3 },
];

function simplify(entities: object[]): object[] {
  return entities.map((e) => ({ ...e, score: Math.round((e as { score: number }).score * 1000) / 1000 }));
}

const run = (example: PreEntity[], strategy: AggregationStrategy) =>
  simplify(aggregate(example, strategy, ID2LABEL, wordPiece));

describe("aggregation strategies (HF's expectations)", () => {
  it('example 1: none', () => {
    expect(run(EXAMPLE, 'none')).toEqual([
      { end: 2, entity: 'I-PER', score: 0.997, start: 0, word: 'En', index: 1 },
      { end: 4, entity: 'I-PER', score: 0.996, start: 2, word: '##zo', index: 2 },
      { end: 13, entity: 'B-ORG', score: 0.999, start: 11, word: 'UN', index: 7 },
    ]);
  });

  it.each([
    ['simple', 0.996],
    ['first', 0.997],
    ['max', 0.997],
    ['average', 0.996],
  ] as const)('example 1: %s', (strategy, score) => {
    expect(run(EXAMPLE, strategy)).toEqual([
      { entityGroup: 'PER', score, word: 'Enzo', start: 0, end: 4 },
      { entityGroup: 'ORG', score: 0.999, word: 'UN', start: 11, end: 13 },
    ]);
  });

  it('example 2: none, first, max, average', () => {
    expect(run(EXAMPLE2, 'none')).toEqual([
      { end: 2, entity: 'B-MISC', score: 0.55, start: 0, word: 'Ra', index: 1 },
      { end: 4, entity: 'B-LOC', score: 0.8, start: 2, word: '##ma', index: 2 },
      { end: 13, entity: 'I-ORG', score: 0.6, start: 11, word: '##zotti', index: 3 },
    ]);
    expect(run(EXAMPLE2, 'first')).toEqual([
      { entityGroup: 'MISC', score: 0.55, word: 'Ramazotti', start: 0, end: 13 },
    ]);
    expect(run(EXAMPLE2, 'max')).toEqual([{ entityGroup: 'LOC', score: 0.8, word: 'Ramazotti', start: 0, end: 13 }]);
    expect(run(EXAMPLE2, 'average')).toEqual([
      { entityGroup: 'PER', score: 0.35, word: 'Ramazotti', start: 0, end: 13 },
    ]);
  });

  it("ignoreLabels drops tokens and groups by label (HF's default ['O'])", () => {
    const tokens: PreEntity[] = [
      { scores: [0.9, 0.1, 0, 0, 0, 0, 0, 0, 0], index: 1, isSubword: false, word: 'the', start: 0, end: 3 },
      { scores: [0, 0, 0, 0.9, 0.1, 0, 0, 0, 0], index: 2, isSubword: false, word: 'Ada', start: 4, end: 7 },
      { scores: [0, 0, 0, 0.1, 0.9, 0, 0, 0, 0], index: 3, isSubword: false, word: 'Lovelace', start: 8, end: 16 },
    ];
    expect(
      simplify(dropIgnored<TokenEntity | GroupedEntity>(aggregate(tokens, 'simple', ID2LABEL, wordPiece), ['O'])),
    ).toEqual([{ entityGroup: 'PER', score: 0.9, word: 'Ada Lovelace', start: 4, end: 16 }]);
    expect(
      dropIgnored<TokenEntity | GroupedEntity>(aggregate(tokens, 'none', ID2LABEL, wordPiece), ['O', 'B-PER']).map(
        (e) => 'entity' in e && e.entity,
      ),
    ).toEqual(['I-PER']);
  });
});
