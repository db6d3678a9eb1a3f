// Runs the README's examples (test-utils/readme-examples.ts) from the package folder.
import { fileURLToPath } from 'node:url';
import { initBackend } from '@albert-ts/backends';
import { beforeAll } from 'vitest';
import { describeReadmeExamples } from '../../../test-utils/readme-examples.js';

beforeAll(async () => {
  process.chdir(fileURLToPath(new URL('../', import.meta.url)));
  await initBackend({ quiet: true });
});

describeReadmeExamples(new URL('../README.md', import.meta.url), new URL('./', import.meta.url), 7);
