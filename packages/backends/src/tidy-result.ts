// tf.tidy's walk of what its callback returns, without the cost of typed arrays.
//
// When a tf.tidy scope ends, tfjs-core (4.x, engine.ts endScope → tensor_util.ts
// getTensorsInContainer) looks for tensors in the callback's result so it can keep them: it
// walks every object with `for…in` and puts every value it meets in a Set. For the way users
// run inference, `tf.tidy(() => model.forward(x).lastHiddenState.dataSync())`, the result is a
// Float32Array: the walk enumerates its 98 304 indices (batch 1 × 128 × 768) as string keys and
// hashes every distinct float — measured 115 ms of CPU at batch 1 and ~1.2 s at batch 8 on an
// AMD EPYC (more than the q8 forward itself). A typed array cannot hold a tensor, and neither can
// a number, so nothing the walk is for is lost by skipping them.
//
// installFastTidyResults() wraps the engine's endScope: it finds the result's tensors with the
// same rules (Tensor → kept; arrays and objects → walked, each object once) but steps over
// ArrayBuffer views and primitives, and hands tfjs the flat list of tensors it found — which
// tfjs then walks in microseconds. The tensors kept, disposed and moved to the parent scope are
// exactly those of the unpatched walk.
import * as tf from '@tensorflow/tfjs-core';

type EndScope = (result?: unknown) => void;
const INSTALLED = Symbol.for('albert-ts.fastTidyResults');

/** The tensors in `container` (a tensor, or arrays / objects holding tensors), in walk order. */
export function tensorsInResult(container: unknown): tf.Tensor[] {
  const list: tf.Tensor[] = [];
  walk(container, list, new Set());
  return list;
}

// tfjs-core's walkTensorContainer, step for step, except that typed arrays are not entered and
// primitives are neither entered nor remembered (neither can hold a tensor). A module-level
// function: endScope runs at the end of every tidy scope, so nothing is allocated per call
// beyond the list and the set.
function walk(value: unknown, list: tf.Tensor[], seen: Set<unknown>): void {
  if (value == null) return;
  if (value instanceof tf.Tensor) {
    list.push(value);
    return;
  }
  if (typeof value !== 'object' || ArrayBuffer.isView(value)) return;
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (v == null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    walk(v, list, seen);
  }
}

/**
 * Makes tf.tidy's end-of-scope walk skip typed arrays and numbers (see the top of this file).
 * Idempotent; applies to the tfjs-core engine this package imports (the user's one copy).
 */
export function installFastTidyResults(): void {
  const engine = tf.engine() as unknown as { endScope: EndScope; [INSTALLED]?: true };
  if (engine[INSTALLED]) return;
  const original = engine.endScope;
  engine.endScope = function endScope(this: unknown, result?: unknown) {
    // A tensor or nothing: tfjs's own walk is already O(1).
    if (result == null || result instanceof tf.Tensor) return original.call(this, result);
    return original.call(this, tensorsInResult(result));
  };
  engine[INSTALLED] = true;
}
