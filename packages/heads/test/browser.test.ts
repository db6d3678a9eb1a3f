// The task layer in a real browser: Debian's chromium, headless, driven by playwright-core, loading a
// page bundled by esbuild for the browser with node:* left out (only the read*File helpers use it).
// Same results as in Node: the SQuAD round trip on the dev slice, NER labels, GLUE rows, metrics.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Chromium, launchChromium } from '../../../test-utils/chromium.js';
import { chromiumRequirement, describeWith } from '../../../test-utils/requirements.js';
import { squadRoundTrip } from '../bench/squad-roundtrip-check.js';
import {
  labelMapFromData,
  readConll,
  readGlueTsv,
  readSquadJson,
  seqevalMetrics,
  spearman,
  squadV1Metrics,
  tokenClassificationFeatures,
} from '../src/index.js';
import { albert, fixture, readText } from './load.js';

describeWith(chromiumRequirement, 'task data, QA and metrics in chromium (headless)', () => {
  let server: Server;
  let browser: Chromium;
  let result: Record<string, unknown> & { error?: string };

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [join(import.meta.dirname, 'browser/page.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@albert-ts/source'],
      external: ['node:*'],
      logLevel: 'silent',
    });
    const files: Record<string, [string, string | Uint8Array]> = {
      '/': ['text/html', '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>'],
      '/page.js': ['text/javascript', bundle.outputFiles[0]?.text ?? ''],
      '/albert-30k.model': ['application/octet-stream', readFileSync(fixture('albert-30k.model'))],
      '/squad.json': ['application/json', readText('squad-v1.1-dev-slice.json')],
      '/wnut.conll': ['text/plain', readText('wnut17-train-slice.conll')],
      '/mrpc.tsv': ['text/plain', readText('glue/mrpc-dev.tsv')],
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
    await page.waitForFunction(() => (window as unknown as { __heads?: unknown }).__heads != null, null, {
      timeout: 90_000,
    });
    result = (await page.evaluate(() => (window as unknown as { __heads: unknown }).__heads)) as typeof result;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('gives the same round trip, NER labels, GLUE rows and metrics as Node', () => {
    expect(result.error).toBeUndefined();
    const tok = albert();
    const { examples } = readSquadJson(readText('squad-v1.1-dev-slice.json'));
    const r = squadRoundTrip(tok, examples);
    expect(result.roundTrip).toEqual({
      questions: 397,
      exact: r.exact,
      tooLong: r.tooLong,
      insideToken: r.insideToken,
      wrong: 0,
    });
    const sentences = readConll(readText('wnut17-train-slice.conll'));
    const map = labelMapFromData(sentences.map((s) => s.tags));
    expect(result.nerLabels).toEqual(
      tokenClassificationFeatures(tok, sentences, { labelMap: map }).map((f) => [...f.labels]),
    );
    expect(result.glue).toEqual(
      readGlueTsv(readText('glue/mrpc-dev.tsv'), 'mrpc').examples.map((e) => [e.textA, e.textB, e.label]),
    );
    expect(result.metrics).toEqual({
      spearman: spearman([1, 2, 2, 3], [1, 2, 3, 4]),
      seqeval: seqevalMetrics(
        sentences.map((s) => s.tags),
        sentences.map((s) => s.tags.map(() => 'O')),
      ).micro,
      squad: squadV1Metrics(examples, Object.fromEntries(examples.map((e) => [e.id, e.answers[0]?.text ?? '']))),
    });
    expect((result.metrics as { squad: { exact_match: number } }).squad.exact_match).toBe(100);
  });
});
