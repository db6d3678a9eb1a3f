// Downloading one file into `<partial>` (a name ending in ".incomplete"), resuming with an HTTP
// Range request when a previous attempt left bytes behind and the server answers 206, restarting
// from zero when it answers 200. The caller renames the finished file into place, so a partial
// download never looks complete.

import { nodeFs } from '../safetensors/node.js';
import { HubError } from './errors.js';
import { type FileContext, httpError, hubFetch } from './http.js';

export interface Progress {
  file: string;
  loaded: number;
  total?: number;
}

export interface DownloadRequest {
  fetch: typeof fetch;
  url: string;
  token: string | undefined;
  /** Path of the partial file; its ETag is kept in `<partial>.etag` for If-Range. */
  partial: string;
  context: FileContext;
  onProgress?: ((p: Progress) => void) | undefined;
  /** Extra attempts after an interrupted transfer (each resumes where the last stopped). Default 2. */
  retries?: number | undefined;
}

export interface DownloadResult {
  commit: string | undefined;
  etag: string | undefined;
  size: number;
}

async function fileSize(path: string): Promise<number> {
  const { stat } = await nodeFs();
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Parses "bytes start-end/total" (total may be "*"). */
function parseContentRange(value: string | null): { start: number; total: number | undefined } | undefined {
  const m = value === null ? null : /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value.trim());
  if (m === null) return undefined;
  return { start: Number(m[1]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

async function attempt(req: DownloadRequest, allowResume: boolean): Promise<DownloadResult> {
  const { open, readFile, writeFile, rm } = await nodeFs();
  const etagPath = `${req.partial}.etag`;
  let have = allowResume ? await fileSize(req.partial) : 0;
  const savedEtag = have > 0 ? await readFile(etagPath, 'utf8').catch(() => undefined) : undefined;
  const headers: Record<string, string> = {};
  if (have > 0) {
    headers.Range = `bytes=${have}-`;
    if (savedEtag !== undefined && !savedEtag.startsWith('W/')) headers['If-Range'] = savedEtag;
  }
  const { response, commit, etag } = await hubFetch({ fetch: req.fetch, url: req.url, token: req.token, headers });

  if (response.status === 416 && have > 0) {
    // Our partial file is not a prefix the server recognises (e.g. the file shrank): start over.
    await response.body?.cancel();
    await rm(req.partial, { force: true });
    return attempt(req, false);
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw httpError(response, req.context);
  }
  let total: number | undefined;
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (range === undefined || range.start !== have) {
      await response.body?.cancel();
      await rm(req.partial, { force: true });
      return attempt(req, false);
    }
    total = range.total;
  } else {
    have = 0; // full body: restart the partial file
    const length = response.headers.get('content-length');
    total = length === null ? undefined : Number(length);
  }
  if (etag !== undefined) await writeFile(etagPath, etag);

  const fh = await open(req.partial, have > 0 ? 'a' : 'w');
  let loaded = have;
  try {
    req.onProgress?.({ file: req.context.file, loaded, ...(total === undefined ? {} : { total }) });
    if (response.body !== null) {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        await fh.write(chunk);
        loaded += chunk.length;
        req.onProgress?.({ file: req.context.file, loaded, ...(total === undefined ? {} : { total }) });
      }
    }
  } catch (cause) {
    throw new HubError(
      'interrupted',
      `the download of ${req.context.file} from ${req.url} broke off after ${loaded} bytes` +
        `${total === undefined ? '' : ` of ${total}`} (${(cause as Error).message}); the partial file is kept and the next attempt resumes it`,
      { cause },
    );
  } finally {
    await fh.close();
  }
  if (total !== undefined && loaded !== total) {
    throw new HubError(
      'interrupted',
      `the download of ${req.context.file} from ${req.url} ended after ${loaded} of ${total} bytes; the next attempt resumes it`,
    );
  }
  return { commit, etag, size: loaded };
}

/** Downloads `req.url` into `req.partial`, retrying interrupted transfers with Range resume. */
export async function downloadToPartial(req: DownloadRequest): Promise<DownloadResult> {
  const retries = req.retries ?? 2;
  for (let i = 0; ; i++) {
    try {
      return await attempt(req, true);
    } catch (error) {
      if (!(error instanceof HubError) || (error.code !== 'interrupted' && error.code !== 'network') || i >= retries) {
        throw error;
      }
    }
  }
}
