// A checkpoint as one .zip (stored, not deflated: safetensors barely compress), so a browser can
// hand it to the user as a download and `unzip` gives back the Hugging Face folder. The zip
// writer is fflate's.
import { zipSync } from 'fflate';
import { TrainingCheckpointError } from '../errors.js';
import type { CheckpointStorage } from './storage.js';

/** The zip bytes of checkpoint `name`: a folder `<name>/` with all its files. */
export async function checkpointZip(storage: CheckpointStorage, name: string): Promise<Uint8Array> {
  const entries: Record<string, Uint8Array> = {};
  for (const file of (await storage.files(name)).sort()) {
    entries[`${name}/${file}`] = await storage.read(name, file);
  }
  return zipSync(entries, { level: 0 });
}

/** Browser: offers checkpoint `name` as a download `<name>.zip` (or `fileName`). */
export async function downloadCheckpoint(storage: CheckpointStorage, name: string, fileName?: string): Promise<void> {
  if (typeof document === 'undefined' || typeof URL.createObjectURL !== 'function') {
    throw new TrainingCheckpointError(
      'downloadCheckpoint needs a browser page (document and URL.createObjectURL); in Node use checkpointZip() and write the bytes.',
    );
  }
  const zip = await checkpointZip(storage, name);
  const url = URL.createObjectURL(new Blob([zip as BlobPart], { type: 'application/zip' }));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName ?? `${name}.zip`;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000); // after the browser has started the download
  }
}
