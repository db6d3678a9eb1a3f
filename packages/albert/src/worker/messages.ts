// What a page and its pipeline worker say to each other (structured-clone data only).
import type { BackendReport } from '@albert-ts/backends';
import type { TruncationDetail } from '../pipelines/encode.js';
import type { LoadProgress } from '../pipelines/progress.js';

/** Page → worker. */
export type ToWorker =
  | { type: 'load'; task: string; model?: string; options: Record<string, unknown> }
  | { type: 'run'; id: number; input: unknown; options?: Record<string, unknown> };

/** Worker → page. */
export type FromWorker =
  | { type: 'progress'; progress: LoadProgress }
  // id: the run that warned (none while loading); detail: a truncation's inputs (encode.ts)
  | { type: 'warn'; message: string; id?: number; detail?: TruncationDetail }
  | { type: 'ready'; backend: BackendReport | null; backendName: string }
  | { type: 'result'; id: number; output: unknown }
  | { type: 'error'; id: number | null; name: string; code?: string; message: string };
