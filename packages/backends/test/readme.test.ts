// The README's TypeScript examples run as written (each in its own Node process, importing
// the package by name) and print what their comments say.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);

function run(code: string): { stdout: string; stderr: string; status: number | null } {
  return spawnSync(
    process.execPath,
    ['--conditions=@albert-ts/source', '--import', 'tsx', '--input-type=module', '-e', code],
    { cwd: pkg, encoding: 'utf8', env: { ...process.env, ALBERT_TS_BACKENDS: '' } },
  );
}

describe('README examples', () => {
  it('has four TypeScript examples', () => {
    expect(blocks.length).toBe(4);
  });

  it.each(blocks.map((b, i) => [i, b] as const))('example %i runs', (i, code) => {
    const out = run(code);
    expect(out.stderr.replace(/^\[albert-ts\].*\n/m, '')).toBe('');
    expect(out.status).toBe(0);
    const expected: Record<number, RegExp> = {
      0: /^(native|wasm|cpu) \(/,
      1: /^wasm simd128 1\ncpu not available on Node.js in this build; register one with registerBackendProvider\('webgpu', …\)\ncpu\n$/,
      2: /^\[ 'cpu', 'wasm' \]\n$/,
      3: /^true -10000\n0\n$/,
    };
    expect(out.stdout).toMatch(expected[i] as RegExp);
  });
});
