// Runs every code block marked `ts example` in README.md, so the documented API stays true.
import { describeReadmeExamples } from '../../../test-utils/readme-examples.js';

describeReadmeExamples(new URL('../README.md', import.meta.url), new URL('./', import.meta.url), 4);
