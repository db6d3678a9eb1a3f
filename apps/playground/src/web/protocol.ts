// What the page and its worker say to each other (structured-clone data only). Every request has
// an id; the worker answers it once (result or error) and may send events tagged with it before.
import type { BackendReport } from 'albert-ts';
import type { TokenRow } from '../info/tokens.js';

/** Where the model comes from. 'catalog': the server's model per task (the default model, or a fixture). */
export type ModelSpec =
  | { kind: 'catalog' }
  | { kind: 'url'; url: string }
  | { kind: 'files'; name: string; files: File[] };

export type BackendChoice = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendProbe {
  backend: string;
  ok: boolean;
  /** The report's one-line summary, or why it did not initialise. */
  detail: string;
}

export interface Capabilities {
  report: BackendReport;
  summary: string;
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  /** navigator.hardwareConcurrency in the worker. */
  logicalCores: number;
  /** The wasm backend's facts (when it initialised). */
  wasm: { simd: boolean; threads: number; threadedBuild: boolean } | null;
  probes: BackendProbe[];
}

export interface AttentionResult {
  tokens: TokenRow[];
  /** Attention probabilities [applications, heads, seq, seq], flattened. */
  data: Float32Array;
  applications: number;
  heads: number;
  seq: number;
  config: SharingFields;
}

export interface SharingFields {
  numHiddenLayers: number;
  numHiddenGroups: number;
  innerGroupNum: number;
  numAttentionHeads: number;
  hiddenSize: number;
  embeddingSize: number;
}

export interface TrainExample {
  text: string;
  /** The label's name (ids follow the order of first appearance). */
  label: string;
}

export interface TrainRequest {
  examples: TrainExample[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

export interface TrainStep {
  step: number;
  maxSteps: number;
  loss: number;
  learningRate: number;
}

export type Request =
  | { type: 'init'; backend: BackendChoice }
  | { type: 'model'; spec: ModelSpec }
  | { type: 'run'; task: string; input: unknown; options?: Record<string, unknown> }
  | { type: 'attention'; text: string }
  | { type: 'train'; request: TrainRequest }
  | { type: 'stop-training' }
  | { type: 'trained-files' }
  | { type: 'try-trained'; texts: string[] };

export type ToWorker = Request & { id: number };

export interface LoadEvent {
  file: string;
  loaded: number;
  total?: number;
}

export type FromWorker =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: { name: string; code?: string; message: string } }
  | { type: 'progress'; id: number; task: string; model: string; progress: LoadEvent }
  | { type: 'notice'; id: number; message: string }
  | { type: 'train-step'; id: number; step: TrainStep };
