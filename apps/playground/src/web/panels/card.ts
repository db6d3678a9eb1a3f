// One task card: a title, a line saying what it shows, its inputs, a run button, and an output area
// that shows a result, a progress line while the model loads, or an error in plain words. The page
// stays usable whatever happens in one card.
import type { WorkerClient } from '../client.js';
import { errorBox, fill, h } from '../dom.js';

export interface PanelContext {
  client: WorkerClient;
}

export interface CardOptions {
  id: string;
  title: string;
  blurb: string;
  controls: HTMLElement[];
  button?: string;
  /** Computes the output; `status` shows a line while it works. */
  run: (status: (line: string) => void) => Promise<Node>;
}

export function taskCard(o: CardOptions): HTMLElement {
  const output = h('div', { class: 'output', 'aria-live': 'polite' });
  const button = h('button', { class: 'run', type: 'submit' }, o.button ?? 'Run');
  const form = h('form', {}, ...o.controls, h('div', { class: 'actions' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    const status = (line: string) => fill(output, h('p', { class: 'status' }, line));
    status('Working…');
    const started = performance.now();
    try {
      const result = await o.run(status);
      const ms = performance.now() - started;
      fill(
        output,
        result,
        h('p', { class: 'timing' }, `${ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`}`),
      );
      output.dataset.state = 'done';
    } catch (err) {
      fill(output, errorBox(err));
      output.dataset.state = 'error';
    } finally {
      button.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'card', id: o.id },
    h('h2', {}, o.title),
    h('p', { class: 'blurb' }, o.blurb),
    form,
    output,
  );
}

/** A labelled input or textarea. */
export function field(label: string, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), control);
}

/** Non-empty lines of a textarea. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** A status callback that shows model-loading progress from the worker. */
export function loadingStatus(status: (line: string) => void) {
  return {
    onProgress: (task: string, p: { file: string; loaded: number; total?: number }) =>
      status(
        `Loading the ${task} model: ${p.file} ${p.total ? `${Math.round((100 * p.loaded) / p.total)}%` : `${p.loaded} bytes`}`,
      ),
  };
}
