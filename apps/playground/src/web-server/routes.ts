// What the web page's server answers besides the built page: the models (the default model per
// task when installed, else the fixture models) and the tfjs wasm binaries.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defaultModelFor, TASKS } from 'albert-ts';
import { fixtureFolder } from '../models/choose-model.js';
import { FIXTURE_FOR_TASK, FIXTURE_NAMES } from '../models/fixture-names.js';

/** What /api/models returns: per task, the URL of its default model, or its fixture with `fixture: true`. */
export type ModelCatalog = Record<string, { url: string; fixture: boolean; name: string }>;

export interface Routes {
  catalog: ModelCatalog;
  /** The file on disk for a URL path, or null. */
  file(path: string): string | null;
}

const SAFE_NAME = /^[\w][\w.-]*$/;

function inFolder(folder: string, name: string): string | null {
  if (!SAFE_NAME.test(name)) return null;
  const path = join(folder, name);
  return existsSync(path) && statSync(path).isFile() ? path : null;
}

export async function modelRoutes(webRoot: string): Promise<Routes> {
  const defaults = new Map<string, string>(); // task → folder
  for (const task of TASKS) {
    const found = await defaultModelFor(task).catch(() => null);
    if (typeof found === 'string' && existsSync(join(found, 'config.json'))) defaults.set(task, found);
  }
  const catalog: ModelCatalog = {};
  for (const task of TASKS) {
    const fixture = FIXTURE_FOR_TASK[task];
    if (defaults.has(task)) catalog[task] = { url: `/models/default/${task}/`, fixture: false, name: 'default model' };
    else if (fixture != null) catalog[task] = { url: `/models/fixtures/${fixture}/`, fixture: true, name: fixture };
  }
  const wasmDir = join(
    dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  );
  return {
    catalog,
    file(path) {
      const parts = path.split('/').filter((p) => p !== '');
      if (parts[0] === 'models' && parts.length === 4) {
        const [, kind, name = '', file = ''] = parts;
        if (kind === 'fixtures' && (FIXTURE_NAMES as readonly string[]).includes(name))
          return inFolder(fixtureFolder(name), file);
        const folder = kind === 'default' ? defaults.get(name) : undefined;
        return folder == null ? null : inFolder(folder, file);
      }
      if (parts[0] === 'wasm' && parts.length === 2 && parts[1]?.endsWith('.wasm')) return inFolder(wasmDir, parts[1]);
      if (parts.length === 0) return inFolder(webRoot, 'index.html');
      if (parts.some((p) => !SAFE_NAME.test(p))) return null;
      const path2 = join(webRoot, ...parts);
      return existsSync(path2) && statSync(path2).isFile() ? path2 : null;
    },
  };
}
