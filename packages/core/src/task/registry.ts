// Task-model classes by Hugging Face architecture name ('AlbertForSequenceClassification'), so a
// loader can pick the class a config.json's `architectures` names. Each class registers itself
// where it is defined (a static block), so importing a head package fills the registry.
import { ModelInputError } from '../errors.js';
import type { TaskModelClass } from './albert-pretrained-model.js';

const classes = new Map<string, TaskModelClass>();

/** Registers `cls` under `cls.spec.architecture` (a later registration of the same name replaces it). */
export function registerTaskModel(cls: TaskModelClass): void {
  const name = cls?.spec?.architecture;
  if (typeof name !== 'string' || name.length === 0) {
    throw new ModelInputError('registerTaskModel needs a task-model class with a static spec naming its architecture.');
  }
  classes.set(name, cls);
}

/** The class registered for an HF architecture name, or undefined. */
export function taskModelClass(architecture: string): TaskModelClass | undefined {
  return classes.get(architecture);
}

/** Every registered architecture name, sorted. */
export function taskModelArchitectures(): string[] {
  return [...classes.keys()].sort();
}
