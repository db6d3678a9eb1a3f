// The backends' errors: AlbertError subclasses (the root lives in @albert-ts/common).
import { AlbertError } from '@albert-ts/common';

export { AlbertError };

/** A backend could not be initialised or does not support what was asked of it. */
export class BackendError extends AlbertError {}

/**
 * A kernel was given inputs or attributes outside its contract (@albert-ts/common's CONTRACTS.md
 * for the fused kernels, tfjs's kernel for the others): the message names the kernel, the input
 * and what it expected.
 */
export class KernelError extends AlbertError {}
