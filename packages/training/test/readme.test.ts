// Runs the README's examples (test-utils/readme-examples.ts).
import { describeReadmeExamples } from '../../../test-utils/readme-examples.js';

describeReadmeExamples(new URL('../README.md', import.meta.url), new URL('./', import.meta.url), 3);
