// fetch with redirects followed by hand, so that the hub's own headers (X-Repo-Commit, ETag) are
// seen before a redirect to a CDN, and the Authorization header is never sent to another origin.

import { HubError } from './errors.js';
import { isNode } from './settings.js';

export interface HubRequest {
  fetch: typeof fetch;
  url: string;
  method?: 'GET' | 'HEAD';
  /** Sent only to the origin of `url`. */
  token?: string | undefined;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface HubResponse {
  response: Response;
  /** The final URL after redirects. */
  url: string;
  /** X-Repo-Commit from the first response that carried one (the hub sends it before redirecting). */
  commit: string | undefined;
  /** X-Linked-Etag or ETag from the hub, falling back to the final response's ETag. */
  etag: string | undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function hubFetch(request: HubRequest): Promise<HubResponse> {
  const origin = new URL(request.url).origin;
  let url = request.url;
  let commit: string | undefined;
  let etag: string | undefined;
  for (let hop = 0; hop < 10; hop++) {
    // Browsers hide redirect responses (redirect: 'manual' gives an opaque response) and manage
    // Accept-Encoding themselves; there they follow redirects, and drop Authorization on a
    // cross-origin redirect as the Fetch standard requires.
    const browser = !isNode();
    const headers: Record<string, string> = {
      ...(browser ? {} : { 'Accept-Encoding': 'identity' }),
      ...request.headers,
    };
    if (request.token !== undefined && new URL(url).origin === origin)
      headers.Authorization = `Bearer ${request.token}`;
    let response: Response;
    try {
      const doFetch = request.fetch; // called unbound: browsers reject fetch with another `this`
      response = await doFetch(url, {
        method: request.method ?? 'GET',
        headers,
        redirect: browser ? 'follow' : 'manual',
        signal: request.signal,
      });
    } catch (cause) {
      throw new HubError(
        'network',
        `could not reach ${new URL(url).origin} (${(cause as Error).message}); check the connection or set ` +
          'HF_HUB_OFFLINE=1 to use only cached files',
        { cause },
      );
    }
    const headerCommit = response.headers.get('x-repo-commit') ?? undefined;
    if (commit === undefined && headerCommit !== undefined && /^[0-9a-f]{40}$/.test(headerCommit))
      commit = headerCommit;
    etag ??= response.headers.get('x-linked-etag') ?? undefined;
    const location = response.headers.get('location');
    if (REDIRECTS.has(response.status) && location !== null) {
      await response.body?.cancel();
      url = new URL(location, url).toString();
      continue;
    }
    etag ??= response.headers.get('etag') ?? undefined;
    return { response, url, commit, etag };
  }
  throw new HubError('http', `too many redirects starting from ${request.url}`);
}

export interface FileContext {
  /** What to call the model in messages: the hub id or the base URL. */
  model: string;
  revision?: string | undefined;
  file: string;
  url: string;
  tokenSent: boolean;
  hub: boolean;
}

/** The HubError for a failed response, using the hub's X-Error-Code when present. */
export function httpError(response: Response, ctx: FileContext): HubError {
  const status = response.status;
  const code = response.headers.get('x-error-code') ?? '';
  const at = ctx.revision === undefined ? '' : ` at revision ${JSON.stringify(ctx.revision)}`;
  const tokenHint = ctx.tokenSent
    ? 'the HF_TOKEN that was sent does not grant access to it'
    : 'no token was sent: set HF_TOKEN to a Hugging Face access token (https://huggingface.co/settings/tokens)';
  if (status === 401 || status === 403) {
    const what =
      code === 'GatedRepo'
        ? `model ${ctx.model} is gated: accept its conditions on its page (${ctx.hub ? 'huggingface.co/' : ''}${ctx.model}) and use a token of that account`
        : code === 'RepoNotFound'
          ? `model ${ctx.model} does not exist, or it is private or gated`
          : `model ${ctx.model} is private or gated (or does not exist)`;
    return new HubError(
      status === 401 ? 'unauthorized' : 'forbidden',
      `HTTP ${status} for ${ctx.file}: ${what}; ${tokenHint} (${ctx.url})`,
      { status },
    );
  }
  if (status === 404) {
    const what =
      code === 'EntryNotFound'
        ? `file ${ctx.file} does not exist in model ${ctx.model}${at}`
        : code === 'RevisionNotFound'
          ? `revision ${JSON.stringify(ctx.revision)} does not exist in model ${ctx.model}`
          : code === 'RepoNotFound'
            ? `model ${ctx.model} does not exist (check the id)`
            : `model ${ctx.model} or its file ${ctx.file}${at} does not exist`;
    return new HubError('not-found', `HTTP 404: ${what} (${ctx.url})`, { status });
  }
  return new HubError('http', `HTTP ${status} ${response.statusText} while fetching ${ctx.file} from ${ctx.url}`, {
    status,
  });
}
