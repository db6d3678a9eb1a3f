// Label maps: label string <-> class id. Built from the data the way HF run_ner.py does (the sorted
// set of labels seen), or taken from a model config's label2id / id2label.

import { TaskInputError } from './errors.js';
import { show } from './text.js';

export type LabelMap = {
  /** id2label: labels[id] */
  labels: readonly string[];
  label2id: Readonly<Record<string, number>>;
};

/** Python's sorted() on strings: by code point (JS sort compares UTF-16 units). */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** A label map from a list of labels in id order. */
export function labelMapFromList(labels: readonly string[]): LabelMap {
  const label2id: Record<string, number> = {};
  labels.forEach((l, i) => {
    if (label2id[l] !== undefined) throw new TaskInputError(`label ${show(l)} appears twice in the label list`);
    label2id[l] = i;
  });
  return { labels: [...labels], label2id };
}

/** The sorted set of every label in the data (HF run_ner.py's get_label_list). */
export function labelMapFromData(labelLists: Iterable<readonly string[]>): LabelMap {
  const seen = new Set<string>();
  for (const list of labelLists) for (const l of list) seen.add(l);
  return labelMapFromList([...seen].sort(byCodePoint));
}

/**
 * A model config's label2id (or id2label when label2id is absent): ids must be 0..n-1, each once.
 * With `data`, every label the data uses must be in the map.
 */
export function labelMapFromConfig(
  config: { label2id?: Record<string, number>; id2label?: Record<string | number, string> },
  data?: Iterable<readonly string[]>,
): LabelMap {
  let pairs: [string, number][];
  if (config.label2id !== undefined) pairs = Object.entries(config.label2id);
  else if (config.id2label !== undefined) pairs = Object.entries(config.id2label).map(([id, l]) => [l, Number(id)]);
  else throw new TaskInputError('the config has neither label2id nor id2label; build the map from the data instead');
  const labels: string[] = new Array(pairs.length);
  for (const [label, id] of pairs) {
    if (!Number.isInteger(id) || id < 0 || id >= pairs.length || labels[id] !== undefined) {
      throw new TaskInputError(
        `label ids must be 0..${pairs.length - 1}, each once; got ${show(id)} for ${show(label)}`,
      );
    }
    labels[id] = label;
  }
  const map = labelMapFromList(labels);
  if (data !== undefined) {
    const missing = new Set<string>();
    for (const list of data) for (const l of list) if (map.label2id[l] === undefined) missing.add(l);
    if (missing.size > 0) {
      throw new TaskInputError(
        `the data uses labels the config does not have: ${[...missing].map(show).join(', ')}; config labels: ${labels.join(', ')}`,
      );
    }
  }
  return map;
}
