// Checkpoints in the browser's IndexedDB: one database per training run, two object stores —
// `files` (key [checkpoint, file] → bytes) and `checkpoints` (key name → { name, files, bytes,
// savedAt }). A checkpoint is written in ONE readwrite transaction over both stores, so a closed tab,
// a crash or a quota error leaves it whole or absent; `list` reads only the `checkpoints` store.
import { TrainingCheckpointError } from '../errors.js';
import { checkName } from './names.js';
import type { CheckpointStorage, StorageProgress } from './storage.js';

export interface IndexedDBCheckpointStorageOptions {
  /** The IDBFactory (default globalThis.indexedDB). */
  indexedDB?: IDBFactory;
  /** Called once the checkpoint's transaction has committed (file null). */
  onProgress?: (progress: StorageProgress) => void;
}

type CheckpointRecord = { name: string; files: string[]; bytes: number; savedAt: string };

const FILES = 'files';
const CHECKPOINTS = 'checkpoints';

export class IndexedDBCheckpointStorage implements CheckpointStorage {
  private db: Promise<IDBDatabase> | null = null;

  constructor(
    /** The database of this run (one database per run). */
    readonly database: string,
    private readonly options: IndexedDBCheckpointStorageOptions = {},
  ) {}

  get description(): string {
    return `IndexedDB database ${this.database}`;
  }

  async list(): Promise<string[]> {
    const db = await this.open();
    const keys = await request(db.transaction(CHECKPOINTS).objectStore(CHECKPOINTS).getAllKeys());
    return keys.map(String);
  }

  async files(name: string): Promise<string[]> {
    return (await this.record(name)).files;
  }

  async read(name: string, file: string): Promise<Uint8Array> {
    checkName('file', file);
    const db = await this.open();
    const value = await request(db.transaction(FILES).objectStore(FILES).get([name, file]));
    if (value == null) {
      await this.record(name); // a clearer error when the whole checkpoint is missing
      throw new TrainingCheckpointError(`Checkpoint ${name} in ${this.description} has no file ${file}.`);
    }
    return value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer);
  }

  async write(name: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
    checkName('checkpoint', name);
    for (const file of files.keys()) checkName('file', file);
    const db = await this.open();
    const tx = db.transaction([FILES, CHECKPOINTS], 'readwrite');
    const checkpoints = tx.objectStore(CHECKPOINTS);
    const existing = await request(checkpoints.getKey(name));
    if (existing != null) {
      tx.abort();
      throw new TrainingCheckpointError(`${this.description} already has a checkpoint ${name}; remove it first.`);
    }
    let bytes = 0;
    for (const [file, data] of files) {
      tx.objectStore(FILES).put(data, [name, file]);
      bytes += data.length;
    }
    const record: CheckpointRecord = { name, files: [...files.keys()], bytes, savedAt: new Date().toISOString() };
    checkpoints.put(record);
    await committed(tx, `writing checkpoint ${name} to ${this.description}`);
    this.options.onProgress?.({ checkpoint: name, file: null, done: files.size, total: files.size });
  }

  async remove(name: string): Promise<void> {
    await this.record(name);
    const db = await this.open();
    const tx = db.transaction([FILES, CHECKPOINTS], 'readwrite');
    tx.objectStore(FILES).delete(IDBKeyRange.bound([name], [name, []]));
    tx.objectStore(CHECKPOINTS).delete(name);
    await committed(tx, `removing checkpoint ${name} from ${this.description}`);
  }

  /** Closes the database (the storage reopens it on the next call). */
  async close(): Promise<void> {
    const db = await this.db;
    db?.close();
    this.db = null;
  }

  private async record(name: string): Promise<CheckpointRecord> {
    checkName('checkpoint', name);
    const db = await this.open();
    const record = (await request(db.transaction(CHECKPOINTS).objectStore(CHECKPOINTS).get(name))) as
      | CheckpointRecord
      | undefined;
    if (record == null) throw new TrainingCheckpointError(`${this.description} has no checkpoint ${name}.`);
    return record;
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const factory = this.options.indexedDB ?? globalThis.indexedDB;
      if (factory == null) {
        reject(new TrainingCheckpointError('IndexedDBCheckpointStorage: this environment has no indexedDB.'));
        return;
      }
      const req = factory.open(this.database, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(FILES);
        req.result.createObjectStore(CHECKPOINTS, { keyPath: 'name' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () =>
        reject(new TrainingCheckpointError(`Opening ${this.description} failed: ${req.error?.message}.`));
    });
    return this.db;
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function committed(tx: IDBTransaction, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    const fail = () =>
      reject(new TrainingCheckpointError(`${what} failed: ${tx.error?.message ?? 'the transaction was aborted'}.`));
    tx.onerror = fail;
    tx.onabort = fail;
  });
}
