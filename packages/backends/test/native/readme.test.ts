// The README's native-backend example (fenced as `ts native`) runs as written and prints
// what its comments say.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts native\n([\s\S]*?)```/g)].map((m) => m[1] as string);

it('the native example runs and prints what it says', () => {
  expect(blocks).toHaveLength(1);
  const out = spawnSync(
    process.execPath,
    ['--conditions=@albert-ts/source', '--import', 'tsx', '--input-type=module', '-e', blocks[0] as string],
    { cwd: pkg, encoding: 'utf8' },
  );
  expect(out.stderr).toBe('');
  expect(out.status).toBe(0);
  expect(out.stdout).toBe('native true\n-1.2247 0.0000 1.2247\n');
});
