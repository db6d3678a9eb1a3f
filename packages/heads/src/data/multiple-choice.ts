// Multiple-choice JSONL in the RACE layout (Hugging Face `datasets` "race": example_id, article,
// question, options, answer): one JSON object per line, the answer a letter (A = the first option).
// `context` may stand for `article`, `id` for `example_id`, and the answer may be a 0-based index.

import { type JsonPath, jsonError, parseJson } from './json-locate.js';
import { show, splitLines, stripBom } from './text.js';

export type MultipleChoiceExample = {
  id: string;
  context: string;
  question: string;
  options: string[];
  /** index of the right option, or null when the line has no answer (test data) */
  label: number | null;
  /** 1-based line in the file */
  line: number;
};

export type MultipleChoiceReadOptions = {
  /** the file name used in error messages (default '<jsonl>') */
  file?: string;
};

/** Reads RACE-like JSONL text: one question with its options per line; blank lines are skipped. */
export function readMultipleChoiceJsonl(
  text: string,
  options: MultipleChoiceReadOptions = {},
): MultipleChoiceExample[] {
  const file = options.file ?? '<jsonl>';
  const out: MultipleChoiceExample[] = [];
  const lines = splitLines(stripBom(text));
  for (let i = 0; i < lines.length; i++) {
    const row = lines[i] as string;
    if (row.trim() === '') continue;
    const line = i + 1;
    const value = parseJson(row, file, i);
    const fail = (path: JsonPath, message: string) => jsonError(row, file, path, message, i);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw fail([], `expected an object {article, question, options, answer}, got ${show(value)}`);
    }
    const o = value as Record<string, unknown>;
    const contextKey = o.article !== undefined ? 'article' : 'context';
    const context = o[contextKey];
    if (typeof context !== 'string') throw fail([contextKey], `expected the article (a string), got ${show(context)}`);
    const question = o.question;
    if (typeof question !== 'string')
      throw fail(['question'], `expected the question (a string), got ${show(question)}`);
    const opts = o.options;
    if (!Array.isArray(opts) || opts.length < 2) {
      throw fail(['options'], `expected at least two options (an array of strings), got ${show(opts)}`);
    }
    opts.forEach((x, k) => {
      if (typeof x !== 'string') throw fail(['options', k], `expected an option (a string), got ${show(x)}`);
    });
    let label: number | null = null;
    const answer = o.answer;
    if (answer !== undefined && answer !== null) {
      if (typeof answer === 'string' && /^[A-Z]$/.test(answer)) label = answer.charCodeAt(0) - 65;
      else if (typeof answer === 'number' && Number.isInteger(answer)) label = answer;
      if (label === null || label < 0 || label >= opts.length) {
        const last = String.fromCharCode(64 + opts.length);
        throw fail(
          ['answer'],
          `expected an answer letter A..${last} (or an index 0..${opts.length - 1}), got ${show(answer)}`,
        );
      }
    }
    const idKey = o.example_id !== undefined ? 'example_id' : 'id';
    const id = o[idKey];
    if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') {
      throw fail([idKey], `expected an id (a string or number), got ${show(id)}`);
    }
    out.push({
      id: id === undefined ? String(line) : String(id),
      context,
      question,
      options: opts as string[],
      label,
      line,
    });
  }
  return out;
}
