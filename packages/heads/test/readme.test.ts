// The README's task-data, QA and metrics examples run as written and print what their comments say.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const pkg = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'albert-heads-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(block: number): string {
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('<!-- begin: task data, QA post-processing, metrics (taskdata) -->'),
    readme.indexOf('<!-- end: task data, QA post-processing, metrics (taskdata) -->'),
  );
  const code = [...section.matchAll(/```ts\n([\s\S]*?)```/g)][block]?.[1] as string;
  const script = join(dir, `example-${block}.mts`);
  writeFileSync(
    script,
    code
      .replaceAll("'@albert-ts/heads'", JSON.stringify(join(pkg, 'src/index.ts')))
      .replaceAll("'@albert-ts/tokenizer'", JSON.stringify(join(pkg, '../tokenizer/src/index.ts'))),
  );
  const r = spawnSync(process.execPath, ['--conditions=@albert-ts/source', '--import', 'tsx', script], {
    cwd: pkg,
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.replace(/\s+/g, ' ');
}

it('runs the data and features example', () => {
  const out = run(0);
  expect(out).toContain("[ [ 'it is great ', 1 ], [ 'it is not ', 0 ] ] [ 'negative', 'positive' ]");
  expect(out).toContain("[ 'B-MISC', 'B-ORG', 'B-PER', 'O' ] 2 6");
  expect(out).toContain('2 2898 12170 18 548 3 2 936 3 0 0 0');
  expect(out).toContain('-100 1 3 -100 0 -100 -100 2 -100 -100 -100 -100');
  expect(out).toContain('TaskDataError: dev.tsv:2:7: expected a sst2 label (0, 1) in column "label", got "7"');
});

it('runs the QA example', () => {
  const out = run(1);
  expect(out).toContain('4 [ [ 13, 14 ], [ 9, 10 ], [ 0, 0 ], [ 0, 0 ] ]');
  expect(out).toContain('Swiss Alps 23 33 20');
});

it('runs the metrics example', () => {
  const out = run(2);
  expect(out).toContain('0.6666666666666666 0.5');
  expect(out).toContain('-0.3333 0.8000');
  expect(out).toContain('0.9487');
  expect(out).toContain('{ exact_match: 100, f1: 100, total: 1, missing: [] }');
  expect(out).toContain('50 83.33 66.67 100');
  expect(out).toContain('1 0');
});
