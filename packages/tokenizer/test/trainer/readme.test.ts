// The README's "Training a tokenizer" example runs as written (with corpus.txt = the test corpus).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseModelProto } from '../../src/model/model-proto.js';

const pkg = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'albert-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs the README training example', () => {
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Training a tokenizer'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code).toBeDefined();
  copyFileSync(join(pkg, 'test/fixtures/trainer/gutenberg-slice.txt'), join(dir, 'corpus.txt'));
  const script = join(dir, 'example.mts');
  writeFileSync(
    script,
    `process.chdir(${JSON.stringify(dir)});\n${(code as string).replaceAll("'@albert-ts/tokenizer'", JSON.stringify(join(pkg, 'src/index.ts')))}`,
  );
  const r = spawnSync(process.execPath, ['--conditions=@albert-ts/source', '--import', 'tsx', script], {
    cwd: pkg,
    encoding: 'utf8',
  });
  expect(r.stderr).toMatch(/^read /m);
  expect(r.status).toBe(0);
  // sentences (non-empty lines, as spm_train counts them), seed pieces, coverage
  const sentences = readFileSync(join(dir, 'corpus.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0).length;
  expect(r.stdout).toMatch(new RegExp(`^${sentences} \\d+ 0\\.999`, 'm'));
  expect(r.stdout).toContain("'▁dog'");
  expect(r.stdout).toContain("'('");
  expect(parseModelProto(readFileSync(join(dir, 'my.model'))).pieces).toHaveLength(1000);
});
