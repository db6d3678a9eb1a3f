// Downloading one file into `<partial>` (a name ending in ".incomplete"), resuming with an HTTP
// Range request when a previous attempt left bytes behind and the server answers 206, restarting
// from zero when it answers 200. The caller renames the finished file into place, so a partial
// download never looks complete.

import { nodeCrypto, nodeFs } from '../safetensors/node.js';
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
      if (have > 0) return attempt(req, false); // not the range we asked for: start over without Range
      throw new HubError('http', `${req.url} answered 206 with an unusable Content-Range to a plain GET`, {
        status: 206,
      });
    }
    total = range.total;
  } else {
    have = 0; // full body: restart the partial file
    const length = response.headers.get('content-length');
    total = length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
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
  const expected = sha256OfEtag(etag);
  if (expected !== undefined && (await sha256File(req.partial)) !== expected) {
    await rm(req.partial, { force: true });
    await rm(etagPath, { force: true });
    if (have > 0) return attempt(req, false); // the resumed prefix was bad: fetch the whole file once
    throw new HubError(
      'corrupt',
      `${req.context.file} from ${req.url} does not match its SHA-256 ${expected} announced by the server; it was deleted, try again`,
    );
  }
  return { commit, etag, size: loaded };
}

/** The hub's ETag for LFS files is the SHA-256 of the content (64 hex digits, quoted). */
function sha256OfEtag(etag: string | undefined): string | undefined {
  const m = etag === undefined ? null : /^"?([0-9a-f]{64})"?$/.exec(etag);
  return m === null ? undefined : m[1];
}

async function sha256File(path: string): Promise<string> {
  const { createHash } = await nodeCrypto();
  const { open } = await nodeFs();
  const hash = createHash('sha256');
  const fh = await open(path, 'r');
  try {
    const buffer = new Uint8Array(1 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
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
