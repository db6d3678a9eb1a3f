// A model source: where config.json, model.safetensors and spiece.model come from.
// A local folder, a base URL, or a hub id ("org/name" or "name") downloaded into the cache.

import { readSafetensorsFile } from '../safetensors/file.js';
import { nodeFs, nodePath, nodeUrl } from '../safetensors/node.js';
import { parseSafetensors } from '../safetensors/parse.js';
import type { SafetensorsFile } from '../safetensors/types.js';
import {
  findCached,
  inside,
  isFile,
  knownMissing,
  partialFile,
  type RepoCache,
  recordMissing,
  repoCache,
  snapshotFile,
  snapshotName,
  writeRef,
} from './cache.js';
import { downloadToPartial, type Progress } from './download.js';
import { HubError } from './errors.js';
import { type FileContext, httpError, hubFetch } from './http.js';
import { lockDownload } from './lock.js';
import { encodePath, validateFileName, validateRepoId, validateRevision } from './names.js';
import { isNode, resolveHubSettings } from './settings.js';

export interface ModelSource {
  /** Human-readable: "folder /x", "url https://…/", "hub org/name@main (cache …)". */
  readonly description: string;
  readFile(name: string): Promise<Uint8Array>;
  readText(name: string): Promise<string>;
  /** Whether the file exists (a HEAD request for remote sources; the cache only when offline). */
  has(name: string): Promise<boolean>;
  /** Reads a safetensors file the cheapest way for this source (file handle on disk, fetch otherwise). */
  readSafetensors(name: string): Promise<SafetensorsFile>;
  /** A path on disk holding the file (downloading it first for the hub); undefined for URL sources. */
  localPath(name: string): Promise<string | undefined>;
}

export interface OpenModelSourceOptions {
  /** Branch, tag or commit for hub ids. Default "main". */
  revision?: string;
  /** Cache folder for hub downloads. Default: HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub. */
  cacheDir?: string;
  /** Use only the cache (also HF_HUB_OFFLINE=1). */
  offline?: boolean;
  /** Hub endpoint. Default: HF_ENDPOINT or https://huggingface.co. */
  endpoint?: string;
  /** Access token for gated/private models. Default: HF_TOKEN. Sent only to the hub endpoint. */
  token?: string;
  fetch?: typeof fetch;
  onProgress?: (p: Progress) => void;
  /** Extra attempts after an interrupted download, each resuming the partial file. Default 2. */
  retries?: number;
  /** Environment variables to read instead of process.env. */
  env?: Record<string, string | undefined>;
}

const text = new TextDecoder();

function toBytes(buffer: Buffer | ArrayBuffer): Uint8Array {
  return buffer instanceof ArrayBuffer
    ? new Uint8Array(buffer)
    : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

class FolderSource implements ModelSource {
  readonly description: string;
  constructor(private readonly root: string) {
    this.description = `folder ${root}`;
  }
  async localPath(name: string): Promise<string> {
    return inside(this.root, ...validateFileName(name).split('/'));
  }
  async has(name: string): Promise<boolean> {
    return isFile(await this.localPath(name));
  }
  async readFile(name: string): Promise<Uint8Array> {
    const path = await this.localPath(name);
    const { readFile } = await nodeFs();
    try {
      return toBytes(await readFile(path));
    } catch (cause) {
      throw new HubError('not-found', `${name} is missing from the model folder ${this.root} (${path})`, { cause });
    }
  }
  async readText(name: string): Promise<string> {
    return text.decode(await this.readFile(name));
  }
  async readSafetensors(name: string): Promise<SafetensorsFile> {
    const path = await this.localPath(name);
    if (!(await isFile(path))) throw new HubError('not-found', `${name} is missing from the model folder ${this.root}`);
    return readSafetensorsFile(path);
  }
}

/** Files fetched from `<base>/<file>` with no cache (a static server, or the hub from a browser). */
class UrlSource implements ModelSource {
  readonly description: string;
  constructor(
    private readonly base: string,
    private readonly fetcher: typeof fetch,
    private readonly token: string | undefined,
    private readonly model: string,
    private readonly revision: string | undefined,
    private readonly hub: boolean,
    description: string,
  ) {
    this.description = description;
  }
  private context(name: string, url: string): FileContext {
    return {
      model: this.model,
      revision: this.revision,
      file: name,
      url,
      tokenSent: this.token !== undefined,
      hub: this.hub,
    };
  }
  private url(name: string): string {
    return new URL(encodePath(validateFileName(name)), this.base).toString();
  }
  async localPath(): Promise<undefined> {
    return undefined;
  }
  async has(name: string): Promise<boolean> {
    const url = this.url(name);
    const { response } = await hubFetch({ fetch: this.fetcher, url, method: 'HEAD', token: this.token });
    await response.body?.cancel();
    if (response.ok) return true;
    if (response.status === 404) return false;
    throw httpError(response, this.context(name, url));
  }
  async readFile(name: string): Promise<Uint8Array> {
    const url = this.url(name);
    const { response } = await hubFetch({ fetch: this.fetcher, url, token: this.token });
    if (!response.ok) {
      await response.body?.cancel();
      throw httpError(response, this.context(name, url));
    }
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (cause) {
      throw new HubError('interrupted', `the download of ${name} from ${url} broke off (${(cause as Error).message})`, {
        cause,
      });
    }
  }
  async readText(name: string): Promise<string> {
    return text.decode(await this.readFile(name));
  }
  async readSafetensors(name: string): Promise<SafetensorsFile> {
    // The response body is the only copy: aligned F32 tensors are views into it.
    return parseSafetensors(await this.readFile(name));
  }
}

/** A hub model cached on disk (Node). */
class HubSource implements ModelSource {
  readonly description: string;
  private readonly inflight = new Map<string, Promise<string>>();
  constructor(
    private readonly id: string,
    private readonly revision: string,
    private readonly cache: RepoCache,
    private readonly endpoint: string,
    private readonly offline: boolean,
    private readonly token: string | undefined,
    private readonly fetcher: typeof fetch,
    private readonly onProgress: ((p: Progress) => void) | undefined,
    private readonly retries: number | undefined,
  ) {
    this.description = `hub ${id}@${revision} (${offline ? 'offline, ' : ''}cache ${cache.repoDir})`;
  }

  private url(name: string): string {
    return `${this.endpoint}/${this.id}/resolve/${encodeURIComponent(this.revision)}/${encodePath(name)}`;
  }

  private context(name: string): FileContext {
    return {
      model: this.id,
      revision: this.revision,
      file: name,
      url: this.url(name),
      tokenSent: this.token !== undefined,
      hub: true,
    };
  }

  private offlineMissing(name: string): HubError {
    return new HubError(
      'offline-missing',
      `offline mode (HF_HUB_OFFLINE or the offline option): ${name} of model ${this.id} at revision ` +
        `${JSON.stringify(this.revision)} is not in the cache ${this.cache.repoDir}; download it once online ` +
        '(or copy it into snapshots/<revision>/ there)',
    );
  }

  /** The cached path of `name`, downloading it first when it is not cached. */
  async localPath(name: string): Promise<string> {
    validateFileName(name);
    const cached = await findCached(this.cache, this.revision, name);
    if (cached !== undefined) return cached;
    if (this.offline && (await knownMissing(this.cache, this.revision, name))) {
      throw new HubError(
        'not-found',
        `${name} does not exist in model ${this.id} at revision ${JSON.stringify(this.revision)} (the hub said so ` +
          `when it was last asked; offline mode, cache ${this.cache.repoDir})`,
        { status: 404 },
      );
    }
    if (this.offline) throw this.offlineMissing(name);
    let pending = this.inflight.get(name);
    if (pending === undefined) {
      pending = this.download(name).finally(() => this.inflight.delete(name));
      this.inflight.set(name, pending);
    }
    return pending;
  }

  private async download(name: string): Promise<string> {
    const { mkdir } = await nodeFs();
    const { dirname } = await nodePath();
    const partial = await partialFile(this.cache, this.revision, name);
    await mkdir(dirname(partial), { recursive: true });
    const release = await lockDownload(partial);
    try {
      // another process may have finished this file while we waited for the lock
      const cached = await findCached(this.cache, this.revision, name);
      if (cached !== undefined) return cached;
      return await this.downloadLocked(name, partial);
    } finally {
      await release();
    }
  }

  private async downloadLocked(name: string, partial: string): Promise<string> {
    const { rename, rm, mkdir } = await nodeFs();
    const { dirname } = await nodePath();
    const result = await downloadToPartial({
      fetch: this.fetcher,
      url: this.url(name),
      token: this.token,
      partial,
      context: this.context(name),
      onProgress: this.onProgress,
      retries: this.retries,
    });
    const target = await snapshotFile(this.cache, snapshotName(this.revision, result.commit), name);
    await mkdir(dirname(target), { recursive: true });
    await rename(partial, target);
    await rm(`${partial}.etag`, { force: true });
    if (result.commit !== undefined) await writeRef(this.cache, this.revision, result.commit);
    return target;
  }

  async has(name: string): Promise<boolean> {
    validateFileName(name);
    if ((await findCached(this.cache, this.revision, name)) !== undefined) return true;
    if (await knownMissing(this.cache, this.revision, name)) return false;
    if (this.offline) return false;
    const url = this.url(name);
    const { response } = await hubFetch({ fetch: this.fetcher, url, method: 'HEAD', token: this.token });
    await response.body?.cancel();
    if (response.ok) return true;
    if (response.status === 404) {
      // a missing file of an existing repo (not a missing repo or revision): remember it for this commit
      const commit = response.headers.get('x-repo-commit');
      if (response.headers.get('x-error-code') === 'EntryNotFound' && commit != null) {
        await recordMissing(this.cache, this.revision, commit, name);
      }
      return false;
    }
    throw httpError(response, this.context(name));
  }

  async readFile(name: string): Promise<Uint8Array> {
    const { readFile } = await nodeFs();
    return toBytes(await readFile(await this.localPath(name)));
  }

  async readText(name: string): Promise<string> {
    return text.decode(await this.readFile(name));
  }

  async readSafetensors(name: string): Promise<SafetensorsFile> {
    return readSafetensorsFile(await this.localPath(name));
  }
}

function looksLikePath(source: string): boolean {
  return /^(\.{1,2}([/\\]|$)|[/\\~]|[A-Za-z]:[/\\])/.test(source) || source.includes('\\');
}

/**
 * Opens a model source:
 * - an http(s) URL: files are fetched from `<url>/<file>` (no cache);
 * - a local folder (an existing directory, or anything that looks like a path);
 * - otherwise a hub id ("org/name" or "name") at `revision` (default "main"): files are downloaded
 *   from `<endpoint>/<id>/resolve/<revision>/<file>` into the cache once and read from there after.
 */
export async function openModelSource(source: string, options: OpenModelSourceOptions = {}): Promise<ModelSource> {
  if (typeof source !== 'string' || source.length === 0) {
    throw new HubError('invalid-name', 'openModelSource needs a folder path, an http(s) URL or a hub model id');
  }
  const settings = await resolveHubSettings(options);
  const fetcher = options.fetch ?? globalThis.fetch;

  if (/^https?:\/\//i.test(source)) {
    if (settings.offline) {
      throw new HubError(
        'offline-missing',
        `offline mode (HF_HUB_OFFLINE or the offline option) cannot read from ${source}`,
      );
    }
    const base = source.endsWith('/') ? source : `${source}/`;
    return new UrlSource(base, fetcher, options.token, source, undefined, false, `url ${base}`);
  }

  if (isNode()) {
    const { stat } = await nodeFs();
    const { resolve } = await nodePath();
    const { fileURLToPath } = await nodeUrl();
    const path = source.startsWith('file://') ? fileURLToPath(source) : source;
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) return new FolderSource(resolve(path));
    if (info !== undefined) {
      throw new HubError(
        'not-found',
        `${source} is a file; pass the folder that holds config.json and model.safetensors`,
      );
    }
    if (looksLikePath(source) || source.startsWith('file://')) {
      throw new HubError('not-found', `the model folder ${resolve(path)} does not exist`);
    }
  }

  const id = validateRepoId(source);
  const revision = validateRevision(options.revision ?? 'main');
  if (settings.cacheDir === null) {
    const base = `${settings.endpoint}/${id}/resolve/${encodeURIComponent(revision)}/`;
    return new UrlSource(base, fetcher, settings.token, id, revision, true, `hub ${id}@${revision} (no cache)`);
  }
  const cache = await repoCache(settings.cacheDir, id);
  return new HubSource(
    id,
    revision,
    cache,
    settings.endpoint,
    settings.offline,
    settings.token,
    fetcher,
    options.onProgress,
    options.retries,
  );
}
