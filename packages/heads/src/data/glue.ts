// GLUE's TSV files, in the layouts GLUE distributes them (the same columns Hugging Face's GLUE
// processors read): one header line (CoLA's train/dev files have none), tab-separated fields, no
// quoting (a `"` is an ordinary character). Labels become ids in the order Hugging Face `datasets`
// names them, which is what run_glue.py trains with.

import { type DataLocation, TaskDataError } from './errors.js';
import { show, splitLines, stripBom } from './text.js';

export type GlueTask = 'cola' | 'sst2' | 'mrpc' | 'stsb' | 'qqp' | 'mnli' | 'qnli' | 'rte' | 'wnli';

export type GlueLayout = {
  /** column names of train/dev files; `null` when the file has no header (CoLA) */
  header: readonly string[] | null;
  /** the columns read, by header name (test files have the text columns but no label) */
  textA: string;
  textB: string | null;
  label: string;
  id: string | null;
  /** the label strings in the file, in id order; `null` for regression (STS-B) */
  fileLabels: readonly string[] | null;
  /** Hugging Face `datasets` label names (id2label), in id order */
  labelNames: readonly string[] | null;
};

const BINARY = ['0', '1'] as const;
const NLI2 = ['entailment', 'not_entailment'] as const;

/** Column layouts of the nine GLUE tasks (GLUE's own files; checked against the headers of the GLUE files the tests use). */
export const GLUE_LAYOUTS: Readonly<Record<GlueTask, GlueLayout>> = {
  // no header: source, label, original label ('*' or empty), sentence
  cola: {
    header: null,
    textA: 'sentence',
    textB: null,
    label: 'label',
    id: null,
    fileLabels: BINARY,
    labelNames: ['unacceptable', 'acceptable'],
  },
  sst2: {
    header: ['sentence', 'label'],
    textA: 'sentence',
    textB: null,
    label: 'label',
    id: null,
    fileLabels: BINARY,
    labelNames: ['negative', 'positive'],
  },
  mrpc: {
    header: ['Quality', '#1 ID', '#2 ID', '#1 String', '#2 String'],
    textA: '#1 String',
    textB: '#2 String',
    label: 'Quality',
    id: null,
    fileLabels: BINARY,
    labelNames: ['not_equivalent', 'equivalent'],
  },
  stsb: {
    header: [
      'index',
      'genre',
      'filename',
      'year',
      'old_index',
      'source1',
      'source2',
      'sentence1',
      'sentence2',
      'score',
    ],
    textA: 'sentence1',
    textB: 'sentence2',
    label: 'score',
    id: 'index',
    fileLabels: null,
    labelNames: null,
  },
  qqp: {
    header: ['id', 'qid1', 'qid2', 'question1', 'question2', 'is_duplicate'],
    textA: 'question1',
    textB: 'question2',
    label: 'is_duplicate',
    id: 'id',
    fileLabels: BINARY,
    labelNames: ['not_duplicate', 'duplicate'],
  },
  // train: ... sentence1, sentence2, label1, gold_label; dev: label1..label5, gold_label
  mnli: {
    header: [
      'index',
      'promptID',
      'pairID',
      'genre',
      'sentence1_binary_parse',
      'sentence2_binary_parse',
      'sentence1_parse',
      'sentence2_parse',
      'sentence1',
      'sentence2',
      'label1',
      'gold_label',
    ],
    textA: 'sentence1',
    textB: 'sentence2',
    label: 'gold_label',
    id: 'index',
    fileLabels: ['entailment', 'neutral', 'contradiction'],
    labelNames: ['entailment', 'neutral', 'contradiction'],
  },
  qnli: {
    header: ['index', 'question', 'sentence', 'label'],
    textA: 'question',
    textB: 'sentence',
    label: 'label',
    id: 'index',
    fileLabels: NLI2,
    labelNames: NLI2,
  },
  rte: {
    header: ['index', 'sentence1', 'sentence2', 'label'],
    textA: 'sentence1',
    textB: 'sentence2',
    label: 'label',
    id: 'index',
    fileLabels: NLI2,
    labelNames: NLI2,
  },
  wnli: {
    header: ['index', 'sentence1', 'sentence2', 'label'],
    textA: 'sentence1',
    textB: 'sentence2',
    label: 'label',
    id: 'index',
    fileLabels: BINARY,
    labelNames: ['not_entailment', 'entailment'],
  },
};

/** CoLA's columns when the file has no header. */
const COLA_COLUMNS = ['source', 'label', 'label_original', 'sentence'];

export type GlueExample = {
  /** the id/index column, or the 1-based line number when the file has none */
  id: string;
  textA: string;
  textB: string | null;
  /** class id (classification), the score (STS-B), or null in a test file (no label column) */
  label: number | null;
  /** 1-based line of the row in the file */
  line: number;
};

export type GlueData = {
  task: GlueTask;
  examples: GlueExample[];
  /** id2label for classification tasks, null for STS-B */
  labelNames: readonly string[] | null;
  /** rows left out with onBadRow: 'skip' */
  skipped: (DataLocation & { reason: string })[];
};

export type GlueReadOptions = {
  /** the file name used in error messages (default '<glue>') */
  file?: string;
  /** what a row with the wrong number of fields or a bad label does: throw (default) or be skipped and reported */
  onBadRow?: 'error' | 'skip';
};

/** Reads a GLUE TSV file's text (train, dev or test split; a test file's rows have no label). */
export function readGlueTsv(text: string, task: GlueTask, options: GlueReadOptions = {}): GlueData {
  const file = options.file ?? '<glue>';
  const layout = GLUE_LAYOUTS[task];
  if (layout === undefined) {
    throw new TaskDataError(
      { file, line: 1, column: 1 },
      `unknown GLUE task ${show(task)}; use one of ${Object.keys(GLUE_LAYOUTS).join(', ')}`,
    );
  }
  const lines = splitLines(stripBom(text));
  let columns: string[];
  let first = 0;
  if (layout.header === null && lines[0] !== 'index\tsentence') columns = COLA_COLUMNS;
  else {
    if (lines.length === 0) throw new TaskDataError({ file, line: 1, column: 1 }, 'empty file: expected a header line');
    columns = (lines[0] as string).split('\t');
    first = 1;
  }
  const at = (line: number, fields: string[], k: number): DataLocation => {
    let column = 1;
    for (let j = 0; j < k && j < fields.length; j++) column += (fields[j] as string).length + 1;
    return { file, line, column };
  };
  const find = (name: string, required: boolean): number => {
    const k = columns.indexOf(name);
    if (k < 0 && required) {
      const expected = layout.header === null ? COLA_COLUMNS : layout.header;
      throw new TaskDataError(
        { file, line: 1, column: 1 },
        `the ${task} header has no column ${show(name)}; expected GLUE's ${task} layout (${expected.join(' | ')}), got ${show(columns.join(' | '))}`,
      );
    }
    return k;
  };
  const kA = find(layout.textA, true);
  const kB = layout.textB === null ? -1 : find(layout.textB, true);
  const kLabel = find(layout.label, false); // absent in test files
  const kId = columns.indexOf(layout.id ?? 'index'); // test files have an index column
  const fileLabels = layout.fileLabels;

  const examples: GlueExample[] = [];
  const skipped: GlueData['skipped'] = [];
  for (let i = first; i < lines.length; i++) {
    const row = lines[i] as string;
    const line = i + 1;
    if (row.length === 0) continue;
    const fields = row.split('\t');
    const bad = (where: DataLocation, reason: string): void => {
      if (options.onBadRow === 'skip') skipped.push({ ...where, reason });
      else throw new TaskDataError(where, reason);
    };
    if (fields.length !== columns.length) {
      bad(
        // too few: where the line ends; too many: where the first extra field starts
        fields.length < columns.length ? { file, line, column: row.length + 1 } : at(line, fields, columns.length),
        `expected ${columns.length} tab-separated fields (${columns.join(' | ')}), got ${fields.length}`,
      );
      continue;
    }
    let label: number | null = null;
    if (kLabel >= 0) {
      const raw = fields[kLabel] as string;
      if (fileLabels === null) {
        label = raw.trim() === '' ? Number.NaN : Number(raw);
        if (!Number.isFinite(label)) {
          bad(at(line, fields, kLabel), `expected a number in column ${show(layout.label)}, got ${show(raw)}`);
          continue;
        }
      } else {
        label = fileLabels.indexOf(raw);
        if (label < 0) {
          bad(
            at(line, fields, kLabel),
            `expected a ${task} label (${fileLabels.join(', ')}) in column ${show(layout.label)}, got ${show(raw)}`,
          );
          continue;
        }
      }
    }
    examples.push({
      id: kId >= 0 ? (fields[kId] as string) : String(line),
      textA: fields[kA] as string,
      textB: kB >= 0 ? (fields[kB] as string) : null,
      label,
      line,
    });
  }
  return { task, examples, labelNames: layout.labelNames, skipped };
}
