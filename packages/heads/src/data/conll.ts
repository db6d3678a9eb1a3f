// CoNLL-style token files: one token per line with its tag in the last column, sentences separated
// by a blank line. WNUT-17 separates columns with a tab and some of its separator lines hold just a
// tab; CoNLL-2003 separates with spaces and marks documents with `-DOCSTART-` lines. Tags are IOB2:
// `O`, `B-TYPE`, `I-TYPE`.

import { TaskDataError } from './errors.js';
import { show, splitLines, stripBom } from './text.js';

export type TaggedSentence = {
  tokens: string[];
  tags: string[];
  /** 1-based line of the sentence's first token */
  line: number;
};

export type ConllReadOptions = {
  /** the file name used in error messages (default '<conll>') */
  file?: string;
  /** which column holds the tag: 0-based, negative counts from the end (default -1, the last) */
  tagColumn?: number;
};

const IOB2_TAG = /^(O|[BI]-.+)$/;

/** Reads CoNLL/WNUT text into sentences of tokens and IOB2 tags. */
export function readConll(text: string, options: ConllReadOptions = {}): TaggedSentence[] {
  const file = options.file ?? '<conll>';
  const tagColumn = options.tagColumn ?? -1;
  const sentences: TaggedSentence[] = [];
  let current: TaggedSentence | null = null;
  const lines = splitLines(stripBom(text));
  for (let i = 0; i < lines.length; i++) {
    const row = lines[i] as string;
    const line = i + 1;
    if (row.trim() === '' || row.startsWith('-DOCSTART-')) {
      if (current !== null) sentences.push(current);
      current = null;
      continue;
    }
    const tab = row.includes('\t');
    const fields = tab ? row.split('\t') : row.trim().split(/ +/);
    if (fields.length < 2) {
      throw new TaskDataError(
        { file, line, column: row.length + 1 },
        `expected "token<TAB>tag" (or space-separated columns with the tag last), got ${show(row)}`,
      );
    }
    const k = tagColumn < 0 ? fields.length + tagColumn : tagColumn;
    const token = fields[0] as string;
    const tag = fields[k];
    if (k <= 0 || tag === undefined) {
      throw new TaskDataError(
        { file, line, column: 1 },
        `tagColumn ${tagColumn} is outside this line's ${fields.length} columns`,
      );
    }
    if (!IOB2_TAG.test(tag)) {
      throw new TaskDataError(
        { file, line, column: fieldColumn(row, k, tab) },
        `expected an IOB2 tag (O, B-TYPE or I-TYPE), got ${show(tag)}; convert IOB1/IOBES files to IOB2 first`,
      );
    }
    if (token === '') {
      throw new TaskDataError({ file, line, column: 1 }, 'empty token: expected a token before the tag');
    }
    current ??= { tokens: [], tags: [], line };
    current.tokens.push(token);
    current.tags.push(tag);
  }
  if (current !== null) sentences.push(current);
  return sentences;
}

/** 1-based column where field k starts (tab-separated, or space-separated with leading spaces skipped). */
function fieldColumn(row: string, k: number, tab: boolean): number {
  let pos = 0;
  const skip = (space: boolean) => {
    while (pos < row.length && (row[pos] === ' ') === space) pos++;
  };
  if (!tab) skip(true);
  for (let j = 0; j < k; j++) {
    if (tab) pos = row.indexOf('\t', pos) + 1;
    else {
      skip(false);
      skip(true);
    }
  }
  return pos + 1;
}
