import { AlbertError } from '@albert-ts/common';

/**
 * A safetensors file (or a set of tensors to write) broke one of the format's rules.
 * `check` names the rule that failed and `tensor` the tensor it failed on, when there is one.
 */
export class SafetensorsError extends AlbertError {
  readonly check: string;
  readonly tensor: string | undefined;
  constructor(check: string, message: string, options?: { tensor?: string; cause?: unknown }) {
    const where = options?.tensor === undefined ? '' : ` (tensor ${JSON.stringify(options.tensor)})`;
    super(
      `safetensors ${check}${where}: ${message}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.check = check;
    this.tensor = options?.tensor;
  }
}
