// Runs every code block marked `ts example` in README.md, so the documented API stays true.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const blocks = [...readme.matchAll(/```ts example\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README examples', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))(
    'example %i runs and prints what it says',
    async (i, code) => {
      // Each `console.log(...); // expected` line must print `expected` (up to a " …" or " (" comment).
      const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]!);
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
      for (const [k, want] of expected.entries())
        expect(printed[k]!.startsWith(want.split(/ …| \(/)[0]!), `${printed[k]} vs ${want}`).toBe(true);
    },
  );
});
