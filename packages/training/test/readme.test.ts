// Runs the README's examples (test-utils/readme-examples.ts).
import { initBackend } from '@albert-ts/backends';
import { readmeExamples } from '../../../test-utils/readme-examples.js';

readmeExamples(new URL('../', import.meta.url), 3, () => initBackend({ quiet: true }));
