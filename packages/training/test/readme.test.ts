// Runs every `ts example` block of README.md from the package folder; each
// `console.log(...); // expected` line must print `expected`.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@albert-ts/backends';
import { beforeAll, describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts example\n([\s\S]*?)```/g)].map((m) => m[1] as string);

const show = (a: unknown): string =>
  Array.isArray(a)
    ? `[${a.map(show).join(', ')}]`
    : a != null && typeof a === 'object'
      ? `{ ${Object.entries(a)
          .map(([k, v]) => `${k}: ${show(v)}`)
          .join(', ')} }`
      : String(a);

describe('README examples', () => {
  beforeAll(async () => {
    process.chdir(PACKAGE);
    await initBackend({ quiet: true });
  });

  it('has an example per section', () => {
    expect(blocks.length).toBe(4);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))('example %i prints what it says', async (i, code) => {
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1] as string);
    const printed: string[] = [];
    const file = fileURLToPath(new URL(`./.readme-example-${i}.ts`, import.meta.url));
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
