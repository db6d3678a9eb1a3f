// Runs every ```ts example block of a package README from the package folder: each
// `console.log(...); // expected` line must print `expected` (arrays as [a, b], objects as { k: v }).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const show = (a: unknown): string =>
  Array.isArray(a)
    ? `[${a.map(show).join(', ')}]`
    : a != null && typeof a === 'object'
      ? `{ ${Object.entries(a)
          .map(([k, v]) => `${k}: ${show(v)}`)
          .join(', ')} }`
      : String(a);

/** `packageUrl`: the package folder (new URL('../', import.meta.url) from its test/). */
export function readmeExamples(packageUrl: URL, count: number, setup?: () => Promise<unknown>): void {
  const readme = readFileSync(new URL('README.md', packageUrl), 'utf8');
  const blocks = [...readme.matchAll(/```ts example\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  describe('README examples', () => {
    beforeAll(async () => {
      process.chdir(fileURLToPath(packageUrl));
      await setup?.();
    });

    it(`has ${count} examples`, () => {
      expect(blocks.length).toBe(count);
    });

    it.each(blocks.map((code, i) => [i + 1, code] as const))('example %i prints what it says', async (i, code) => {
      const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1] as string);
      const printed: string[] = [];
      const file = fileURLToPath(new URL(`test/.readme-example-${i}.ts`, packageUrl));
      writeFileSync(file, code.replaceAll('console.log(', 'print('), 'utf8');
      (globalThis as Record<string, unknown>).print = (...args: unknown[]) => printed.push(args.map(show).join(' '));
      try {
        await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
      } finally {
        rmSync(file, { force: true });
      }
      expect(printed).toEqual(expected);
    });
  });
}
