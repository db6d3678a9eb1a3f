// SQuAD v1.1 / v2.0 JSON: {version, data: [{title, paragraphs: [{context, qas: [{id, question,
// answers: [{text, answer_start}], is_impossible?, plausible_answers?}]}]}]}, flattened to one example
// per question. Every answer is checked against its context (the text at answer_start must be the
// answer's text), as the official files guarantee.

import { type JsonPath, jsonError, parseJson } from './json-locate.js';
import { show } from './text.js';

export type SquadAnswer = { text: string; answerStart: number };

export type SquadExample = {
  id: string;
  title: string;
  context: string;
  question: string;
  /** gold answers (dev files have several, duplicates included); empty when the question has none (v2) */
  answers: SquadAnswer[];
  /** SQuAD v2: the question has no answer in the context */
  isImpossible: boolean;
  /** SQuAD v2: the answers annotators found plausible for an impossible question */
  plausibleAnswers: SquadAnswer[];
};

export type SquadData = { version: string; examples: SquadExample[] };

export type SquadReadOptions = {
  /** the file name used in error messages (default '<squad>') */
  file?: string;
  /** check that each answer's text is at answer_start in its context (default true) */
  checkAnswers?: boolean;
};

type Json = Record<string, unknown>;

/** Reads a SQuAD v1.1 or v2.0 JSON text into one example per question. */
export function readSquadJson(text: string, options: SquadReadOptions = {}): SquadData {
  const file = options.file ?? '<squad>';
  const root = parseJson(text, file);
  const fail = (path: JsonPath, message: string) => jsonError(text, file, path, message);
  const object = (v: unknown, path: JsonPath, what: string): Json => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw fail(path, `expected ${what} (an object), got ${show(v)}`);
    return v as Json;
  };
  const array = (v: unknown, path: JsonPath, what: string): unknown[] => {
    if (!Array.isArray(v)) throw fail(path, `expected ${what} (an array), got ${show(v)}`);
    return v;
  };
  const string = (v: unknown, path: JsonPath, what: string): string => {
    if (typeof v !== 'string') throw fail(path, `expected ${what} (a string), got ${show(v)}`);
    return v;
  };
  const top = object(root, [], 'the SQuAD file: {"version", "data": [...]}');
  const version = typeof top.version === 'string' ? top.version : '';
  const data = array(top.data, ['data'], 'the list of articles');
  const examples: SquadExample[] = [];
  const seen = new Set<string>();
  data.forEach((a, i) => {
    const article = object(a, ['data', i], 'an article {title, paragraphs}');
    const title = article.title === undefined ? '' : string(article.title, ['data', i, 'title'], 'the title');
    const paragraphs = array(article.paragraphs, ['data', i, 'paragraphs'], 'the paragraphs');
    paragraphs.forEach((p, j) => {
      const pPath = ['data', i, 'paragraphs', j];
      const paragraph = object(p, pPath, 'a paragraph {context, qas}');
      const context = string(paragraph.context, [...pPath, 'context'], 'the context');
      const qas = array(paragraph.qas, [...pPath, 'qas'], 'the questions');
      qas.forEach((q, k) => {
        const qPath = [...pPath, 'qas', k];
        const qa = object(q, qPath, 'a question {id, question, answers}');
        const id = string(qa.id, [...qPath, 'id'], 'the question id');
        if (seen.has(id)) throw fail([...qPath, 'id'], `question id ${show(id)} appears twice; ids must be unique`);
        seen.add(id);
        const question = string(qa.question, [...qPath, 'question'], 'the question');
        const isImpossible = qa.is_impossible === true;
        if (qa.is_impossible !== undefined && typeof qa.is_impossible !== 'boolean') {
          throw fail([...qPath, 'is_impossible'], `expected true or false, got ${show(qa.is_impossible)}`);
        }
        const answerList = (key: string): SquadAnswer[] => {
          if (qa[key] === undefined && key === 'plausible_answers') return [];
          return array(qa[key], [...qPath, key], `the ${key.replace('_', ' ')}`).map((x, m) => {
            const aPath = [...qPath, key, m];
            const ans = object(x, aPath, 'an answer {text, answer_start}');
            const answerText = string(ans.text, [...aPath, 'text'], 'the answer text');
            const start = ans.answer_start;
            if (typeof start !== 'number' || !Number.isInteger(start) || start < 0 || start > context.length) {
              throw fail(
                [...aPath, 'answer_start'],
                `expected a character offset into the context (0..${context.length}), got ${show(start)}`,
              );
            }
            if ((options.checkAnswers ?? true) && context.slice(start, start + answerText.length) !== answerText) {
              throw fail(
                [...aPath, 'answer_start'],
                `the context at ${start} reads ${show(context.slice(start, start + answerText.length))}, not the answer ${show(answerText)}; fix answer_start or pass checkAnswers: false`,
              );
            }
            return { text: answerText, answerStart: start };
          });
        };
        const answers = answerList('answers');
        if (isImpossible && answers.length > 0) {
          throw fail([...qPath, 'answers'], 'an impossible question (is_impossible: true) must have no answers');
        }
        examples.push({
          id,
          title,
          context,
          question,
          answers,
          isImpossible,
          plausibleAnswers: answerList('plausible_answers'),
        });
      });
    });
  });
  return { version, examples };
}
