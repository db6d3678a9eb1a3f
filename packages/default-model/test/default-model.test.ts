// The package finds the repository's shipped folders, maps each pipeline task to one, and its prepack
// step copies exactly the model folders (not the card or the charts) into the package.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS, defaultModel, defaultModelEntry } from '../src/index.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const REPO_MODELS = fileURLToPath(new URL('../../../models/', import.meta.url));
const REQUIRED = ['albert-gutenberg-small', 'albert-gutenberg-small-sst2'];

describe('@albert-ts/default-model', () => {
  afterAll(() => rmSync(`${PACKAGE}models`, { recursive: true, force: true }));

  it('maps every pipeline task to at most one folder', () => {
    const tasks = DEFAULT_MODELS.flatMap((m) => m.tasks);
    expect(new Set(tasks).size).toBe(tasks.length);
    expect(defaultModelEntry('fill-mask')?.folder).toBe('albert-gutenberg-small');
    expect(defaultModelEntry('text-classification')?.folder).toBe('albert-gutenberg-small-sst2');
    expect(defaultModelEntry('multiple-choice')).toBeUndefined();
  });

  it('finds the required folders in the repository', async () => {
    for (const folder of REQUIRED) {
      for (const file of ['config.json', 'model.safetensors', 'spiece.model', 'tokenizer_config.json']) {
        expect(existsSync(`${REPO_MODELS}${folder}/${file}`), `${folder}/${file}`).toBe(true);
      }
    }
    expect(await defaultModel('sentence-similarity')).toBe(`${REPO_MODELS}albert-gutenberg-small/`);
    expect(await defaultModel('zero-shot-classification')).toBeUndefined();
  });

  it('prepack copies the model folders into the package, postpack removes them', () => {
    execFileSync(process.execPath, [`${PACKAGE}scripts/copy-models.mjs`], { stdio: 'pipe' });
    const copied = readdirSync(`${PACKAGE}models`).sort();
    expect(copied).toEqual(
      readdirSync(REPO_MODELS)
        .filter((d) => existsSync(`${REPO_MODELS}${d}/config.json`))
        .sort(),
    );
    for (const folder of REQUIRED) expect(copied).toContain(folder);
    execFileSync(process.execPath, [`${PACKAGE}scripts/copy-models.mjs`, '--clean'], { stdio: 'pipe' });
    expect(existsSync(`${PACKAGE}models`)).toBe(false);
  });
});
