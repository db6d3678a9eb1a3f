// The worker script of the browser test: serves pipeline requests from the page.
import { servePipeline } from '../../src/worker/pipeline-worker.js';

servePipeline();
