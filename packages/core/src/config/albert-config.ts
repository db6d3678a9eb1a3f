// AlbertConfig: Hugging Face's config.json for ALBERT as a typed object.
// fromJSON validates every known field (the error names the field and says what to do);
// toJSON writes snake_case back, keeping every key we do not know, so read -> write loses nothing.
import { ConfigError } from '../errors.js';
import { ACTIVATION_NAMES } from '../ops/activations.js';
import { type AlbertPresetName, albertPreset } from './presets.js';

/** Every field of HF's ALBERT config.json that the model reads, in camelCase. */
export interface AlbertConfigFields {
  vocabSize: number;
  embeddingSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numHiddenGroups: number;
  numAttentionHeads: number;
  intermediateSize: number;
  innerGroupNum: number;
  hiddenAct: string;
  hiddenDropoutProb: number;
  attentionProbsDropoutProb: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  initializerRange: number;
  layerNormEps: number;
  classifierDropoutProb: number | null;
  positionEmbeddingType: string;
  padTokenId: number | null;
  bosTokenId: number | null;
  eosTokenId: number | null;
  /** Task heads: label names by id. Its size is `numLabels`. */
  id2label: Record<string, string> | null;
  label2id: Record<string, number> | null;
  /** 'regression' | 'single_label_classification' | 'multi_label_classification' | null */
  problemType: string | null;
  architectures: string[] | null;
  modelType: string;
}

// HF AlbertConfig.__init__ defaults (they describe albert-xxlarge; presets describe the others).
const DEFAULTS: AlbertConfigFields = {
  vocabSize: 30000,
  embeddingSize: 128,
  hiddenSize: 4096,
  numHiddenLayers: 12,
  numHiddenGroups: 1,
  numAttentionHeads: 64,
  intermediateSize: 16384,
  innerGroupNum: 1,
  hiddenAct: 'gelu_new',
  hiddenDropoutProb: 0,
  attentionProbsDropoutProb: 0,
  maxPositionEmbeddings: 512,
  typeVocabSize: 2,
  initializerRange: 0.02,
  layerNormEps: 1e-12,
  classifierDropoutProb: 0.1,
  positionEmbeddingType: 'absolute',
  padTokenId: 0,
  bosTokenId: 2,
  eosTokenId: 3,
  id2label: null,
  label2id: null,
  problemType: null,
  architectures: null,
  modelType: 'albert',
};

// camelCase property <-> snake_case key, for every known field.
const KEYS: Record<keyof AlbertConfigFields, string> = {
  vocabSize: 'vocab_size',
  embeddingSize: 'embedding_size',
  hiddenSize: 'hidden_size',
  numHiddenLayers: 'num_hidden_layers',
  numHiddenGroups: 'num_hidden_groups',
  numAttentionHeads: 'num_attention_heads',
  intermediateSize: 'intermediate_size',
  innerGroupNum: 'inner_group_num',
  hiddenAct: 'hidden_act',
  hiddenDropoutProb: 'hidden_dropout_prob',
  attentionProbsDropoutProb: 'attention_probs_dropout_prob',
  maxPositionEmbeddings: 'max_position_embeddings',
  typeVocabSize: 'type_vocab_size',
  initializerRange: 'initializer_range',
  layerNormEps: 'layer_norm_eps',
  classifierDropoutProb: 'classifier_dropout_prob',
  positionEmbeddingType: 'position_embedding_type',
  padTokenId: 'pad_token_id',
  bosTokenId: 'bos_token_id',
  eosTokenId: 'eos_token_id',
  id2label: 'id2label',
  label2id: 'label2id',
  problemType: 'problem_type',
  architectures: 'architectures',
  modelType: 'model_type',
};

const POSITIVE_INTS = [
  'vocabSize',
  'embeddingSize',
  'hiddenSize',
  'numHiddenLayers',
  'numHiddenGroups',
  'numAttentionHeads',
  'intermediateSize',
  'innerGroupNum',
  'maxPositionEmbeddings',
  'typeVocabSize',
] as const;
const PROBABILITIES = ['hiddenDropoutProb', 'attentionProbsDropoutProb', 'classifierDropoutProb'] as const;
const TOKEN_IDS = ['padTokenId', 'bosTokenId', 'eosTokenId'] as const;
const PROBLEM_TYPES = ['regression', 'single_label_classification', 'multi_label_classification'];

export class AlbertConfig implements AlbertConfigFields {
  vocabSize!: number;
  embeddingSize!: number;
  hiddenSize!: number;
  numHiddenLayers!: number;
  numHiddenGroups!: number;
  numAttentionHeads!: number;
  intermediateSize!: number;
  innerGroupNum!: number;
  hiddenAct!: string;
  hiddenDropoutProb!: number;
  attentionProbsDropoutProb!: number;
  maxPositionEmbeddings!: number;
  typeVocabSize!: number;
  initializerRange!: number;
  layerNormEps!: number;
  classifierDropoutProb!: number | null;
  positionEmbeddingType!: string;
  padTokenId!: number | null;
  bosTokenId!: number | null;
  eosTokenId!: number | null;
  id2label!: Record<string, string> | null;
  label2id!: Record<string, number> | null;
  problemType!: string | null;
  architectures!: string[] | null;
  modelType!: string;
  /** Keys of config.json this class does not model (torch_dtype, transformers_version, …), kept verbatim. */
  readonly extra: Record<string, unknown>;

  /** Defaults are HF's AlbertConfig defaults; the result is validated. */
  constructor(fields: Partial<AlbertConfigFields> = {}, extra: Record<string, unknown> = {}) {
    Object.assign(this, DEFAULTS, stripUndefined(fields));
    this.extra = { ...extra };
    this.validate();
  }

  /** Parses a config.json object (snake_case keys). Throws ConfigError naming the bad field. */
  static fromJSON(json: unknown): AlbertConfig {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new ConfigError(`config.json must be a JSON object, got ${describe(json)}.`);
    }
    const obj = json as Record<string, unknown>;
    const fields: Record<string, unknown> = {};
    const known = new Set<string>();
    for (const [prop, key] of Object.entries(KEYS)) {
      known.add(key);
      if (key in obj) fields[prop] = obj[key];
    }
    const extra: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(obj)) if (!known.has(key)) extra[key] = value;
    // num_labels without id2label (HF accepts it): expand to LABEL_i names, keep the key itself too.
    if (fields.id2label == null && 'num_labels' in obj) {
      const n = obj.num_labels;
      if (!Number.isInteger(n) || (n as number) < 1) {
        throw new ConfigError(`config field "num_labels" must be a positive integer, got ${describe(n)}.`);
      }
      fields.id2label = Object.fromEntries(Array.from({ length: n as number }, (_, i) => [String(i), `LABEL_${i}`]));
    }
    return new AlbertConfig(fields as Partial<AlbertConfigFields>, extra);
  }

  /** A released ALBERT's config: 'albert-base-v2', 'albert/albert-xxlarge-v1', … (see albertPreset). */
  static preset(name: AlbertPresetName | `albert/${AlbertPresetName}`): AlbertConfig {
    return albertPreset(name);
  }

  /** Parses config.json text. */
  static fromJSONString(text: string): AlbertConfig {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`config.json is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    return AlbertConfig.fromJSON(json);
  }

  /** HF config.json object: snake_case keys, sorted as save_pretrained writes them, unknown keys kept. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...this.extra };
    for (const [prop, key] of Object.entries(KEYS)) {
      const value = this[prop as keyof AlbertConfigFields];
      if (value === null && (prop === 'id2label' || prop === 'label2id' || prop === 'architectures')) continue;
      if (value === null && prop === 'problemType') continue;
      out[key] = value;
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** The config.json text (2-space indent, trailing newline), as HF writes it. */
  toJSONString(): string {
    return `${JSON.stringify(this.toJSON(), null, 2)}\n`;
  }

  /** A copy with some fields changed (validated). */
  with(changes: Partial<AlbertConfigFields>): AlbertConfig {
    const fields: Partial<AlbertConfigFields> = {};
    for (const prop of Object.keys(KEYS) as (keyof AlbertConfigFields)[]) {
      (fields as Record<string, unknown>)[prop] = this[prop];
    }
    return new AlbertConfig({ ...fields, ...stripUndefined(changes) }, this.extra);
  }

  /** Number of labels of a task head: the size of id2label, else 2 (HF's default). */
  get numLabels(): number {
    return this.id2label == null ? 2 : Object.keys(this.id2label).length;
  }

  /** Size of one attention head. */
  get headSize(): number {
    return this.hiddenSize / this.numAttentionHeads;
  }

  /** Group used by outer layer i: floor(i / (numHiddenLayers / numHiddenGroups)), as HF computes it. */
  groupOfLayer(i: number): number {
    return Math.floor(i / (this.numHiddenLayers / this.numHiddenGroups));
  }

  private validate(): void {
    for (const prop of POSITIVE_INTS) {
      const v = this[prop];
      if (!Number.isInteger(v) || v < 1) fail(prop, v, 'must be a positive integer');
    }
    if (this.hiddenSize % this.numAttentionHeads !== 0) {
      fail(
        'numAttentionHeads',
        this.numAttentionHeads,
        `must divide hidden_size (${this.hiddenSize}); pick a head count whose head size hidden_size/heads is an integer`,
      );
    }
    if (this.numHiddenLayers % this.numHiddenGroups !== 0) {
      fail(
        'numHiddenGroups',
        this.numHiddenGroups,
        `must divide num_hidden_layers (${this.numHiddenLayers}) so every group is used by the same number of layers`,
      );
    }
    if (typeof this.hiddenAct !== 'string' || !ACTIVATION_NAMES.includes(this.hiddenAct)) {
      fail('hiddenAct', this.hiddenAct, `must be one of ${ACTIVATION_NAMES.join(', ')}`);
    }
    for (const prop of PROBABILITIES) {
      const v = this[prop];
      if (v === null && prop === 'classifierDropoutProb') continue;
      if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(prop, v, 'must be a number in [0, 1)');
    }
    if (typeof this.initializerRange !== 'number' || !(this.initializerRange > 0)) {
      fail('initializerRange', this.initializerRange, 'must be a positive number (the init standard deviation)');
    }
    if (typeof this.layerNormEps !== 'number' || !(this.layerNormEps > 0)) {
      fail('layerNormEps', this.layerNormEps, 'must be a positive number');
    }
    if (this.positionEmbeddingType !== 'absolute') {
      fail(
        'positionEmbeddingType',
        this.positionEmbeddingType,
        'is not supported: only "absolute" position embeddings are implemented (as in every released ALBERT)',
      );
    }
    for (const prop of TOKEN_IDS) {
      const v = this[prop];
      if (v === null) continue;
      if (!Number.isInteger(v) || v < 0) fail(prop, v, 'must be a non-negative integer or null');
    }
    if (this.padTokenId !== null && this.padTokenId >= this.vocabSize) {
      fail('padTokenId', this.padTokenId, `must be below vocab_size (${this.vocabSize})`);
    }
    if (this.modelType !== 'albert') {
      fail('modelType', this.modelType, 'must be "albert": this config.json belongs to a different architecture');
    }
    if (this.id2label !== null) {
      if (typeof this.id2label !== 'object' || Array.isArray(this.id2label)) {
        fail('id2label', this.id2label, 'must be an object mapping "0".."n-1" to label names');
      }
      const ids = Object.keys(this.id2label).map(Number);
      const n = ids.length;
      if (n === 0 || !ids.every((id) => Number.isInteger(id) && id >= 0 && id < n)) {
        fail('id2label', this.id2label, 'must have the keys "0".."n-1" (one per label)');
      }
    }
    if (this.label2id !== null && (typeof this.label2id !== 'object' || Array.isArray(this.label2id))) {
      fail('label2id', this.label2id, 'must be an object mapping label names to ids');
    }
    if (this.problemType !== null && !PROBLEM_TYPES.includes(this.problemType)) {
      fail('problemType', this.problemType, `must be one of ${PROBLEM_TYPES.join(', ')} or null`);
    }
    if (this.architectures !== null && !(Array.isArray(this.architectures) && this.architectures.every(isString))) {
      fail('architectures', this.architectures, 'must be a list of class names');
    }
  }
}

function fail(prop: keyof AlbertConfigFields, value: unknown, what: string): never {
  throw new ConfigError(`config field "${KEYS[prop]}" ${what}; got ${describe(value)}.`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isString(x: unknown): x is string {
  return typeof x === 'string';
}

function stripUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
