// IndexedDB checkpoints in a real browser (Debian chromium, headless, via playwright-core): the
// Trainer stopped and resumed from IndexedDB ends bit-identical to an uninterrupted run; a page
// reloaded in the middle of a 48 MB checkpoint write leaves it whole or absent; a checkpoint is
// downloaded as a zip that holds its files.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Chromium, launchChromium } from '../../../test-utils/chromium.js';
import { type PageServer, servePage } from '../../../test-utils/page-server.js';
import { chromiumRequirement, describeWith } from '../../../test-utils/requirements.js';

const here = dirname(fileURLToPath(import.meta.url));
type Api = Record<string, () => Promise<unknown>>;
const call = (name: string) => (window as unknown as { albert: Api }).albert[name]?.();

describeWith(chromiumRequirement, 'Trainer checkpoints in IndexedDB (chromium, headless)', () => {
  let server: PageServer;
  let browser: Chromium;

  beforeAll(async () => {
    // external: the Node-only paths of core and pretraining, which the page never runs
    server = await servePage(join(here, 'browser/page.ts'), { external: ['node:*'] });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('stop + resume from IndexedDB ends bit-identical; a reload mid-write leaves no half checkpoint; download', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, {
      timeout: 60_000,
    });

    const run = (await page.evaluate(call, 'trainAndResume')) as Record<string, unknown>;
    expect(run).toEqual({
      backend: 'cpu',
      whole: 6,
      stopped: ['stopped', 3, 'checkpoint-3'],
      resumed: ['max-steps', 6],
      identical: true,
      storedIsFinal: true,
      list: ['checkpoint-4', 'checkpoint-6'],
      files: [
        'config.json',
        'data_state.json',
        'model.safetensors',
        'optimizer.safetensors',
        'rng_state.json',
        'trainer_state.json',
      ],
      storedStep: 6,
      dataState: { version: 1, epoch: 0, index: 12 * 4 },
    });
    expect(await page.evaluate(call, 'duplicateWrite')).toBe(
      'IndexedDB database run-resumed already has a checkpoint checkpoint-6; remove it first.',
    );

    // Reload while the 48 MB transaction is in flight: all six 8 MiB files or nothing.
    expect(await page.evaluate(call, 'startBigWrite')).toBe('started');
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, {
      timeout: 60_000,
    });
    const big = (await page.evaluate(call, 'afterBigWrite')) as { list: string[]; sizes: number[] };
    console.log(`IndexedDB write interrupted by a reload: ${big.list.length === 0 ? 'absent' : 'whole'}`);
    if (big.list.length === 0) expect(big.sizes).toEqual([]);
    else expect(big).toEqual({ list: ['checkpoint-1'], sizes: Array(6).fill(8 << 20) });

    const [download, sums] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(call, 'download') as Promise<{ zipSha: string; modelSha: string }>,
    ]);
    expect(download.suggestedFilename()).toBe('checkpoint-6.zip');
    const zip = new Uint8Array(readFileSync((await download.path()) as string));
    expect(createHash('sha256').update(zip).digest('hex')).toBe(sums.zipSha);
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual((run.files as string[]).map((f) => `checkpoint-6/${f}`));
    const model = entries['checkpoint-6/model.safetensors'] as Uint8Array;
    expect(createHash('sha256').update(model).digest('hex')).toBe(sums.modelSha);
    await page.close();
  }, 300_000);
});
