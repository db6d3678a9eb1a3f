// Runs every `ts example` block of the README's task-model section from the package folder; each
// `console.log(...); // expected` line must print `expected` (up to a trailing " …" or " (comment)").
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(
  readme.indexOf('<!-- begin: task models (taskbase) -->'),
  readme.indexOf('<!-- end: task models (taskbase) -->'),
);
const blocks = [...section.matchAll(/```ts example\n([\s\S]*?)```/g)].map((m) => m[1] as string);

const show = (a: unknown): string => (Array.isArray(a) ? `[${a.map(show).join(', ')}]` : String(a));

describe('README task-model examples', () => {
  beforeAll(() => process.chdir(PACKAGE));

  it('has the three examples', () => {
    expect(blocks.length).toBe(3);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))('example %i prints what it says', async (i, code) => {
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1] as string);
    const printed: string[] = [];
    const file = fileURLToPath(new URL(`./.readme-models-example-${i}.ts`, import.meta.url));
    writeFileSync(file, code.replaceAll('console.log(', 'print('), 'utf8');
    (globalThis as Record<string, unknown>).print = (...args: unknown[]) => printed.push(args.map(show).join(' '));
    try {
      await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
    } finally {
      rmSync(file, { force: true });
    }
    expect(printed).toHaveLength(expected.length);
    for (const [k, want] of expected.entries()) {
      const value = want.replace(/ \(.*\)$/, '');
      if (value.endsWith(' …'))
        expect(printed[k]!.startsWith(value.slice(0, -2)), `${printed[k]} vs ${want}`).toBe(true);
      else expect(printed[k]).toBe(value);
    }
  });
});
