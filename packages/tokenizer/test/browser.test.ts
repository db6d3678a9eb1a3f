// The tokenizer in a real browser: Debian's chromium, headless, driven by playwright-core, loading a
// page bundled with esbuild (node:* left out: only fromFile and the worker pool use them).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Chromium, launchChromium } from '../../../test-utils/chromium.js';
import { chromiumRequirement, describeWith } from '../../../test-utils/requirements.js';
import { AlbertTokenizer } from '../src/index.js';
import { albert, fixture, readJsonl } from './load.js';

const texts = readJsonl<{ text: string }>('albert-30k.jsonl').map((c) => c.text);

describeWith(chromiumRequirement, 'in chromium (headless)', () => {
  let server: Server;
  let browser: Chromium;
  let result: {
    encodings?: { ids: number[]; offsets: number[] }[];
    tokens?: string[];
    roundTrip?: boolean;
    truncated?: string;
    jsonIds?: number[];
    error?: string;
  };

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [join(import.meta.dirname, 'browser/page.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      external: ['node:*'],
      conditions: ['@albert-ts/source'], // workspace packages (@albert-ts/common) from their sources
      logLevel: 'silent',
    });
    const files: Record<string, [string, string | Uint8Array]> = {
      '/': ['text/html', '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>'],
      '/page.js': ['text/javascript', bundle.outputFiles[0]?.text ?? ''],
      '/texts.json': ['application/json', JSON.stringify(texts)],
      '/albert-30k.model': ['application/octet-stream', readFileSync(fixture('albert-30k.model'))],
      '/tokenizer.json': ['application/json', readFileSync(fixture('albert-30k.tokenizer.json'))],
    };
    server = createServer((req, res) => {
      const f = files[req.url ?? ''];
      if (f === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
    const page = await browser.context.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => (window as unknown as { __tok?: unknown }).__tok != null, null, {
      timeout: 60_000,
    });
    result = (await page.evaluate(() => (window as unknown as { __tok: unknown }).__tok)) as typeof result;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('encodes the 152 fixture texts exactly as in Node (ids and offsets)', () => {
    expect(result.error).toBeUndefined();
    const tok = albert();
    expect(result.encodings?.length).toBe(152);
    texts.forEach((t, i) => {
      const e = tok.encode(t);
      expect(result.encodings?.[i]).toEqual({ ids: [...e.inputIds], offsets: [...e.offsets] });
    });
    expect(result.tokens).toEqual(tok.tokenize(texts[0] as string));
  });

  it('round-trips the model, reports corrupt files, loads tokenizer.json', () => {
    expect(result.roundTrip).toBe(true);
    expect(result.truncated).toMatch(/^[^o].*byte offset \d+/);
    const json = AlbertTokenizer.fromTokenizerJson(readFileSync(fixture('albert-30k.tokenizer.json'), 'utf8'));
    expect(result.jsonIds).toEqual([...json.encode('The U.S.A. and the U.K.').inputIds]);
    // Rust's added-token split: "▁u . ▁ s . ▁a ." (see README-tokenizer-json.md, cause 1)
    expect(json.convertIdsToTokens(result.jsonIds ?? []).slice(0, 8)).toEqual([
      '[CLS]',
      '▁the',
      '▁u',
      '.',
      '▁',
      's',
      '.',
      '▁a',
    ]);
  });
});
