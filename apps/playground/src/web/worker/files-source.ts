// A model folder the user picked or dropped on the page, as a ModelSource: config.json,
// model.safetensors and spiece.model read from the File objects (each reported once when read).
import { HubError, type ModelSource, parseSafetensors, type SafetensorsFile } from 'albert-ts';
import type { LoadEvent } from '../protocol.js';

/** The file's own name without the folder part a directory picker adds. */
export function baseName(file: File): string {
  return (file.webkitRelativePath || file.name).split('/').pop() ?? file.name;
}

export function filesSource(name: string, files: File[], onProgress: (p: LoadEvent) => void): ModelSource {
  const byName = new Map(files.map((f) => [baseName(f), f]));
  const description = name === '' ? 'your model folder' : `your model folder "${name}"`;
  const read = async (file: string): Promise<Uint8Array> => {
    const f = byName.get(file);
    if (f == null) {
      throw new HubError(
        'not-found',
        `${file} is missing from ${description} (it holds ${[...byName.keys()].join(', ') || 'no files'})`,
      );
    }
    const bytes = new Uint8Array(await f.arrayBuffer());
    onProgress({ file, loaded: bytes.byteLength, total: f.size });
    return bytes;
  };
  return {
    description,
    has: async (file) => byName.has(file),
    localPath: async () => undefined,
    readFile: read,
    readText: async (file) => new TextDecoder().decode(await read(file)),
    readSafetensors: async (file): Promise<SafetensorsFile> => parseSafetensors(await read(file)),
  };
}
