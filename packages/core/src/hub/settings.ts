// Where to download from, where to cache, whether to go online: options first, then the same
// environment variables huggingface_hub reads.

import { nodeFs, nodeOs, nodePath } from '../safetensors/node.js';
import { HubError } from './errors.js';

export interface HubSettings {
  endpoint: string;
  /** Null when there is no file system to cache in (browsers). */
  cacheDir: string | null;
  offline: boolean;
  token: string | undefined;
}

export interface HubSettingsOptions {
  endpoint?: string;
  cacheDir?: string;
  offline?: boolean;
  token?: string;
  /** Environment to read instead of process.env (tests). */
  env?: Record<string, string | undefined>;
}

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

function truthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 'on', 'yes', 'true'].includes(value.trim().toLowerCase());
}

export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * endpoint: option, HF_ENDPOINT, https://huggingface.co.
 * cacheDir: option, HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub,
 *   ~/.cache/huggingface/hub (huggingface_hub's order, so Python and albert-ts share one cache).
 * offline: option, HF_HUB_OFFLINE=1/true/yes/on.
 * token: option, HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the file `huggingface-cli login` writes
 *   (HF_TOKEN_PATH, else $HF_HOME/token).
 */
export async function resolveHubSettings(options: HubSettingsOptions = {}): Promise<HubSettings> {
  const env = options.env ?? (isNode() ? process.env : {});
  const endpoint = (options.endpoint ?? nonEmpty(env.HF_ENDPOINT) ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/i.test(endpoint)) {
    throw new HubError('invalid-name', `the hub endpoint ${JSON.stringify(endpoint)} must be an http(s) URL`);
  }
  let cacheDir: string | null = null;
  let tokenFile: string | undefined;
  if (isNode()) {
    const { join } = await nodePath();
    const { homedir } = await nodeOs();
    const hfHome =
      nonEmpty(env.HF_HOME) ?? join(nonEmpty(env.XDG_CACHE_HOME) ?? join(homedir(), '.cache'), 'huggingface');
    cacheDir =
      options.cacheDir ?? nonEmpty(env.HF_HUB_CACHE) ?? nonEmpty(env.HUGGINGFACE_HUB_CACHE) ?? join(hfHome, 'hub');
    tokenFile = nonEmpty(env.HF_TOKEN_PATH) ?? join(hfHome, 'token');
  }
  const offline = options.offline ?? truthy(env.HF_HUB_OFFLINE);
  let token = options.token ?? nonEmpty(env.HF_TOKEN) ?? nonEmpty(env.HUGGING_FACE_HUB_TOKEN);
  if (token === undefined && tokenFile !== undefined) {
    const { readFile } = await nodeFs();
    token = nonEmpty((await readFile(tokenFile, 'utf8').catch(() => '')).trim());
  }
  return { endpoint, cacheDir, offline, token };
}
