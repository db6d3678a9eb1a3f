// The worker's models: which source serves each task for the chosen model spec, and the pipelines
// loaded on it (one per task, loaded on first use, freed when the model or the backend changes).
import { AlbertError, type ModelSource, pipeline, type TaskName } from 'albert-ts';
import { ModelLoadError } from '../../errors.js';
import { FIXTURE_FOR_TASK, fixtureNotice } from '../../models/fixture-names.js';
import type { LoadEvent, ModelSpec } from '../protocol.js';
import { filesSource } from './files-source.js';

type Catalog = Record<string, { url: string; fixture: boolean; name: string }>;
type AnyPipeline = ((input: unknown, options?: unknown) => Promise<unknown>) & { dispose(): void };

let catalog: Promise<Catalog> | null = null;

async function serverCatalog(): Promise<Catalog> {
  catalog ??= fetch(new URL('/api/models', self.location.origin)).then((r) => r.json() as Promise<Catalog>);
  return catalog;
}

export interface Resolved {
  source: string | ModelSource;
  /** How to name it to the user. */
  name: string;
  /** Set when a fixture stands in for the default model. */
  notice: string | null;
}

/** The source of `task`'s model under `spec` (a dropped folder reports its files to `onProgress` as read). */
export async function resolveModel(
  spec: ModelSpec,
  task: string,
  onProgress: (p: LoadEvent) => void,
): Promise<Resolved> {
  if (spec.kind === 'files')
    return { source: filesSource(spec.name, spec.files, onProgress), name: spec.name, notice: null };
  if (spec.kind === 'url') {
    // a hub id or an absolute URL; a path on this server ("/models/…") is made absolute
    const target = spec.url.startsWith('/') ? new URL(spec.url, self.location.origin).href : spec.url;
    return { source: target, name: spec.url, notice: null };
  }
  const entry = (await serverCatalog())[task];
  if (entry == null)
    throw new ModelLoadError(`the page's server has no model for ${task}; choose a model folder or URL`);
  return {
    source: new URL(entry.url, self.location.origin).href,
    name: entry.fixture ? `fixture ${entry.name}` : entry.name,
    notice: entry.fixture ? fixtureNotice(task, FIXTURE_FOR_TASK[task] ?? entry.name) : null,
  };
}

const pipelines = new Map<string, Promise<AnyPipeline>>();

/** `task`'s pipeline on `spec` (loaded once). */
export function pipelineFor(
  spec: ModelSpec,
  task: string,
  onProgress: (p: LoadEvent) => void,
  onNotice: (message: string) => void,
): Promise<AnyPipeline> {
  let pending = pipelines.get(task);
  if (pending == null) {
    pending = (async () => {
      const resolved = await resolveModel(spec, task, onProgress);
      if (resolved.notice != null) onNotice(resolved.notice);
      try {
        return (await pipeline(task as TaskName, resolved.source, {
          warn: () => {},
          onProgress,
        })) as unknown as AnyPipeline;
      } catch (err) {
        if (!(err instanceof AlbertError)) throw err;
        throw new ModelLoadError(`Could not load ${resolved.name} for ${task}: ${err.message}`, { cause: err });
      }
    })();
    pipelines.set(task, pending);
    pending.catch(() => pipelines.delete(task)); // a failed load is retried next time
  }
  return pending;
}

/** Frees every loaded pipeline (the model or the backend changed). */
export async function disposePipelines(): Promise<void> {
  const all = [...pipelines.values()];
  pipelines.clear();
  for (const p of all) (await p.catch(() => null))?.dispose();
}
