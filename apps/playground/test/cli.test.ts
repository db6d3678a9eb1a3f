// The built `albert` binary, run as a user runs it: every command on the fixture models (--json and
// tables), stdin batches, the default-model fallback, and clear errors for bad model folders.
// Expected values: the in-process pipelines on the same backend (themselves checked against Hugging
// Face in albert-ts's tests), Hugging Face's tokenizers for `tokenize`, and the shared fixtures'
// parameter counts for `info`.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Answer,
  defaultModelFor,
  type FillMaskCandidate,
  initBackend,
  type LabelScore,
  pipeline,
} from 'albert-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, FIXTURES, jsonLines, runCli } from './helpers/run-cli.js';

const CPU = ['--backend', 'cpu'];

beforeAll(async () => {
  buildApp();
  await initBackend({ prefer: 'cpu' });
}, 600_000);

describe('albert <task> on the fixture models', () => {
  it('fill-mask --json gives the pipeline top-k for the mask', async () => {
    const text = 'Alice was very [MASK] of sitting by her sister.';
    const r = await runCli(['fill-mask', text, '-k', '4', '--model', `${FIXTURES}tiny-pretraining`, '--json', ...CPU]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [line] = jsonLines<{ input: string; output: FillMaskCandidate[] }>(r.stdout);
    const fill = await pipeline('fill-mask', `${FIXTURES}tiny-pretraining`);
    const want = (await fill(text, { topK: 4 })) as FillMaskCandidate[];
    fill.dispose();
    expect(line?.input).toBe(text);
    expect(line?.output.map((c) => c.token)).toEqual(want.map((c) => c.token));
    for (const [k, c] of (line?.output ?? []).entries()) expect(c.score).toBeCloseTo(want[k]?.score as number, 6);
  });

  it('fill-mask prints a table of candidates with scores', async () => {
    const r = await runCli([
      'fill-mask',
      'The [MASK] ran.',
      '-k',
      '3',
      '--model',
      `${FIXTURES}tiny-pretraining`,
      ...CPU,
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('The [MASK] ran.');
    expect(lines[1]).toMatch(/^#\s+token\s+score/);
    expect(lines.slice(3)).toHaveLength(3);
    for (const [k, l] of lines.slice(3).entries()) expect(l).toMatch(new RegExp(`^${k + 1}\\s+\\S+\\s+0\\.\\d{4}`));
  });

  it('classify reads stdin lines and returns every label, as the pipeline does', async () => {
    const texts = ['What a lovely day!', 'Not good at all.', 'It was fine.'];
    const r = await runCli(
      ['classify', '--model', `${FIXTURES}tiny-seqcls`, '--json', ...CPU],
      `${texts.join('\n')}\n\n`,
    );
    expect(r.code).toBe(0);
    const lines = jsonLines<{ input: string; output: LabelScore[] }>(r.stdout);
    const classify = await pipeline('text-classification', `${FIXTURES}tiny-seqcls`);
    const want = (await classify(texts, { topK: null })) as LabelScore[][];
    classify.dispose();
    expect(lines.map((l) => l.input)).toEqual(texts);
    lines.forEach((l, i) => {
      expect(l.output.map((s) => s.label)).toEqual(want[i]?.map((s) => s.label));
      for (const [k, s] of l.output.entries()) expect(s.score).toBeCloseTo(want[i]?.[k]?.score as number, 6);
    });
  });

  it('qa answers with a span whose offsets slice the context to the answer', async () => {
    const context = 'Alice followed the White Rabbit down the rabbit-hole.';
    const r = await runCli([
      'qa',
      '--context',
      context,
      '-q',
      'Who followed the rabbit?',
      'Where?',
      '--model',
      `${FIXTURES}tiny-qa`,
      '--json',
      ...CPU,
    ]);
    expect(r.code).toBe(0);
    const lines = jsonLines<{ input: string; output: Answer }>(r.stdout);
    expect(lines.map((l) => l.input)).toEqual(['Who followed the rabbit?', 'Where?']);
    const qa = await pipeline('question-answering', `${FIXTURES}tiny-qa`);
    for (const l of lines) {
      expect(context.slice(l.output.start, l.output.end)).toBe(l.output.answer);
      const want = (await qa({ question: l.input, context })) as Answer;
      expect([l.output.start, l.output.end]).toEqual([want.start, want.end]);
    }
    qa.dispose();
    const human = await runCli(['qa', '--context', context, '-q', 'Who?', '--model', `${FIXTURES}tiny-qa`, ...CPU]);
    expect(human.stdout).toContain('»');
    expect(human.stdout).toContain('«');
  });

  it('ner gives entities whose offsets slice the text to the entity', async () => {
    const text = 'Alice met the Queen of Hearts in Wonderland.';
    const r = await runCli(['ner', text, '--model', `${FIXTURES}tiny-ner`, '--json', ...CPU]);
    expect(r.code).toBe(0);
    const [line] = jsonLines<{ output: { entityGroup: string; word: string; start: number; end: number }[] }>(r.stdout);
    const ner = await pipeline('token-classification', `${FIXTURES}tiny-ner`, { aggregationStrategy: 'simple' });
    const want = await ner(text);
    ner.dispose();
    expect(line?.output.map((e) => [e.entityGroup, e.start, e.end])).toEqual(
      want.map((e) => ['entityGroup' in e ? e.entityGroup : '', e.start, e.end]),
    );
    for (const e of line?.output ?? []) expect(text.slice(e.start, e.end)).toBe(e.word);
  });

  it('choose scores every choice (sum 1) and marks the best; stdin takes tab-separated lines', async () => {
    const r = await runCli(
      ['choose', '--model', `${FIXTURES}tiny-mc`, '--json', ...CPU],
      'Where did the rabbit go?\tdown a hole\tup a tree\tinto a teapot\n',
    );
    expect(r.code).toBe(0);
    const [line] = jsonLines<{ output: { answer: string; index: number; scores: number[] } }>(r.stdout);
    const choose = await pipeline('multiple-choice', `${FIXTURES}tiny-mc`);
    const want = await choose({
      prompt: 'Where did the rabbit go?',
      choices: ['down a hole', 'up a tree', 'into a teapot'],
    });
    choose.dispose();
    expect(line?.output.index).toBe(want.index);
    for (const [k, s] of (line?.output.scores ?? []).entries()) expect(s).toBeCloseTo(want.scores[k] as number, 6);
  });

  it('embed gives a mean-pooled unit vector of the hidden size', async () => {
    const r = await runCli([
      'embed',
      'a rabbit',
      '--normalize',
      '--model',
      `${FIXTURES}tiny-pretraining`,
      '--json',
      ...CPU,
    ]);
    expect(r.code).toBe(0);
    const [line] = jsonLines<{ output: { dims: number[]; data: number[] } }>(r.stdout);
    expect(line?.output.dims).toEqual([32]);
    expect(Math.hypot(...(line?.output.data ?? []))).toBeCloseTo(1, 5);
  });

  it('similarity: a sentence has cosine 1 with itself', async () => {
    const r = await runCli([
      'similarity',
      'a rabbit in a hole',
      'a rabbit in a hole',
      'the queen of hearts',
      '--model',
      `${FIXTURES}tiny-pretraining`,
      '--json',
      ...CPU,
    ]);
    expect(r.code).toBe(0);
    const [line] = jsonLines<{ output: number[] }>(r.stdout);
    expect(line?.output).toHaveLength(2);
    expect(line?.output[0]).toBeCloseTo(1, 5);
    expect(line?.output[1]).toBeLessThan(0.9999);
  });
});

describe('albert tokenize', () => {
  const reference = readFileSync(new URL('./fixtures/albert-30k.offsets.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as { text: string; input_ids: number[]; tokens: string[]; offsets_utf16: [number, number][] },
    );

  it("gives Hugging Face's ids, pieces and UTF-16 offsets", async () => {
    const folder = new URL('./fixtures/albert-30k', import.meta.url).pathname;
    const r = await runCli(['tokenize', '--model', folder, '--json'], reference.map((x) => x.text).join('\n'));
    expect(r.code).toBe(0);
    const lines = jsonLines<{ input: string; output: { piece: string; id: number; start: number; end: number }[] }>(
      r.stdout,
    );
    expect(lines).toHaveLength(reference.length);
    lines.forEach((line, i) => {
      const want = reference[i]!;
      expect(line.output.map((t) => t.id)).toEqual(want.input_ids);
      expect(line.output.map((t) => t.piece)).toEqual(want.tokens);
      expect(line.output.map((t) => [t.start, t.end])).toEqual(want.offsets_utf16);
    });
  });
});

describe('albert info', () => {
  it('counts the unique parameters and lays out the shared groups (tiny-groups: 6 layers × 2 inner, 2 groups)', async () => {
    const r = await runCli(['info', `${FIXTURES}tiny-groups`, '--json', ...CPU]);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as {
      architecture: string;
      parameters: { total: number; groups: number[]; unshared: number };
      groups: { group: number; applications: number[] }[];
      files: { name: string; bytes: number }[];
      backend: { backend: string };
    };
    expect(info.architecture).toBe('AlbertForMaskedLM');
    expect(info.parameters.total).toBe(47_128); // the shared fixtures' README
    expect(info.groups.map((g) => g.applications)).toEqual([
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]);
    // each group's weights run by 3 outer layers: unsharing adds 2 more copies of both groups
    const [g0 = 0, g1 = 0] = info.parameters.groups;
    expect(g0).toBe(g1);
    expect(info.parameters.unshared - info.parameters.total).toBe(2 * (g0 + g1));
    expect(info.files.find((f) => f.name === 'model.safetensors')?.bytes).toBe(
      readFileSync(`${FIXTURES}tiny-groups/model.safetensors`).length,
    );
    expect(info.backend.backend).toBe('cpu');
  });

  it('prints tables: parameters by part and the layout', async () => {
    const r = await runCli(['info', '--model', `${FIXTURES}tiny-pretraining`, ...CPU]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/total \(unique\)\s+27,103/); // the shared fixtures' README
    expect(r.stdout).toContain('4 layer applications run 1 group(s) of 1 layer(s)');
    expect(r.stdout).toMatch(/backend\s+cpu/);
  });
});

describe('the default model', () => {
  it('is used without --model (no fixture notice): @albert-ts/default-model is installed', async () => {
    expect(await defaultModelFor('fill-mask')).toMatch(/albert-gutenberg-small\/?$/);
    const r = await runCli(['classify', 'A gripping, beautifully acted film.', '--json', ...CPU]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('notice:');
    const [line] = jsonLines<{ input: string; output: LabelScore[] }>(r.stdout);
    expect(line?.output.map((l) => l.label).sort()).toEqual(['negative', 'positive']); // the SST-2 head's labels
  });
});

describe('albert serve', () => {
  it('is a command of the CLI with the server options (@albert-ts/server)', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/\n\s+serve \[options\]/);
    const r = await runCli(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--task', '--model', '--max-batch-size', '--max-batch-tokens', '--max-wait-ms']) {
      expect(r.stdout).toContain(flag);
    }
  });
});

describe('bad model folders and bad usage: one clear line, exit code 2', () => {
  let dir: string;
  const folder = (name: string, change: (path: string) => void) => {
    const path = join(dir, name);
    cpSync(`${FIXTURES}tiny-seqcls`, path, { recursive: true, dereference: true });
    change(path);
    return path;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'albert-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, (path: string) => void, RegExp][] = [
    [
      'no-spiece',
      (p) => rmSync(join(p, 'spiece.model')),
      /has no tokenizer: neither spiece\.model nor tokenizer\.json/,
    ],
    [
      'corrupt',
      (p) => writeFileSync(join(p, 'model.safetensors'), readFileSync(join(p, 'model.safetensors')).subarray(0, 5000)),
      /safetensors .*the file is truncated/,
    ],
    [
      'mismatch',
      (p) => {
        const config = JSON.parse(readFileSync(join(p, 'config.json'), 'utf8'));
        writeFileSync(join(p, 'config.json'), JSON.stringify({ ...config, hidden_size: 64 }));
      },
      /has shape \[32,16\] but parameter .* needs \[64,16\].*check config\.json against model\.safetensors/,
    ],
    [
      'bert',
      (p) => {
        const config = JSON.parse(readFileSync(join(p, 'config.json'), 'utf8'));
        writeFileSync(join(p, 'config.json'), JSON.stringify({ ...config, model_type: 'bert' }));
      },
      /"model_type" must be "albert"/,
    ],
  ];
  it.each(cases)('%s', async (name, change, message) => {
    const path = folder(name, change);
    for (const args of [['classify', 'hello'], ['info']]) {
      const r = await runCli([...args, '--model', path, ...CPU]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^albert: cannot (run text-classification on|read) the model /);
      expect(r.stderr).toContain(path);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('a folder that does not exist, a task the model does not fit, and a missing input', async () => {
    const missing = await runCli(['classify', 'hi', '--model', join(dir, 'nope'), ...CPU]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/model folder .*nope does not exist/);
    const wrong = await runCli(['classify', 'hi', '--model', `${FIXTURES}tiny-qa`, ...CPU]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /AlbertForQuestionAnswering, but text-classification needs AlbertForSequenceClassification/,
    );
    const empty = await runCli(['fill-mask', '--model', `${FIXTURES}tiny-pretraining`, ...CPU]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe(
      'albert: no text given: pass it as an argument (albert fill-mask "The capital of France is [MASK].") or pipe lines into stdin\n',
    );
    const noMask = await runCli(['fill-mask', 'no mask here', '--model', `${FIXTURES}tiny-pretraining`, ...CPU]);
    expect(noMask.code).toBe(2);
    expect(noMask.stderr).toMatch(/\[MASK\]/);
  });
});
