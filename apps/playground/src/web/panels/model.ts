// The model card: the embedded default model (served by the page's server), a folder picked or
// dropped on the page, or a URL / hub id; and the bytes of each file as the worker loads it.
import { UsageError } from '../../errors.js';
import { errorBox, fill, h } from '../dom.js';
import type { LoadEvent, ModelSpec } from '../protocol.js';
import type { PanelContext } from './card.js';

type Catalog = Record<string, { url: string; fixture: boolean; name: string }>;

/** Files of a dropped folder (its top level, and its name) or of dropped files (name ''). */
async function droppedFiles(data: DataTransfer): Promise<{ name: string; files: File[] }> {
  const entries = Array.from(data.items)
    .map((i) => i.webkitGetAsEntry?.())
    .filter((e) => e != null);
  const dir = entries.find((e) => e.isDirectory) as FileSystemDirectoryEntry | undefined;
  if (dir == null) return { name: '', files: Array.from(data.files) };
  const children = await new Promise<FileSystemEntry[]>((resolve, reject) =>
    dir.createReader().readEntries(resolve, reject),
  );
  const files = await Promise.all(
    children
      .filter((c): c is FileSystemFileEntry => c.isFile)
      .map((c) => new Promise<File>((resolve, reject) => c.file(resolve, reject))),
  );
  return { name: dir.name, files };
}

function fileChip(p: LoadEvent): HTMLElement {
  const pct = p.total ? (100 * p.loaded) / p.total : 0;
  const kib = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);
  return h(
    'span',
    {
      class: `file-chip${pct >= 100 ? ' done' : ''}`,
      'data-file': p.file,
      title: `${p.loaded} of ${p.total ?? '?'} bytes`,
    },
    h('span', { class: 'file-name' }, p.file),
    h('progress', { max: 100, value: pct.toFixed(0) }),
    h('span', { class: 'file-bytes' }, p.total ? kib(p.total) : kib(p.loaded)),
  );
}

export function modelCard({ client }: PanelContext): HTMLElement {
  const current = h('p', { class: 'current' }, 'Model: the default model.');
  const notice = h('div', { class: 'notice', hidden: true });
  const problems = h('div', { class: 'problems' });
  const progress = h('div', { class: 'progress-list' });
  const rows = new Map<string, HTMLElement>(); // task → its row of file chips
  const chips = new Map<string, HTMLElement>(); // task/file → chip

  client.global.onProgress = (task, p) => {
    let row = rows.get(task); // the task's chips (wrapping beside its name)
    if (row == null) {
      row = h('span', { class: 'chips' });
      progress.append(
        h('div', { class: 'task-progress', 'data-task': task }, h('span', { class: 'task-name' }, task), row),
      );
      rows.set(task, row);
    }
    const key = `${task}/${p.file}`;
    const chip = fileChip(p);
    const old = chips.get(key);
    if (old) old.replaceWith(chip);
    else row.append(chip);
    chips.set(key, chip);
  };

  const use = async (spec: ModelSpec, label: string) => {
    fill(problems);
    rows.clear();
    chips.clear();
    fill(progress);
    try {
      await client.request({ type: 'model', spec });
      current.textContent = `Model: ${label}. Each task loads it when it first runs.`;
      notice.hidden = spec.kind !== 'catalog' || notice.textContent === '';
    } catch (err) {
      fill(problems, errorBox(err));
    }
  };

  /** How the current-model line names picked or dropped files. */
  const describe = (name: string, files: File[]) =>
    `your ${name === '' ? 'files' : `folder "${name}"`} (${files.map((f) => f.name).join(', ')})`;
  const folderInput = h('input', { type: 'file', webkitdirectory: true, multiple: true, class: 'folder-input' });
  const filesInput = h('input', { type: 'file', multiple: true, class: 'files-input' });
  const fromInput = (input: HTMLInputElement) => () => {
    const files = Array.from(input.files ?? []);
    if (files.length === 0) return;
    const name = files[0]?.webkitRelativePath.split('/')[0] ?? '';
    void use({ kind: 'files', name, files }, describe(name, files));
  };
  folderInput.addEventListener('change', fromInput(folderInput));
  filesInput.addEventListener('change', fromInput(filesInput));

  const urlInput = h('input', { type: 'text', class: 'url-input', placeholder: 'https://…/my-albert/ or org/name' });
  const urlButton = h('button', { type: 'button', class: 'use-url' }, 'Use URL or hub id');
  urlButton.addEventListener('click', () => {
    const url = urlInput.value.trim();
    if (url === '') return fill(problems, errorBox(new UsageError('Type a URL or a hub id first.')));
    void use({ kind: 'url', url }, url);
  });
  const defaultButton = h('button', { type: 'button', class: 'use-default' }, 'Use the default model');
  defaultButton.addEventListener('click', () => void use({ kind: 'catalog' }, 'the default model'));

  const drop = h(
    'div',
    { class: 'drop-zone' },
    'Drop a model folder here (config.json, model.safetensors, spiece.model), or ',
    h('label', { class: 'pick' }, 'choose a folder', folderInput),
    ' or ',
    h('label', { class: 'pick' }, 'its files', filesInput),
    '.',
  );
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer == null) return;
    const { name, files } = await droppedFiles(e.dataTransfer);
    if (files.length === 0) return;
    void use({ kind: 'files', name, files }, describe(name, files));
  });

  // what the server offers: say when fixtures stand in for the default model
  fetch('/api/models')
    .then((r) => r.json() as Promise<Catalog>)
    .then((catalog) => {
      const fixtures = Object.entries(catalog).filter(([, m]) => m.fixture);
      if (fixtures.length === 0) return;
      notice.textContent =
        `The default model does not cover ${fixtures.length === Object.keys(catalog).length ? 'any task' : fixtures.map(([t]) => t).join(', ')}: ` +
        'those run on a tiny fixture model with random weights — the results show ALBERT working end to end, but the predictions mean nothing. ' +
        'Load a trained ALBERT folder to see real answers.';
      notice.hidden = false;
    })
    .catch(() => {});

  return h(
    'section',
    { class: 'card wide', id: 'panel-model' },
    h('h2', {}, 'Model'),
    notice,
    current,
    h('div', { class: 'model-row' }, defaultButton, h('span', { class: 'or' }, 'or'), urlInput, urlButton),
    drop,
    problems,
    h('p', { class: 'progress-title' }, 'Files loaded, per task (each task loads its model the first time it runs):'),
    progress,
  );
}
