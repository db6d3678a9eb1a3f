// safetensors and model sources in a real browser: Debian's chromium, headless, driven by
// playwright-core, loading a page bundled with esbuild from the fake hub on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Chromium, launchChromium } from '../../../../test-utils/chromium.js';
import { FakeHub } from '../../../../test-utils/fake-hub.js';
import { chromiumRequirement, describeWith } from '../../../../test-utils/requirements.js';

const here = dirname(fileURLToPath(import.meta.url));
const MODEL = new Uint8Array(readFileSync(join(here, '../fixtures/io/tiny-qa.model.safetensors')));
const CONFIG = new Uint8Array(readFileSync(join(here, '../fixtures/io/tiny-qa.config.json')));

describeWith(chromiumRequirement, 'in chromium (headless)', () => {
  let hub: FakeHub;
  let browser: Chromium;
  let result: Record<string, unknown>;

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [join(here, 'browser-page.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@albert-ts/source'], // workspace packages (@albert-ts/common) from their sources
      logLevel: 'silent',
    });
    hub = new FakeHub();
    await hub.start();
    const files = { 'config.json': CONFIG, 'model.safetensors': MODEL };
    hub.repos.set('org/tiny', { commit: 'a'.repeat(40), revisions: ['main'], files, lfs: ['model.safetensors'] });
    hub.repos.set('org/gated', {
      commit: 'b'.repeat(40),
      revisions: ['main'],
      files,
      lfs: ['model.safetensors'],
      access: 'gated',
    });
    hub.statics.set('model.safetensors', MODEL);
    hub.pages.set('/', [
      'text/html',
      '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>',
    ]);
    hub.pages.set('/page.js', ['text/javascript', bundle.outputFiles[0]?.text ?? '']);
    browser = await launchChromium();
    const page = await browser.context.newPage();
    await page.goto(`${hub.hubUrl}/`);
    await page.waitForFunction(() => (window as unknown as { __io?: unknown }).__io != null, null, { timeout: 30_000 });
    result = (await page.evaluate(() => (window as unknown as { __io: unknown }).__io)) as Record<string, unknown>;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('parses, re-serializes byte-identically and rejects a truncated file', () => {
    expect(result.error).toBeUndefined();
    expect(result.count).toBe(25);
    expect(result.first).toEqual([0.18659591674804688, 0.1313311755657196]);
    expect(result.zeroCopy).toBe(true);
    expect(result.identical).toBe(true);
    expect(result.half).toEqual([0.0999755859375, -3]);
    expect(result.truncated).toEqual([
      true,
      expect.stringMatching(/^safetensors header length: the header claims \d+ bytes but only 92 follow/),
    ]);
    expect(result.fetched).toBe(25);
  });

  it('opens a hub id without a disk cache, following the CDN redirect; 401 for a gated model, token works', () => {
    expect(result.description).toBe('hub org/tiny@main (no cache)');
    expect(result.configLength).toBe(CONFIG.length);
    expect(result.hubWeights).toBe(25);
    expect(result.hasMissing).toBe(false);
    expect(result.gated).toEqual([true, 'unauthorized', 401]);
    expect(result.gatedWeights).toBe(MODEL.length);
    const gatedHub = hub.requests('hub').filter((r) => r.path.startsWith('/org/gated/'));
    expect(gatedHub.at(-1)!.headers.authorization).toBe('Bearer hf_good');
    // the browser drops Authorization when the redirect leaves the hub's origin
    const cdn = hub.requests('cdn').filter((r) => r.path.includes('gated'));
    expect(cdn.length).toBeGreaterThan(0);
    expect(cdn.every((r) => r.headers.authorization === undefined)).toBe(true);
  });
});
