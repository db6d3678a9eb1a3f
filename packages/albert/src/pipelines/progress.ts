// Load progress, bytes per file, for every kind of source: a fetch wrapper counts the bytes of each
// response as they stream in (URLs, the hub), and files read from disk report once when read.
import type { ModelSource } from '@albert-ts/core';

export interface LoadProgress {
  /** The file's name in the model folder (config.json, model.safetensors, spiece.model, …). */
  file: string;
  /** Bytes received so far. */
  loaded: number;
  /** The file's size when known (Content-Length, or the size on disk). */
  total?: number;
}

/** `fetch` that reports the bytes of every response body as they arrive. */
export function progressFetch(base: typeof fetch, onProgress: (p: LoadProgress) => void): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.body == null || (init?.method ?? 'GET') === 'HEAD' || !response.ok) return response;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const file = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? url);
    const header = response.headers.get('content-length');
    const total = header == null ? undefined : Number(header);
    let loaded = 0;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        onProgress({ file, loaded, ...(total === undefined ? {} : { total }) });
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** A source that reports each file read from disk (a URL source's bytes come through progressFetch). */
export function reportingSource(source: ModelSource, onProgress: (p: LoadProgress) => void): ModelSource {
  const local = async (name: string, size: () => Promise<number>) => {
    if ((await source.localPath(name)) === undefined) return;
    const bytes = await size();
    onProgress({ file: name, loaded: bytes, total: bytes });
  };
  return {
    description: source.description,
    has: (name) => source.has(name),
    localPath: (name) => source.localPath(name),
    async readFile(name) {
      const bytes = await source.readFile(name);
      await local(name, async () => bytes.length);
      return bytes;
    },
    async readText(name) {
      const bytes = await this.readFile(name);
      return new TextDecoder().decode(bytes);
    },
    async readSafetensors(name) {
      const file = await source.readSafetensors(name);
      await local(name, async () => {
        const { stat } = await import('node:fs/promises');
        return (await stat((await source.localPath(name)) as string)).size;
      });
      return file;
    },
  };
}
