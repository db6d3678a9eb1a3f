// Which model a command runs on: the one given (--model: a folder, URL or hub id); else the
// embedded default model (albert-ts's own lookup: @albert-ts/default-model, models/default/<task>/);
// else, until that exists, the app's fixture model for the task, with a notice.
import { fileURLToPath } from 'node:url';
import { defaultModelFor, type ModelSource, PipelineError } from 'albert-ts';
import { FIXTURE_FOR_TASK, fixtureNotice } from './fixture-names.js';

export interface ModelChoice {
  model: string | ModelSource;
  /** How to name it in messages. */
  name: string;
  /** Set when a fixture stands in for the missing default model. */
  notice: string | null;
}

/** The app's fixture folder `name` (src/ and dist/ are both two levels below the app root). */
export function fixtureFolder(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
}

/** The model for `task` (`what` names the command in the notice; default: the task). */
export async function chooseModel(task: string, given: string | undefined, what = task): Promise<ModelChoice> {
  if (given != null) return { model: given, name: given, notice: null };
  try {
    const model = await defaultModelFor(task);
    return { model, name: typeof model === 'string' ? model : model.description, notice: null };
  } catch (err) {
    if (!(err instanceof PipelineError) || err.code !== 'no-default-model') throw err;
    const fixture = FIXTURE_FOR_TASK[task] ?? 'tiny-pretraining';
    return { model: fixtureFolder(fixture), name: `fixture ${fixture}`, notice: fixtureNotice(what, fixture) };
  }
}
