// The server's one error class: an AlbertError with the HTTP status it answers with and a code a
// client can switch on. The message says what was wrong and what to do.
import { AlbertError } from 'albert-ts';

/**
 * - `bad-request` (400): the body does not fit the task's schema, or the pipeline refused an input
 * - `payload-too-large` (413): the body is larger than `bodyLimit`, or has more inputs than `maxInputs`
 * - `queue-full` (503): the batching queue holds `maxQueue` requests; retry after `Retry-After` seconds
 * - `not-ready` (503): the model is still loading or warming up
 * - `shutting-down` (503): the server is draining after SIGTERM/SIGINT
 * - `timeout` (504): the request was not answered within `requestTimeoutMs`
 * - `client-closed` (499, never sent): the client went away; its queued work was dropped
 * - `bad-option` (no status): a server option is out of range (thrown by createServer)
 * - `internal` (500): anything else; the log has the stack
 */
export type ServerErrorCode =
  | 'bad-request'
  | 'payload-too-large'
  | 'queue-full'
  | 'not-ready'
  | 'shutting-down'
  | 'timeout'
  | 'client-closed'
  | 'bad-option'
  | 'internal';

const STATUS: Record<ServerErrorCode, number> = {
  'bad-request': 400,
  'payload-too-large': 413,
  'queue-full': 503,
  'not-ready': 503,
  'shutting-down': 503,
  timeout: 504,
  'client-closed': 499,
  'bad-option': 500,
  internal: 500,
};

export class ServerError extends AlbertError {
  readonly code: ServerErrorCode;
  readonly status: number;
  /** Seconds a client should wait before retrying (503s). */
  readonly retryAfter: number | undefined;
  constructor(code: ServerErrorCode, message: string, options: { cause?: unknown; retryAfter?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = STATUS[code];
    this.retryAfter = options.retryAfter;
  }
}
