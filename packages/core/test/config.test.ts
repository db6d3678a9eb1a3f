import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AlbertConfig,
  AlbertError,
  albertParameterSpecs,
  albertPreset,
  ConfigError,
  countParameters,
  PRESET_NAMES,
} from '../src/index.js';
import { CASES, FIXTURES } from './helpers/fixtures.js';

const readConfig = (c: string) => JSON.parse(readFileSync(join(FIXTURES, c, 'config.json'), 'utf8'));

describe('AlbertConfig', () => {
  it.each(CASES)('reads and writes %s/config.json losslessly', (c) => {
    const json = readConfig(c);
    const config = AlbertConfig.fromJSON(json);
    expect(config.toJSON()).toEqual(json);
    expect(Object.keys(config.toJSON())).toEqual(Object.keys(json)); // sorted, as HF writes
    expect(config.extra.torch_dtype).toBe('float32');
  });

  it('maps snake_case to camelCase', () => {
    const config = AlbertConfig.fromJSON(readConfig('tiny-groups'));
    expect(config.numHiddenGroups).toBe(2);
    expect(config.innerGroupNum).toBe(2);
    expect(config.hiddenAct).toBe('gelu');
    expect(config.intermediateSize).toBe(40);
    expect(config.headSize).toBe(16);
    expect([0, 1, 2, 3, 4, 5].map((i) => config.groupOfLayer(i))).toEqual([0, 0, 0, 1, 1, 1]);
    const seqcls = AlbertConfig.fromJSON(readConfig('tiny-seqcls'));
    expect(seqcls.numLabels).toBe(3);
    expect(seqcls.label2id).toEqual({ LABEL_0: 0, LABEL_1: 1, LABEL_2: 2 });
  });

  it('keeps unknown keys and expands num_labels', () => {
    const config = AlbertConfig.fromJSON({ ...readConfig('tiny-qa'), my_field: [1, { a: 2 }], num_labels: 4 });
    expect(config.numLabels).toBe(4);
    expect(config.toJSON().my_field).toEqual([1, { a: 2 }]);
    expect(config.toJSON().num_labels).toBe(4);
    expect(config.toJSON().id2label).toEqual({ 0: 'LABEL_0', 1: 'LABEL_1', 2: 'LABEL_2', 3: 'LABEL_3' });
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    [
      'heads must divide hidden',
      { hidden_size: 30, num_attention_heads: 4 },
      /"num_attention_heads" must divide hidden_size \(30\); .*got 4/,
    ],
    [
      'groups must divide layers',
      { num_hidden_layers: 4, num_hidden_groups: 3 },
      /"num_hidden_groups" must divide num_hidden_layers \(4\).*got 3/,
    ],
    ['positive sizes', { vocab_size: 0 }, /"vocab_size" must be a positive integer; got 0/],
    ['integer sizes', { intermediate_size: 3.5 }, /"intermediate_size" must be a positive integer; got 3.5/],
    ['string sizes', { hidden_size: '32' }, /"hidden_size" must be a positive integer; got "32"/],
    ['known activation', { hidden_act: 'gelu2' }, /"hidden_act" must be one of gelu, gelu_new, .*; got "gelu2"/],
    ['dropout range', { hidden_dropout_prob: 1.5 }, /"hidden_dropout_prob" must be a number in \[0, 1\); got 1.5/],
    ['eps positive', { layer_norm_eps: 0 }, /"layer_norm_eps" must be a positive number; got 0/],
    ['position type', { position_embedding_type: 'relative_key' }, /"position_embedding_type" is not supported/],
    ['pad id in vocab', { pad_token_id: 1000 }, /"pad_token_id" must be below vocab_size \(1000\); got 1000/],
    ['model type', { model_type: 'bert' }, /"model_type" must be "albert"/],
    ['id2label keys', { id2label: { 0: 'a', 2: 'b' } }, /"id2label" must have the keys "0".."n-1"/],
    ['problem type', { problem_type: 'ranking' }, /"problem_type" must be one of regression/],
  ];
  it.each(bad)('rejects: %s', (_, change, message) => {
    const json = { ...readConfig('tiny-pretraining'), ...change };
    let error: unknown;
    try {
      AlbertConfig.fromJSON(json);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(AlbertError);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects non-objects and bad JSON text', () => {
    expect(() => AlbertConfig.fromJSON([1])).toThrow(/config.json must be a JSON object, got \[1\]/);
    expect(() => AlbertConfig.fromJSONString('{"vocab_size": ')).toThrow(ConfigError);
  });

  it('with() changes fields and validates', () => {
    const base = albertPreset('albert-base-v2');
    expect(base.with({ numHiddenLayers: 6 }).numHiddenLayers).toBe(6);
    expect(base.numHiddenLayers).toBe(12);
    expect(() => base.with({ numAttentionHeads: 7 })).toThrow(ConfigError);
  });
});

describe('presets and parameter counts', () => {
  it('albert-base AlbertModel has 11,683,584 parameters (HF count)', () => {
    expect(countParameters(albertPreset('albert-base-v2'))).toBe(11_683_584);
    expect(countParameters(albertPreset('albert/albert-base-v1'))).toBe(11_683_584);
    expect(AlbertConfig.preset('albert-base-v2').toJSON()).toEqual(albertPreset('albert-base-v2').toJSON());
    expect(countParameters(albertPreset('albert-base-v2'), { pooler: false })).toBe(11_683_584 - 768 * 768 - 768);
  });

  it('presets have the paper shapes', () => {
    const shape = (n: (typeof PRESET_NAMES)[number]) => {
      const c = albertPreset(n);
      return [c.numHiddenLayers, c.hiddenSize, c.embeddingSize, c.numAttentionHeads, c.intermediateSize];
    };
    expect(shape('albert-base-v2')).toEqual([12, 768, 128, 12, 3072]);
    expect(shape('albert-large-v2')).toEqual([24, 1024, 128, 16, 4096]);
    expect(shape('albert-xlarge-v2')).toEqual([24, 2048, 128, 16, 8192]);
    expect(shape('albert-xxlarge-v2')).toEqual([12, 4096, 128, 64, 16384]);
    expect(albertPreset('albert-base-v2').hiddenAct).toBe('gelu_new');
    expect(albertPreset('albert-base-v1').hiddenAct).toBe('gelu');
    expect(albertPreset('albert-large-v1').hiddenDropoutProb).toBe(0.1);
    expect(albertPreset('albert-xxlarge-v2').attentionProbsDropoutProb).toBe(0);
    // Paper Table 1 says 12M, 18M, 60M, 235M; the exact counts of the HF-shaped models are these
    // (HF reports 222.6M for albert-xxlarge-v2 as well: the paper rounds and counts differently).
    const millions = PRESET_NAMES.filter((n) => n.endsWith('v2')).map((n) =>
      Math.round(countParameters(albertPreset(n)) / 1e6),
    );
    expect(millions).toEqual([12, 18, 59, 223]);
    expect(PRESET_NAMES).toHaveLength(8);
    expect(() => albertPreset('albert-huge-v2' as never)).toThrow(/Unknown ALBERT preset "albert-huge-v2"/);
  });

  it('countParameters equals the sum of the parameter shapes', () => {
    for (const c of CASES) {
      const config = AlbertConfig.fromJSON(readConfig(c));
      const total = albertParameterSpecs(config).reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
      expect(countParameters(config)).toBe(total);
    }
  });
});
