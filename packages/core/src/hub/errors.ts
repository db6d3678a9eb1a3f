import { AlbertError } from '@albert-ts/common';

/**
 * What went wrong while opening or downloading a model:
 * - `invalid-name`: a model id, revision or file name failed validation (nothing was read or written);
 * - `unauthorized` (HTTP 401) / `forbidden` (HTTP 403): gated or private model, or a token without access;
 * - `not-found` (HTTP 404, or a missing local folder/file);
 * - `offline-missing`: offline mode and the file is not in the cache;
 * - `interrupted`: the download broke off (the partial file is kept and resumed next time);
 * - `corrupt`: a downloaded file does not match the SHA-256 the hub announced for it (it is deleted);
 * - `network`: the server could not be reached; `http`: any other HTTP error status.
 */
export type HubErrorCode =
  | 'invalid-name'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'offline-missing'
  | 'interrupted'
  | 'corrupt'
  | 'network'
  | 'http';

export class HubError extends AlbertError {
  readonly code: HubErrorCode;
  /** The HTTP status when the error came from a response. */
  readonly status: number | undefined;
  constructor(code: HubErrorCode, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options?.status;
  }
}
