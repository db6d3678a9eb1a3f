// Every error as the JSON a client gets: { error: message, code } with its HTTP status (and
// Retry-After for 503s). Hugging Face's Inference API answers errors as { error }; `code` is ours.
import { PipelineError } from 'albert-ts';
import { ServerError } from '../errors.js';

export interface ErrorResponse {
  status: number;
  body: { error: string; code: string };
  retryAfter?: number;
  /** A bug or a failure of ours (5xx other than back-pressure): log it with its stack. */
  unexpected: boolean;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

export function errorResponse(err: unknown, bodyLimit: number): ErrorResponse {
  if (err instanceof ServerError) {
    return {
      status: err.status,
      body: { error: err.message, code: err.code },
      ...(err.retryAfter !== undefined && { retryAfter: err.retryAfter }),
      unexpected: err.status >= 500 && err.status !== 503 && err.status !== 504,
    };
  }
  if (err instanceof PipelineError && (err.code === 'bad-input' || err.code === 'bad-option')) {
    return { status: 400, body: { error: err.message, code: 'bad-request' }, unexpected: false };
  }
  const e = (err ?? {}) as FastifyLikeError;
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: {
          error: `the request body is larger than this server's limit of ${bodyLimit} bytes; send fewer or shorter inputs per request (or start the server with a larger --body-limit)`,
          code: 'payload-too-large',
        },
        unexpected: false,
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        status: 400,
        body: {
          error: `the request body is not valid JSON (${e.message ?? 'parse error'}); send a JSON object such as {"inputs": "…"}`,
          code: 'bad-request',
        },
        unexpected: false,
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        body: { error: 'the request body is empty; send a JSON object such as {"inputs": "…"}', code: 'bad-request' },
        unexpected: false,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: {
          error: 'the request body must be JSON: send it with Content-Type: application/json',
          code: 'bad-request',
        },
        unexpected: false,
      };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return {
      status: e.statusCode,
      body: { error: e.message ?? 'bad request', code: 'bad-request' },
      unexpected: false,
    };
  }
  return {
    status: 500,
    body: {
      error: 'internal error: the server failed to answer this request (its log has the details)',
      code: 'internal',
    },
    unexpected: true,
  };
}
