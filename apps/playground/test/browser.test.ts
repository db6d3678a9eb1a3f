// The web page end to end in Debian's chromium (headless, playwright-core): built with Vite, served
// cross-origin isolated by the app's own server; the default model (or its fixture stand-ins) loads
// in the worker; fill-mask, sentiment and QA give what Node's pipelines give on the same model
// (on wasm and on cpu); the attention heatmap is tokens × tokens; a fine-tune lowers the loss; a bad
// folder gives a plain error and the page stays usable; the default model's own folder, picked or
// dropped on the page, runs fill-mask from its files. Screenshots go to test/artifacts/.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Answer, AutoTokenizer, type FillMaskCandidate, initBackend, type LabelScore, pipeline } from 'albert-ts';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chromium, launchChromium } from '../../../test-utils/chromium.js';
import { chromiumRequirement, describeWith } from '../../../test-utils/requirements.js';
import { chooseModel } from '../src/models/choose-model.js';
import { buildWeb, serveWeb, type WebServer } from '../src/web-server/serve-web.js';

const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;
const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

async function nodePipeline<T extends Parameters<typeof pipeline>[0]>(task: T) {
  return pipeline(task, (await chooseModel(task, undefined)).model, { warn: () => {} });
}

async function run(page: Page, panel: string): Promise<'done' | 'error'> {
  const output = page.locator(`#panel-${panel} .output`);
  await page.evaluate((p) => document.querySelector(`#panel-${p} .output`)?.removeAttribute('data-state'), panel);
  await page.click(`#panel-${panel} button.run`);
  await page.waitForSelector(`#panel-${panel} .output[data-state]`, { timeout: 90_000 });
  return (await output.getAttribute('data-state')) as 'done' | 'error';
}

async function shot(page: Page, name: string, selector?: string): Promise<void> {
  if (selector != null) await page.locator(selector).screenshot({ path: `${ARTIFACTS}${name}.png` });
  else await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

describeWith(chromiumRequirement, 'the playground page in chromium', () => {
  let server: WebServer;
  let browser: Chromium;
  let page: Page;
  const pageErrors: string[] = [];
  const requests: string[] = []; // every path the page (and its worker) asked the server for

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await initBackend({ prefer: 'cpu' });
    await buildWeb();
    server = await serveWeb({ onRequest: (path) => requests.push(path) });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(server.url);
    await page.waitForSelector('body[data-backend-ready]', { timeout: 90_000 });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is cross-origin isolated and reports every backend: wasm with SIMD; no GPU here', async () => {
    await shot(page, 'backend', '#panel-backend');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    const rows = await page.$$eval('#panel-backend tr[data-backend]', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-backend'), tr.className]),
    );
    expect(rows.map(([b]) => b)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(Object.fromEntries(rows)).toMatchObject({ wasm: 'ok', cpu: 'ok', webgpu: 'no' });
    expect(await page.textContent('#backend-name')).toBe('wasm'); // software WebGL is skipped by the automatic order
    expect(await page.textContent('#panel-backend')).toMatch(/wasm SIMD✓/);
  });

  it('runs wasm on a thread per logical core, and says so', async () => {
    // isolated, so the threaded SIMD build loads; tfjs alone would use half the logical cores (one
    // thread on a 2-core machine), @albert-ts/backends has it use all of them (tfjs's ceiling is 8)
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const want = Math.min(8, cores);
    expect(Number(await page.getAttribute('#threads-row', 'data-threads'))).toBe(want);
    const text = await page.textContent('#threads-row');
    if (cores > 1) expect(text).toBe(`wasm threads✓on: ${want} threads (threaded SIMD build, ${cores} logical cores)`);
    else expect(text).toBe('wasm threads✗threaded build loaded, but it computes on 1 thread (1 logical core)');
    expect(await page.textContent('#panel-backend .chosen')).toContain(`wasm (simd128, ${want} thread`);
  });

  it('picking "best available" again, after every backend was probed by name, still skips software WebGL', async () => {
    // the first load probed webgpu, webgl, wasm and cpu by name for the report; a probe by name
    // once made the next automatic choice take the software-rendered WebGL
    const first = await page.textContent('#panel-backend .chosen'); // the page's first, automatic choice
    expect(first).toMatch(/^Running on wasm: wasm \(.*; skipped webgl: WebGL is (software-rendered|not available)/);
    await page.selectOption('#panel-backend select', 'cpu');
    await page.waitForFunction(() => document.querySelector('#backend-name')?.textContent === 'cpu', null, {
      timeout: 60_000,
    });
    await page.selectOption('#panel-backend select', 'auto');
    await page.waitForFunction(
      () =>
        document.querySelector('#panel-backend select')?.hasAttribute('disabled') === false &&
        document.querySelector('#backend-name') != null,
      null,
      { timeout: 60_000 },
    );
    expect(await page.textContent('#panel-backend .chosen')).toBe(first);
  });

  describe.each(['wasm', 'cpu'])('on %s', (backend) => {
    beforeAll(async () => {
      await page.selectOption('#panel-backend select', backend);
      await page.waitForFunction((b) => document.querySelector('#backend-name')?.textContent === b, backend, {
        timeout: 60_000,
      });
    }, 120_000);

    it("fill-mask: the page's top tokens are Node's", async () => {
      expect(await run(page, 'fill-mask')).toBe('done');
      const labels = await page.$$eval('#panel-fill-mask .bar-label', (els) => els.map((e) => e.textContent));
      const fill = await nodePipeline('fill-mask');
      const want = (await fill('The capital of France is [MASK].', { topK: 5 })) as FillMaskCandidate[];
      fill.dispose();
      expect(labels).toEqual(want.map((c) => c.tokenStr));
      await shot(page, `fill-mask-${backend}`, '#panel-fill-mask');
    });

    it("sentiment: every sentence's labels in Node's order, scores to 3 decimals", async () => {
      expect(await run(page, 'sentiment')).toBe('done');
      const results = await page.$$eval('#panel-sentiment .result', (rs) =>
        rs.map((r) =>
          Array.from(r.querySelectorAll('.bar')).map((b) => [
            b.querySelector('.bar-label')?.textContent,
            b.querySelector('.bar-value')?.textContent,
          ]),
        ),
      );
      const classify = await nodePipeline('text-classification');
      const want = (await classify(['What a lovely day!', 'The film was a dull, tired mess.'], {
        topK: null,
      })) as LabelScore[][];
      classify.dispose();
      expect(results).toEqual(want.map((labels) => labels.map((l) => [l.label, l.score.toFixed(3)])));
      await shot(page, `sentiment-${backend}`, '#panel-sentiment');
    });

    it('question answering: the highlighted span is the answer', async () => {
      expect(await run(page, 'qa')).toBe('done');
      const marked = await page.textContent('#qa-answer');
      const shown = await page.textContent('#panel-qa .answer strong');
      const qa = await nodePipeline('question-answering');
      const context = await page.inputValue('#panel-qa textarea');
      const want = (await qa({ question: 'Who did Alice follow?', context })) as Answer;
      qa.dispose();
      expect(marked).toBe(want.answer);
      expect(shown).toBe(want.answer);
      expect(context.slice(want.start, want.end)).toBe(marked);
      await shot(page, `qa-${backend}`, '#panel-qa');
    });
  });

  it('NER, multiple choice and similarity run', async () => {
    await page.selectOption('#panel-backend select', 'wasm');
    await page.waitForFunction(() => document.querySelector('#backend-name')?.textContent === 'wasm', null, {
      timeout: 60_000,
    });
    for (const panel of ['ner', 'choice', 'similarity']) expect(await run(page, panel)).toBe('done');
    expect(await page.$$eval('#panel-choice .bar', (b) => b.length)).toBe(3);
    expect(await page.$$eval('#panel-similarity .bar', (b) => b.length)).toBe(3);
  });

  it('attention: the heatmap is tokens × tokens, one cell per pair; the sharing diagram has every application', async () => {
    expect(await run(page, 'attention')).toBe('done');
    const tokenizer = await AutoTokenizer.fromPretrained((await chooseModel('fill-mask', undefined)).model);
    const n = tokenizer.encode('The rabbit ran down the hole.').inputIds.length;
    const grid = page.locator('#panel-attention .heatmap');
    expect(Number(await grid.getAttribute('data-rows'))).toBe(n);
    expect(Number(await grid.getAttribute('data-cols'))).toBe(n);
    expect(await page.$$eval('#panel-attention .heatmap .cell', (c) => c.length)).toBe(n * n);
    const options = await page.$$eval('#panel-attention select[name=application] option', (o) => o.length);
    expect(await page.$$eval('#panel-attention .app', (a) => a.length)).toBe(options);
    // each row of attention probabilities sums to 1
    const rowSums = await page.$$eval('#panel-attention .heatmap .cell', (cells) =>
      cells.map((c) => Number(/: ([\d.]+)$/.exec(c.getAttribute('title') ?? '')?.[1] ?? 'NaN')),
    );
    for (let r = 0; r < n; r++) expect(rowSums.slice(r * n, (r + 1) * n).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    await page.selectOption('#panel-attention select[name=head]', '1');
    expect(await page.$$eval('#panel-attention .heatmap .cell', (c) => c.length)).toBe(n * n);
    await shot(page, 'attention', '#panel-attention');
  });

  it('fine-tunes in the worker: the loss falls, the model classifies, the folder downloads', async () => {
    await page.click('#panel-fine-tune button.load-sst2');
    await page.waitForFunction(
      () => (document.querySelector('#panel-fine-tune textarea') as HTMLTextAreaElement).value.length > 100,
    );
    await page.fill('#panel-fine-tune input[name=epochs]', '4');
    await page.fill('#panel-fine-tune input[name=lr]', '0.001');
    await page.click('#panel-fine-tune button.train');
    await page.waitForSelector('#panel-fine-tune .curve[data-state=done], #panel-fine-tune .curve[data-state=error]', {
      timeout: 300_000,
    });
    expect(await page.getAttribute('#panel-fine-tune .curve', 'data-state')).toBe('done');
    const losses = JSON.parse((await page.getAttribute('#panel-fine-tune .curve', 'data-losses')) ?? '[]') as number[];
    expect(losses).toHaveLength(4 * 6); // 48 sentences, batch 8, 4 epochs
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-6))).toBeLessThan(mean(losses.slice(0, 6)));
    // the raw loss (one point per update) and its moving average
    const curves = await page.$$eval('#panel-fine-tune .loss-curve polyline', (ps) =>
      ps.map((p) => [p.getAttribute('class'), (p.getAttribute('points') ?? '').split(' ').length]),
    );
    expect(curves).toEqual([
      ['line raw', losses.length],
      ['line', losses.length],
    ]);
    await page.click('#panel-fine-tune button.try');
    await page.waitForSelector('#panel-fine-tune .bars .bar');
    expect((await page.$$eval('#panel-fine-tune .bars .bar-label', (l) => l.map((x) => x.textContent))).sort()).toEqual(
      ['negative', 'positive'],
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#panel-fine-tune button.download'),
    ]);
    expect(download.suggestedFilename()).toBe('albert-fine-tuned.zip');
    const files = unzipSync(readFileSync((await download.path()) as string));
    expect(Object.keys(files).sort()).toEqual(
      ['config.json', 'model.safetensors', 'spiece.model', 'tokenizer_config.json'].map(
        (f) => `albert-fine-tuned/${f}`,
      ),
    );
    const config = JSON.parse(new TextDecoder().decode(files['albert-fine-tuned/config.json']));
    expect(config.architectures).toEqual(['AlbertForSequenceClassification']);
    expect(config.id2label).toEqual({ 0: 'negative', 1: 'positive' });
    await shot(page, 'fine-tune', '#panel-fine-tune');
  }, 420_000); // the training run may take its whole 300 s wait on a loaded machine

  describe("the default model's folder, from your disk", () => {
    let folder: string;
    let want: FillMaskCandidate[];
    const text = 'The rabbit ran down the [MASK].';

    beforeAll(async () => {
      folder = (await chooseModel('fill-mask', undefined)).model as string;
      const fill = await pipeline('fill-mask', folder, { warn: () => {} });
      want = (await fill(text, { topK: 5 })) as FillMaskCandidate[];
      fill.dispose();
    }, 120_000);

    /** Runs fill-mask on the chosen files; checks the page read exactly `files` from them and asked the server for no model. */
    async function fillMaskFromFiles(files: string[]): Promise<void> {
      await page.fill('#panel-fill-mask input[name=text]', text);
      expect(await run(page, 'fill-mask')).toBe('done');
      const bars = await page.$$eval('#panel-fill-mask .bar', (bs) =>
        bs.map((b) => [b.querySelector('.bar-label')?.textContent, b.querySelector('.bar-value')?.textContent]),
      );
      expect(bars.map(([label]) => label)).toEqual(want.map((c) => c.tokenStr));
      // the bytes of each file as the worker read it from the File objects: the folder's own sizes
      const chips = await page.$$eval('#panel-model .task-progress[data-task=fill-mask] .file-chip', (cs) =>
        cs.map((c) => [c.getAttribute('data-file'), c.getAttribute('title')]),
      );
      expect(chips.map(([f]) => f).sort()).toEqual([...files].sort());
      for (const [file, title] of chips) {
        const size = statSync(join(folder, file as string)).size;
        expect(title).toBe(`${size} of ${size} bytes`);
      }
      expect(requests.filter((p) => p.startsWith('/models/'))).toEqual([]);
    }

    it('picked with "choose a folder": fill-mask runs on its files', async () => {
      requests.length = 0;
      await page.setInputFiles('#panel-model input.folder-input', folder);
      const name = folder.replace(/\/+$/, '').split('/').pop() as string;
      await page.waitForFunction(
        (n) => document.querySelector('#panel-model .current')?.textContent?.startsWith(`Model: your folder "${n}"`),
        name,
      );
      // the whole Hugging Face folder: its tokenizer_config.json is read too
      await fillMaskFromFiles(['config.json', 'model.safetensors', 'spiece.model', 'tokenizer_config.json']);
      await shot(page, 'folder-picked', '#panel-model');
    });

    it('dropped on the page: fill-mask runs on the dropped files', async () => {
      await page.click('#panel-model button.use-default');
      await page.waitForFunction(() =>
        document.querySelector('#panel-model .current')?.textContent?.includes('default'),
      );
      requests.length = 0;
      const files = ['config.json', 'model.safetensors', 'spiece.model'];
      // a drop as the browser makes it from files dragged out of a file manager: a DataTransfer
      // holding File objects (playwright fills a detached file input to make them)
      const input = await page.evaluateHandle(() =>
        Object.assign(document.createElement('input'), { type: 'file', multiple: true }),
      );
      await input.setInputFiles(files.map((f) => join(folder, f)));
      await page.evaluate((i) => {
        const data = new DataTransfer();
        for (const f of Array.from(i.files ?? [])) data.items.add(f);
        const zone = document.querySelector('#panel-model .drop-zone') as HTMLElement;
        for (const type of ['dragenter', 'dragover', 'drop'])
          zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }, input);
      await page.waitForFunction(() =>
        document
          .querySelector('#panel-model .current')
          ?.textContent?.startsWith('Model: your files (config.json, model.safetensors, spiece.model)'),
      );
      await fillMaskFromFiles(files);
      await shot(page, 'folder-dropped', '#panel-model');
    });
  });

  it('a bad folder gives a plain error in the card, and the page stays usable', async () => {
    // config.json and model.safetensors without spiece.model
    await page.setInputFiles('#panel-model input.files-input', [
      `${FIXTURES}tiny-seqcls/config.json`,
      `${FIXTURES}tiny-seqcls/model.safetensors`,
    ]);
    await page.waitForFunction(() =>
      document.querySelector('#panel-model .current')?.textContent?.includes('your files'),
    );
    expect(await run(page, 'sentiment')).toBe('error');
    const error = await page.textContent('#panel-sentiment .error');
    expect(error).toMatch(/your model folder has no tokenizer: neither spiece\.model nor tokenizer\.json/);
    await shot(page, 'bad-folder', '#panel-sentiment');
    // a non-ALBERT config
    const bert = JSON.parse(readFileSync(`${FIXTURES}tiny-seqcls/config.json`, 'utf8'));
    const file = (name: string, path: string) => ({
      name,
      mimeType: 'application/octet-stream',
      buffer: readFileSync(path),
    });
    await page.setInputFiles('#panel-model input.files-input', [
      {
        name: 'config.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify({ ...bert, model_type: 'bert' })),
      },
      file('model.safetensors', `${FIXTURES}tiny-seqcls/model.safetensors`),
      file('spiece.model', `${FIXTURES}spiece.model`),
    ]);
    expect(await run(page, 'sentiment')).toBe('error');
    expect(await page.textContent('#panel-sentiment .error')).toMatch(/"model_type" must be "albert"/);
    // back to the default model: everything works again
    await page.click('#panel-model button.use-default');
    await page.waitForFunction(() => document.querySelector('#panel-model .current')?.textContent?.includes('default'));
    expect(await run(page, 'sentiment')).toBe('done');
    expect(await run(page, 'fill-mask')).toBe('done');
    expect(pageErrors).toEqual([]);
    await shot(page, 'page');
  });
});
