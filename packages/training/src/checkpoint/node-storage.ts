// Checkpoints as folders on a Node file system: <root>/<name>/<file>. A checkpoint is written into
// <root>/.tmp-<name>-<pid>-<time>/, each file and the folder fsync'ed, then renamed to <root>/<name>
// (rename is atomic on POSIX file systems) and the root fsync'ed. Removal renames to .del-… first.
// Leftovers of a killed process (.tmp-…, .del-…) are deleted before the next write; `list` never
// shows them. One trainer per root folder at a time.
import { TrainingCheckpointError } from '../errors.js';
import { nodeFs, nodePath } from '../node-builtins.js';
import { checkName } from './names.js';
import type { CheckpointStorage, StorageProgress } from './storage.js';

export interface NodeCheckpointStorageOptions {
  /** Called after each file is stored and once the checkpoint is complete (file null). */
  onProgress?: (progress: StorageProgress) => void;
}

export class NodeCheckpointStorage implements CheckpointStorage {
  constructor(
    /** The folder that holds one sub-folder per checkpoint (created on the first write). */
    readonly root: string,
    private readonly options: NodeCheckpointStorageOptions = {},
  ) {}

  get description(): string {
    return `folder ${this.root}`;
  }

  /** The folder of a checkpoint: a Hugging Face model folder (config.json, model.safetensors, …). */
  async path(name: string): Promise<string> {
    checkName('checkpoint', name);
    return (await nodePath()).join(this.root, name);
  }

  async list(): Promise<string[]> {
    const fs = await nodeFs();
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(this.root, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  }

  async files(name: string): Promise<string[]> {
    const fs = await nodeFs();
    try {
      return (await fs.readdir(await this.path(name), { withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => e.name);
    } catch (err) {
      throw this.missing(name, err);
    }
  }

  async read(name: string, file: string): Promise<Uint8Array> {
    checkName('file', file);
    const fs = await nodeFs();
    const { join } = await nodePath();
    try {
      return new Uint8Array(await fs.readFile(join(await this.path(name), file)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const present = await this.list();
      if (!present.includes(name)) throw this.missing(name, err);
      throw new TrainingCheckpointError(`Checkpoint ${name} in ${this.description} has no file ${file}.`, {
        cause: err,
      });
    }
  }

  async write(name: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
    checkName('checkpoint', name);
    for (const file of files.keys()) checkName('file', file);
    const fs = await nodeFs();
    const { join } = await nodePath();
    await fs.mkdir(this.root, { recursive: true });
    await this.collectGarbage();
    const final = join(this.root, name);
    if (await exists(final)) {
      throw new TrainingCheckpointError(`${this.description} already has a checkpoint ${name}; remove it first.`);
    }
    const tmp = join(this.root, `.tmp-${name}-${process.pid}-${Date.now()}`);
    await fs.mkdir(tmp);
    let done = 0;
    for (const [file, bytes] of files) {
      const fh = await fs.open(join(tmp, file), 'wx');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      this.options.onProgress?.({ checkpoint: name, file, done: ++done, total: files.size });
    }
    await syncFolder(tmp);
    await fs.rename(tmp, final);
    await syncFolder(this.root);
    this.options.onProgress?.({ checkpoint: name, file: null, done, total: files.size });
  }

  async remove(name: string): Promise<void> {
    const fs = await nodeFs();
    const { join } = await nodePath();
    const doomed = join(this.root, `.del-${name}-${process.pid}-${Date.now()}`);
    try {
      await fs.rename(await this.path(name), doomed);
    } catch (err) {
      throw this.missing(name, err);
    }
    await syncFolder(this.root);
    await fs.rm(doomed, { recursive: true, force: true });
  }

  /** Deletes what a killed writer left behind (.tmp-… and .del-… folders). */
  private async collectGarbage(): Promise<void> {
    const fs = await nodeFs();
    const { join } = await nodePath();
    for (const entry of await fs.readdir(this.root)) {
      if (entry.startsWith('.tmp-') || entry.startsWith('.del-')) {
        await fs.rm(join(this.root, entry), { recursive: true, force: true });
      }
    }
  }

  private missing(name: string, cause: unknown): Error {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') return cause as Error;
    return new TrainingCheckpointError(`${this.description} has no checkpoint ${name}.`, { cause });
  }
}

async function exists(path: string): Promise<boolean> {
  const fs = await nodeFs();
  try {
    await fs.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** fsync a folder so a rename or a new file in it survives a power cut (not possible on Windows). */
async function syncFolder(path: string): Promise<void> {
  const fs = await nodeFs();
  let fh: import('node:fs/promises').FileHandle | undefined;
  try {
    fh = await fs.open(path, 'r');
    await fh.sync();
  } catch {
    // EISDIR/EPERM on Windows: folders cannot be opened for fsync there.
  } finally {
    await fh?.close();
  }
}
