import { SafetensorsError } from './errors.js';
import { parseSafetensors } from './parse.js';
import type { SafetensorsFile } from './types.js';

/**
 * Downloads a safetensors file with `fetch` and parses it (works in browsers and Node). The response
 * body is the only copy of the weights: aligned F32 tensors are views into it.
 */
export async function fetchSafetensors(
  url: string | URL,
  options: { fetch?: typeof fetch; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<SafetensorsFile> {
  const doFetch = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(url, { headers: options.headers, signal: options.signal });
  } catch (cause) {
    throw new SafetensorsError('fetch', `could not fetch ${String(url)} (${(cause as Error).message})`, { cause });
  }
  if (!response.ok) {
    throw new SafetensorsError('fetch', `${String(url)} answered HTTP ${response.status} ${response.statusText}`);
  }
  let body: ArrayBuffer;
  try {
    body = await response.arrayBuffer();
  } catch (cause) {
    throw new SafetensorsError('fetch', `the download of ${String(url)} broke off (${(cause as Error).message})`, {
      cause,
    });
  }
  return parseSafetensors(body);
}
