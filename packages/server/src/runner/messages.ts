// The messages between the server process and its model process (IPC, structured clone).
import type { LoadProgress } from 'albert-ts';

export interface ModelInit {
  task: string;
  model: string | undefined;
  /** pipeline() options (plain data only). */
  options: Record<string, unknown>;
}

export type ToModel =
  | { type: 'init'; init: ModelInit }
  | { type: 'run'; id: number; items: unknown[]; options: Record<string, unknown> }
  | { type: 'dispose' };

export interface ModelError {
  name: string;
  message: string;
  code?: string;
}

export type FromModel =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'warn'; message: string }
  | { type: 'ready'; hiddenSize: number; maxPositionEmbeddings: number; backend: string }
  | { type: 'result'; id: number; results: unknown[] }
  | { type: 'error'; id: number | null; error: ModelError };
