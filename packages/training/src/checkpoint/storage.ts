// Where checkpoints live. A checkpoint is a named set of files (a Hugging Face model folder plus
// the trainer's state files). `write` makes a checkpoint appear whole or not at all, whatever
// moment the process dies at; that is the one promise every storage keeps. Implementations: a
// folder per checkpoint on a Node file system (NodeCheckpointStorage), IndexedDB in the browser
// (IndexedDBCheckpointStorage).

export type StorageProgress = {
  checkpoint: string;
  /** The file just stored, null once the checkpoint is complete. */
  file: string | null;
  /** Files stored so far out of `total`. */
  done: number;
  total: number;
};

export interface CheckpointStorage {
  /** Where the checkpoints are, for messages ("folder runs/x", "IndexedDB albert-ts/run-1"). */
  readonly description: string;
  /** Names of the complete checkpoints, in no particular order. */
  list(): Promise<string[]>;
  /** File names of a checkpoint (TrainingCheckpointError when there is no such checkpoint). */
  files(name: string): Promise<string[]>;
  /** The bytes of one file (TrainingCheckpointError when missing). */
  read(name: string, file: string): Promise<Uint8Array>;
  /** Stores a new checkpoint atomically; a checkpoint of that name must not exist yet. */
  write(name: string, files: ReadonlyMap<string, Uint8Array>): Promise<void>;
  /** Deletes a checkpoint; a crash part-way leaves it whole or gone. */
  remove(name: string): Promise<void>;
}
