// Everything `albert info` reports about a model folder (Node): files and sizes, the config, the
// tokenizer, parameter counts by part, the shared-layer layout and the backend it runs on.
import { stat } from 'node:fs/promises';
import {
  AlbertConfig,
  AutoModel,
  AutoTokenizer,
  type BackendName,
  type BackendReport,
  formatBackendReport,
  initBackend,
  type ModelSource,
  openModelSource,
} from 'albert-ts';
import { countByPart, namedParametersOf, type ParameterCounts } from './parameters.js';
import { type LayerApplication, layerApplications, type SharingGroup, sharingGroups } from './sharing.js';

/** The files of a Hugging Face ALBERT folder, in the order they matter. */
export const MODEL_FILES = [
  'config.json',
  'model.safetensors',
  'spiece.model',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
] as const;

export interface ModelInfo {
  source: string;
  files: { name: string; bytes: number }[];
  architecture: string;
  config: Record<string, unknown>;
  tokenizer: { file: string; vocabSize: number; modelMaxLength: number | null };
  parameters: ParameterCounts;
  applications: LayerApplication[];
  groups: SharingGroup[];
  backend: BackendReport & { summary: string };
}

async function fileSize(source: ModelSource, name: string): Promise<number | null> {
  if (!(await source.has(name))) return null;
  const path = await source.localPath(name);
  return path != null ? (await stat(path)).size : (await source.readFile(name)).byteLength;
}

const CONFIG_FIELDS = [
  'vocabSize',
  'embeddingSize',
  'hiddenSize',
  'numHiddenLayers',
  'numHiddenGroups',
  'innerGroupNum',
  'numAttentionHeads',
  'intermediateSize',
  'hiddenAct',
  'maxPositionEmbeddings',
  'typeVocabSize',
] as const;

export async function modelInfo(model: string | ModelSource, backend?: BackendName): Promise<ModelInfo> {
  const report = await initBackend(backend != null ? { prefer: backend } : {});
  const source = typeof model === 'string' ? await openModelSource(model) : model;
  const files: ModelInfo['files'] = [];
  for (const name of MODEL_FILES) {
    const bytes = await fileSize(source, name);
    if (bytes != null) files.push({ name, bytes });
  }
  const config = AlbertConfig.fromJSONString(await source.readText('config.json'));
  const tokenizer = await AutoTokenizer.fromPretrained(source);
  const loaded = await AutoModel.fromPretrained(source, { warn: () => {}, info: () => {} });
  const parameters = countByPart(namedParametersOf(loaded), config);
  loaded.dispose();
  const fields: Record<string, unknown> = {};
  for (const f of CONFIG_FIELDS) fields[f] = config[f];
  if (config.id2label != null) fields.labels = Object.values(config.id2label);
  return {
    source: source.description,
    files,
    architecture: config.architectures?.[0] ?? 'AlbertModel',
    config: fields,
    tokenizer: {
      file: (await source.has('spiece.model')) ? 'spiece.model' : 'tokenizer.json',
      vocabSize: tokenizer.vocabSize,
      modelMaxLength: tokenizer.modelMaxLength ?? null,
    },
    parameters,
    applications: layerApplications(config),
    groups: sharingGroups(config),
    backend: { ...report, summary: formatBackendReport(report) },
  };
}
