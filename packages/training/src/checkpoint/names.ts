// Checkpoint and file names every storage accepts: one path segment, no leading dot (storages keep
// their own bookkeeping under dot-names), nothing a file system or a zip reader would reinterpret.
import { TrainingCheckpointError } from '../errors.js';

const SAFE = /^[A-Za-z0-9_][A-Za-z0-9_.+=-]*$/;

export function checkName(kind: 'checkpoint' | 'file', name: string): void {
  if (!SAFE.test(name) || name.includes('..')) {
    throw new TrainingCheckpointError(
      `${JSON.stringify(name)} is not a valid ${kind} name: use letters, digits and _ . + = - (not first: . + = -), one path segment.`,
    );
  }
}

/** `checkpoint-<step>`, the name the Trainer gives the checkpoint written after `step` updates. */
export function checkpointName(step: number): string {
  return `checkpoint-${step}`;
}

/** The step of a Trainer checkpoint name, or null for another name. */
export function checkpointStep(name: string): number | null {
  const m = /^checkpoint-(\d+)$/.exec(name);
  return m == null ? null : Number(m[1]);
}
