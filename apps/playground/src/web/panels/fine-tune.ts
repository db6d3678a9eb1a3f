// Fine-tuning in the browser: labelled sentences (typed, pasted, or a bundled SST-2 slice) train
// the text classifier in the worker with a live loss curve and a stop button; then try the model
// and download it as a Hugging Face folder (.zip of config.json, model.safetensors, spiece.model…).
import { zipSync } from 'fflate';
import { UsageError } from '../../errors.js';
import { errorBox, fill, h, scoreBar } from '../dom.js';
import type { TrainExample, TrainStep } from '../protocol.js';
import { field, lines, type PanelContext } from './card.js';
import { lossCurve } from './loss-curve.js';

/** "label<TAB>sentence" lines, or SST-2's "sentence<TAB>0|1"; a header line is skipped. */
export function parseExamples(text: string): TrainExample[] {
  const out: TrainExample[] = [];
  for (const [k, line] of lines(text).entries()) {
    const parts = line.split('\t').map((p) => p.trim());
    if (parts.length !== 2 || parts.some((p) => p === '')) {
      throw new UsageError(`line ${k + 1} is not "label<TAB>sentence": ${JSON.stringify(line.slice(0, 60))}`);
    }
    const [a = '', b = ''] = parts;
    if (k === 0 && /^sentence$/i.test(a) && /^label$/i.test(b)) continue; // SST-2's header
    if (/^[01]$/.test(b)) out.push({ text: a, label: b === '1' ? 'positive' : 'negative' });
    else out.push({ text: b, label: a });
  }
  return out;
}

function download(files: Record<string, Uint8Array>, name: string): void {
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([f, b]) => [`${name}/${f}`, b])), { level: 0 });
  const url = URL.createObjectURL(new Blob([zip as BlobPart], { type: 'application/zip' }));
  const a = h('a', { href: url, download: `${name}.zip` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function fineTuneCard({ client }: PanelContext): HTMLElement {
  const data = h('textarea', {
    name: 'examples',
    rows: 8,
    placeholder: 'positive\tWhat a lovely film.\nnegative\tDull and tired.',
  });
  const epochs = h('input', { name: 'epochs', type: 'number', min: 1, max: 50, value: 3 });
  const batch = h('input', { name: 'batch', type: 'number', min: 1, max: 64, value: 8 });
  const lr = h('input', { name: 'lr', type: 'number', step: 'any', min: 0, value: 3e-4 });
  const loadSlice = h('button', { type: 'button', class: 'load-sst2' }, 'Load an SST-2 slice (48 sentences)');
  const train = h('button', { type: 'button', class: 'train' }, 'Fine-tune');
  const stop = h('button', { type: 'button', class: 'stop', disabled: true }, 'Stop');
  const status = h('p', { class: 'status' });
  const curve = h('div', { class: 'curve' });
  const problems = h('div', {});
  const tryText = h('input', { name: 'try', value: 'A warm, funny and moving film.' });
  const tryButton = h('button', { type: 'button', class: 'try', disabled: true }, 'Classify with the fine-tuned model');
  const downloadButton = h(
    'button',
    { type: 'button', class: 'download', disabled: true },
    'Download the model folder (.zip)',
  );
  const tried = h('div', { class: 'bars' });

  loadSlice.addEventListener('click', async () => {
    data.value = await (await fetch('sst2-slice.tsv')).text();
  });

  train.addEventListener('click', async () => {
    fill(problems);
    fill(tried);
    let examples: TrainExample[];
    try {
      examples = parseExamples(data.value);
    } catch (err) {
      return fill(problems, errorBox(err));
    }
    const losses: number[] = [];
    train.disabled = true;
    stop.disabled = false;
    curve.dataset.state = 'training';
    status.textContent = 'Loading the model…';
    try {
      const outcome = await client.request<{ steps: number; reason: string; losses: number[] }>(
        {
          type: 'train',
          request: {
            examples,
            epochs: Number(epochs.value),
            batchSize: Number(batch.value),
            learningRate: Number(lr.value),
            seed: 1,
          },
        },
        {
          onStep: (s: TrainStep) => {
            losses.push(s.loss);
            fill(curve, lossCurve(losses, s.maxSteps));
            status.textContent = `Update ${s.step} of ${s.maxSteps}: loss ${s.loss.toFixed(4)}, learning rate ${s.learningRate.toExponential(2)}`;
          },
        },
      );
      const first = outcome.losses[0];
      const last = outcome.losses.at(-1);
      status.textContent =
        `${outcome.reason === 'stopped' ? 'Stopped' : 'Done'} after ${outcome.steps} updates` +
        (first != null && last != null ? `: loss ${first.toFixed(4)} → ${last.toFixed(4)}.` : '.');
      curve.dataset.state = 'done';
      curve.dataset.losses = JSON.stringify(outcome.losses);
      tryButton.disabled = false;
      downloadButton.disabled = false;
    } catch (err) {
      fill(problems, errorBox(err));
      curve.dataset.state = 'error';
      status.textContent = '';
    } finally {
      train.disabled = false;
      stop.disabled = true;
    }
  });
  stop.addEventListener('click', () => void client.request({ type: 'stop-training' }));
  tryButton.addEventListener('click', async () => {
    try {
      const [labels] = await client.request<{ label: string; score: number }[][]>({
        type: 'try-trained',
        texts: [tryText.value],
      });
      fill(tried, ...(labels ?? []).map((l, k) => scoreBar(l.label, l.score, k === 0)));
    } catch (err) {
      fill(tried, errorBox(err));
    }
  });
  downloadButton.addEventListener('click', async () => {
    try {
      download(await client.request<Record<string, Uint8Array>>({ type: 'trained-files' }), 'albert-fine-tuned');
    } catch (err) {
      fill(problems, errorBox(err));
    }
  });

  return h(
    'section',
    { class: 'card wide', id: 'panel-fine-tune' },
    h('h2', {}, 'Fine-tune in your browser'),
    h(
      'p',
      { class: 'blurb' },
      'Train the sentiment classifier on your own labelled sentences, right here: a Web Worker runs @albert-ts/training (AdamW, warmup then linear decay). One "label<TAB>sentence" per line.',
    ),
    field('Labelled sentences', data),
    h('div', { class: 'row' }, field('Epochs', epochs), field('Batch size', batch), field('Peak learning rate', lr)),
    h('div', { class: 'actions' }, loadSlice, train, stop),
    problems,
    status,
    curve,
    h('div', { class: 'row try-row' }, field('Try it', tryText), tryButton, downloadButton),
    tried,
  );
}
