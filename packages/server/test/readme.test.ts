// Runs every code block marked `ts example` in README.md from this package's folder (the examples
// name test/fixtures/… relative to it), so the documented API stays true.
import { fileURLToPath } from 'node:url';
import { beforeAll } from 'vitest';
import { describeReadmeExamples } from '../../../test-utils/readme-examples.js';

beforeAll(() => {
  process.chdir(fileURLToPath(new URL('..', import.meta.url)));
});

describeReadmeExamples(new URL('../README.md', import.meta.url), new URL('./', import.meta.url), 2);
