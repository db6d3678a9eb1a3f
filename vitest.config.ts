// One vitest run over every package and app: `pnpm test` (after typecheck) or `pnpm vitest`.
// Workspace imports resolve to each package's src/, so tests never need a build first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const dirs = ['packages', 'apps'].flatMap((group) =>
  readdirSync(`${root}${group}`)
    .filter((name) => existsSync(`${root}${group}/${name}/package.json`))
    .map((name) => `${group}/${name}`),
);

const alias = [
  { find: /^albert-ts$/, replacement: `${root}packages/albert/src/index.ts` },
  {
    find: /^@albert-ts\/(common|tokenizer|core|pretraining|heads|training|backends|default-model|server)$/,
    replacement: `${root}packages/$1/src/index.ts`,
  },
];

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: `${root}.vitest/report.json` },
    projects: dirs.map((dir) => ({
      resolve: { alias },
      test: {
        name: JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8')).name as string,
        root: `${root}${dir}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 120_000,
        hookTimeout: 120_000,
        pool: 'forks',
      },
    })),
  },
});
