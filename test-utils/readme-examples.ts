// Runs every code block marked `ts example` in a package's README.md inside the test process, so
// the documented API stays true. Each `console.log(...); // expected` line must print `expected`
// (up to a " …" or " (" comment).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** `readme`: the README's URL; `dir`: where to write the temporary example modules; `min`: blocks expected. */
export function describeReadmeExamples(readme: URL, dir: URL, min: number): void {
  const text = readFileSync(readme, 'utf8');
  const blocks = [...text.matchAll(/```ts example\n([\s\S]*?)```/g)].map((m) => m[1]!);

  describe('README examples', () => {
    it('has examples', () => {
      expect(blocks.length).toBeGreaterThanOrEqual(min);
    });

    it.each(blocks.map((code, i) => [i + 1, code] as const))(
      'example %i runs and prints what it says',
      async (i, code) => {
        const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]!);
        const printed: string[] = [];
        const file = new URL(`./.readme-example-${i}.ts`, dir);
        writeFileSync(file, code.replaceAll('console.log(', 'print('), 'utf8');
        (globalThis as Record<string, unknown>).print = (...args: unknown[]) =>
          printed.push(args.map((a) => (Array.isArray(a) ? `[${a.join(', ')}]` : String(a))).join(' '));
        try {
          await import(/* @vite-ignore */ `${file.href}?t=${Date.now()}`);
        } finally {
          rmSync(file, { force: true });
        }
        expect(printed).toHaveLength(expected.length);
        for (const [k, want] of expected.entries())
          expect(printed[k]!.startsWith(want.split(/ …| \(/)[0]!), `${printed[k]} vs ${want}`).toBe(true);
      },
    );
  });
}
