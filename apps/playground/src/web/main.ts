// The playground page: one worker does all the computing; the cards talk to it.
import { WorkerClient } from './client.js';
import { h } from './dom.js';
import { attentionCard } from './panels/attention.js';
import { backendCard } from './panels/backend.js';
import { fineTuneCard } from './panels/fine-tune.js';
import { modelCard } from './panels/model.js';
import { choiceCard, fillMaskCard, nerCard, qaCard, sentimentCard, similarityCard } from './panels/tasks.js';

const worker = new Worker(new URL('./worker/main.ts', import.meta.url), { type: 'module' });
const client = new WorkerClient(worker);
const ctx = { client };
const app = document.getElementById('app') as HTMLElement;

app.append(
  h(
    'header',
    {},
    h('h1', {}, 'ALBERT playground'),
    h(
      'p',
      {},
      'ALBERT ("A Lite BERT", Lan et al., ICLR 2020) running in your browser with albert-ts: every task, its attention, its shared layers, and fine-tuning — all in a Web Worker, so this page never freezes.',
    ),
  ),
  h(
    'div',
    { class: 'grid' },
    modelCard(ctx),
    backendCard(ctx, () => document.body.setAttribute('data-backend-ready', '')),
    fillMaskCard(ctx),
    sentimentCard(ctx),
    qaCard(ctx),
    nerCard(ctx),
    choiceCard(ctx),
    similarityCard(ctx),
    attentionCard(ctx),
    fineTuneCard(ctx),
  ),
  h(
    'footer',
    {},
    'albert-ts · the model math runs on @tensorflow/tfjs-core · checkpoints are Hugging Face folders (config.json, model.safetensors, spiece.model)',
  ),
);
