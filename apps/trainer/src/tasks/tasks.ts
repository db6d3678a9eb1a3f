// The task of a --task name.
import type { GlueTask } from '@albert-ts/heads';
import { UsageError } from '../errors.js';
import { glueTask } from './glue-task.js';
import { mcTask } from './mc-task.js';
import { nerTask } from './ner-task.js';
import { squadTask } from './squad-task.js';
import { type FinetuneTask, TASK_NAMES, type TaskName } from './task.js';

const GLUE = ['sst2', 'mrpc', 'rte', 'cola', 'stsb', 'mnli', 'qnli', 'qqp'] as const;

// biome-ignore lint/suspicious/noExplicitAny: each task has its own feature and batch types.
export function taskFor(name: string): FinetuneTask<any, any> {
  if (!(TASK_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`unknown --task '${name}'; use one of ${TASK_NAMES.join(', ')}.`);
  }
  if ((GLUE as readonly string[]).includes(name)) return glueTask(name as GlueTask & TaskName);
  if (name === 'ner') return nerTask();
  if (name === 'squad' || name === 'squad2') return squadTask(name);
  return mcTask();
}
