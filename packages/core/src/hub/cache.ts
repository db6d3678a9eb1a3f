// The cache layout, compatible with huggingface_hub's so both can share HF_HUB_CACHE:
//
//   <cache>/models--<org>--<name>/
//     refs/<revision>                 the commit hash a branch or tag resolved to (text)
//     snapshots/<commit>/<file>       the files of that commit
//     .no_exist/<commit>/<file>       empty: the hub answered 404 EntryNotFound for this file at this commit
//     .partial/<revision>/<file>.incomplete   downloads in progress (plus .etag), albert-ts only
//
// huggingface_hub stores file contents under blobs/ and symlinks them from snapshots/; it also
// writes plain files into snapshots/ where symlinks are unavailable, and reads either. albert-ts
// writes plain files. When the server sends no X-Repo-Commit header (a plain static server), the
// snapshot folder is named after the percent-encoded revision instead of a commit.

import { nodeFs, nodePath } from '../safetensors/node.js';
import { HubError } from './errors.js';
import { isCommitHash } from './names.js';

export interface RepoCache {
  root: string;
  repoDir: string;
}

/** Joins validated parts under `root` and checks the result is still inside `root`. */
export async function inside(root: string, ...parts: string[]): Promise<string> {
  const { resolve, relative, isAbsolute, sep } = await nodePath();
  const base = resolve(root);
  const full = resolve(base, ...parts);
  const rel = relative(base, full);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new HubError('invalid-name', `refusing to use ${full}: it is not inside ${base}`);
  }
  return full;
}

export async function repoCache(cacheDir: string, repoId: string): Promise<RepoCache> {
  const folder = `models--${repoId.split('/').join('--')}`;
  return { root: cacheDir, repoDir: await inside(cacheDir, folder) };
}

export function snapshotName(revision: string, commit: string | undefined): string {
  return commit ?? encodeURIComponent(revision);
}

export async function snapshotFile(cache: RepoCache, snapshot: string, file: string): Promise<string> {
  return inside(cache.repoDir, 'snapshots', snapshot, ...file.split('/'));
}

export async function partialFile(cache: RepoCache, revision: string, file: string): Promise<string> {
  return inside(cache.repoDir, '.partial', encodeURIComponent(revision), `${file.split('/').join('%2F')}.incomplete`);
}

/** The commit a revision points to in the cache, if known. */
export async function readRef(cache: RepoCache, revision: string): Promise<string | undefined> {
  if (isCommitHash(revision)) return revision;
  const { readFile } = await nodeFs();
  try {
    const text = (await readFile(await inside(cache.repoDir, 'refs', ...revision.split('/')), 'utf8')).trim();
    return isCommitHash(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `content` to `path` atomically (temporary file in the same folder, then rename). */
export async function writeAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const { writeFile, rename, mkdir } = await nodeFs();
  const { dirname } = await nodePath();
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

export async function writeRef(cache: RepoCache, revision: string, commit: string): Promise<void> {
  if (isCommitHash(revision)) return;
  await writeAtomic(await inside(cache.repoDir, 'refs', ...revision.split('/')), commit);
}

export async function isFile(path: string): Promise<boolean> {
  const { stat } = await nodeFs();
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The cached copy of `file` for `revision`, if there is one. */
export async function findCached(cache: RepoCache, revision: string, file: string): Promise<string | undefined> {
  const commit = await readRef(cache, revision);
  for (const snapshot of commit === undefined
    ? [snapshotName(revision, undefined)]
    : [commit, snapshotName(revision, undefined)]) {
    const path = await snapshotFile(cache, snapshot, file);
    if (await isFile(path)) return path;
  }
  return undefined;
}

/** Whether the cache knows that `file` does not exist at the commit `revision` points to. */
export async function knownMissing(cache: RepoCache, revision: string, file: string): Promise<boolean> {
  const commit = await readRef(cache, revision);
  if (commit === undefined) return false;
  return isFile(await inside(cache.repoDir, '.no_exist', commit, ...file.split('/')));
}

/** Records that `file` does not exist at `commit` (and that `revision` points there), as huggingface_hub does. */
export async function recordMissing(cache: RepoCache, revision: string, commit: string, file: string): Promise<void> {
  if (!isCommitHash(commit)) return;
  await writeAtomic(await inside(cache.repoDir, '.no_exist', commit, ...file.split('/')), '');
  await writeRef(cache, revision, commit);
}
