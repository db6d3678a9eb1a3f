// AlbertTokenizer.fromPretrained and AutoTokenizer.fromPretrained in a real browser (Debian's chromium,
// headless): the tokenizer folders served over HTTP on 127.0.0.1, HF's ids (albert-30k.expected.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Chromium, launchChromium } from '../../../../test-utils/chromium.js';
import { type PageServer, servePage } from '../../../../test-utils/page-server.js';
import { chromiumRequirement, describeWith } from '../../../../test-utils/requirements.js';
import { ALBERT_30K, ALBERT_30K_JSON, EXPECTED } from '../helpers/albert-30k.js';

const FOLDERS: Record<string, string> = { 'albert-30k': ALBERT_30K, 'albert-30k-json': ALBERT_30K_JSON };
const FILES = ['spiece.model', 'tokenizer.json', 'tokenizer_config.json'];

type PageResult = {
  failure?: string;
  isAlbertTokenizer: boolean;
  modelMaxLength: number[];
  spiece: number[][];
  tokenizerJson: number[][];
  refused: string;
};

describeWith(chromiumRequirement, 'tokenizers from base URLs in chromium (headless)', () => {
  let server: PageServer;
  let browser: Chromium;
  let result: PageResult;

  beforeAll(async () => {
    const texts = EXPECTED.spiece.map((c) => c.text);
    server = await servePage(join(import.meta.dirname, 'tokenizer-page.ts'), {
      external: ['node:*'],
      files: (path) => {
        if (path === '/texts.json') return { type: 'application/json', body: JSON.stringify(texts) };
        const [, folder, file] = path.split('/');
        const dir = FOLDERS[folder ?? ''];
        if (dir === undefined || !FILES.includes(file ?? '')) return null;
        try {
          return { type: 'application/octet-stream', body: new Uint8Array(readFileSync(join(dir, file as string))) };
        } catch {
          return null; // not in this folder: 404
        }
      },
    });
    browser = await launchChromium();
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result != null, null, {
      timeout: 90_000,
    });
    result = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as PageResult;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("AlbertTokenizer.fromPretrained reads spiece.model and tokenizer_config.json: HF's ids", () => {
    expect(result.failure).toBeUndefined();
    expect(result.isAlbertTokenizer).toBe(true);
    expect(result.spiece).toEqual(EXPECTED.spiece.map((c) => c.inputIds));
    expect(result.modelMaxLength).toEqual([512, 512]);
  });

  it("AutoTokenizer.fromPretrained on a tokenizer.json folder: the Rust library's ids", () => {
    expect(result.tokenizerJson).toEqual(EXPECTED.tokenizerJson.map((c) => c.inputIds));
  });

  it('AlbertTokenizer.fromPretrained refuses a folder without spiece.model, pointing to AutoTokenizer', () => {
    expect(result.refused).toMatch(
      /^no-tokenizer: url .*albert-30k-json\/ has no spiece\.model.*AutoTokenizer\.fromPretrained/,
    );
  });
});
