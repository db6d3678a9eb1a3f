// Validation of everything that becomes part of a URL or a cache path, so that no model id,
// revision or file name can point outside the cache (or the model folder).

import { HubError } from './errors.js';

// huggingface_hub's rule (validate_repo_id): optional "namespace/", word characters, "-" and ".",
// at most 96 per part, starting and ending with a letter, digit or "_", no "--" or "..".
const REPO_PART = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$/;
const REVISION_PART = /^[A-Za-z0-9_.-]+$/;
const FILE_PART = /^[A-Za-z0-9_.+=@,-]+$/;

/** Checks a hub model id like "albert/albert-base-v2" or "albert-base-v2". */
export function validateRepoId(id: string): string {
  const parts = id.split('/');
  if (
    typeof id !== 'string' ||
    parts.length > 2 ||
    !parts.every((p) => REPO_PART.test(p)) ||
    id.includes('--') ||
    id.includes('..') ||
    id.endsWith('.git')
  ) {
    throw new HubError(
      'invalid-name',
      `${JSON.stringify(id)} is not a valid model id: use "name" or "org/name" with letters, digits, "_", "-" and "." ` +
        '(at most 96 per part, no "--" or ".."), or pass a local folder path or an http(s) URL',
    );
  }
  return id;
}

/** Checks a revision: a branch or tag name (may contain "/", e.g. "refs/pr/1") or a commit hash. */
export function validateRevision(revision: string): string {
  const parts = typeof revision === 'string' ? revision.split('/') : [];
  if (
    parts.length === 0 ||
    revision.length > 255 ||
    !parts.every((p) => REVISION_PART.test(p) && p !== '.' && p !== '..') ||
    revision.includes('..')
  ) {
    throw new HubError(
      'invalid-name',
      `${JSON.stringify(revision)} is not a valid revision: use a branch, tag or commit hash made of letters, digits, ` +
        '"_", "-", "." and "/" (no "..", no leading or doubled "/")',
    );
  }
  return revision;
}

/**
 * Checks a file name inside a model: relative, "/"-separated parts of letters, digits and "_.+=@,-",
 * no "." or ".." parts, no backslashes, no absolute paths, and not ending in ".incomplete" (reserved
 * for partial downloads).
 */
export function validateFileName(name: string): string {
  const parts = typeof name === 'string' ? name.split('/') : [];
  if (
    parts.length === 0 ||
    name.length > 1024 ||
    !parts.every((p) => p.length <= 255 && FILE_PART.test(p) && p !== '.' && p !== '..') ||
    name.endsWith('.incomplete')
  ) {
    throw new HubError(
      'invalid-name',
      `${JSON.stringify(name)} is not an allowed file name: use a relative path of letters, digits and "_.+=@,-" ` +
        '(parts separated by "/", no "..", no absolute paths or backslashes)',
    );
  }
  return name;
}

/** True for a full 40-hex-digit git commit hash. */
export function isCommitHash(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

/** A file name as a URL path (each part percent-encoded). */
export function encodePath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}
