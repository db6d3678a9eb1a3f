// Runs every code block marked `ts example` in README.md from this folder, so the documented API
// stays true: each `console.log(...); // expected` line must print `expected`.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@albert-ts/backends';
import { beforeAll, describe, expect, it } from 'vitest';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(`${pkg}README.md`, 'utf8');
const blocks = [...readme.matchAll(/```ts example\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe('README examples', () => {
  beforeAll(async () => {
    process.chdir(pkg); // the examples name test/fixtures/… relative to this folder
    await initBackend({ prefer: 'cpu' });
  });

  it('starts with pipeline()', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(blocks[0]).toMatch(/^import \{ pipeline \} from 'albert-ts';/);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))(
    'example %i runs and prints what it says',
    async (i, code) => {
      const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1] as string);
      const printed: string[] = [];
      const file = fileURLToPath(new URL(`./.readme-example-${i}.ts`, import.meta.url));
      writeFileSync(file, code.replaceAll('console.log(', 'print('), 'utf8');
      (globalThis as Record<string, unknown>).print = (...args: unknown[]) =>
        printed.push(args.map((a) => (Array.isArray(a) ? `[${a.join(', ')}]` : String(a))).join(' '));
      try {
        await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
      } finally {
        rmSync(file, { force: true });
      }
      expect(printed).toHaveLength(expected.length);
      for (const [k, want] of expected.entries()) expect(printed[k], `line ${k + 1}`).toBe(want);
    },
  );
});
