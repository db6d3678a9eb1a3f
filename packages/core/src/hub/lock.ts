// A lock file so that two processes sharing a cache never write the same partial download.
// `<partial>.lock` is created exclusively and holds the owner's pid; a lock whose process is gone
// is stale and taken over. While a live owner makes progress (its partial file grows) we wait.

import { nodeFs } from '../safetensors/node.js';
import { HubError } from './errors.js';

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock for `partial`. Returns a release function. Waits while another live process holds
 * it; gives up with a HubError when that process shows no progress for `stallMs`.
 */
export async function lockDownload(partial: string, stallMs = 120_000): Promise<() => Promise<void>> {
  const { open, readFile, rm, stat } = await nodeFs();
  const lock = `${partial}.lock`;
  let progress = -1;
  let since = Date.now();
  for (;;) {
    try {
      const fh = await open(lock, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
    const lockAge = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? 0);
    if (!alive(owner) && (owner > 0 || lockAge > 5000)) {
      await rm(lock, { force: true }); // its process died: stale
      continue;
    }
    const size = (await stat(partial).catch(() => undefined))?.size ?? 0;
    if (size !== progress) {
      progress = size;
      since = Date.now();
    } else if (Date.now() - since > stallMs) {
      throw new HubError(
        'interrupted',
        `process ${owner} holds ${lock} but its download has not progressed for ${Math.round(stallMs / 1000)} s; ` +
          'delete the lock file if no download is running',
      );
    }
    await sleep(100);
  }
}
