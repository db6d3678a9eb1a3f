// The README's first two examples run as written and print what their comments say.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const pkg = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'albert-tokenizer-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(block: number): string {
  const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
  const code = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)][block]?.[1] as string;
  const script = join(dir, `example-${block}.mts`);
  writeFileSync(script, code.replaceAll("'@albert-ts/tokenizer'", JSON.stringify(join(pkg, 'src/index.ts'))));
  const r = spawnSync(process.execPath, ['--conditions=@albert-ts/source', '--import', 'tsx', script], {
    cwd: pkg,
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.replace(/\s+/g, ' ');
}

it('runs the Quick start example', () => {
  const out = run(0);
  expect(out).toContain("'▁1,000', '▁cre', 'pes', '▁', '—', '▁', '“', 'na', 'ive', 'ly', '”', '!' ]");
  expect(out).toContain('"The" " Café" " sold" " 1,000" " crê" "pes" " " "—" " " "“" "na" "ïve" "ly" "”" "!"');
  expect(out).toContain('the cafe sold 1,000 crepes naively!');
  expect(out).toContain('48 4 [ 0, 0, 0, 0, 0, 0, 0, 1, 1, 1 ]');
  expect(out).toContain("[ '111110000000', '111111111111' ]");
});

it('runs the model-file / tokenizer.json / pool example', () => {
  const out = run(1);
  expect(out).toContain('30000 nmt_nfkc true');
  expect(out).toContain("[ '▁', 'H', 'ello', '▁', 'W', 'or', 'ld' ]");
  expect(out).toContain("▁Hello▁fi [ [ '▁hello' ], [ '▁', 'hello' ] ]");
  expect(out).toContain("[ '▁u', '.', '▁', 's', '.', '▁a', '.' ]");
  expect(out).toContain('1000 [ 2, 5123, 234, 13, 23170, 3 ]');
});
