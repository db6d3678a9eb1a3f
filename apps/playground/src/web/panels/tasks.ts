// The task cards: fill-mask, sentiment, named entities, question answering, multiple choice and
// sentence similarity. Each runs a pipeline in the worker and draws its result.
import type { Answer, FillMaskCandidate, GroupedEntity, LabelScore, MultipleChoiceResult } from 'albert-ts';
import { h, highlighted, scoreBar } from '../dom.js';
import { field, lines, loadingStatus, type PanelContext, taskCard } from './card.js';

export function fillMaskCard({ client }: PanelContext): HTMLElement {
  const text = h('input', { name: 'text', value: 'The capital of France is [MASK].' });
  const topK = h('input', { name: 'topk', type: 'number', min: 1, max: 20, value: 5 });
  return taskCard({
    id: 'panel-fill-mask',
    title: 'Fill the mask',
    blurb:
      'ALBERT was pretrained to guess masked words: the likeliest tokens for each [MASK], with their probabilities.',
    controls: [field('Text with [MASK]', text), field('Candidates', topK)],
    run: async (status) => {
      const out = await client.request<FillMaskCandidate[] | FillMaskCandidate[][]>(
        { type: 'run', task: 'fill-mask', input: text.value, options: { topK: Number(topK.value) } },
        loadingStatus(status),
      );
      const perMask = (Array.isArray(out[0]) ? out : [out]) as FillMaskCandidate[][];
      return h(
        'div',
        { class: 'bars' },
        ...perMask.flatMap((list, m) => [
          perMask.length > 1 ? h('h3', {}, `Mask ${m + 1}`) : null,
          ...list.map((c, k) => scoreBar(c.tokenStr, c.score, k === 0)),
        ]),
      );
    },
  });
}

export function sentimentCard({ client }: PanelContext): HTMLElement {
  const texts = h('textarea', { name: 'texts', rows: 3 });
  texts.value = 'What a lovely day!\nThe film was a dull, tired mess.';
  return taskCard({
    id: 'panel-sentiment',
    title: 'Sentiment',
    blurb: 'Text classification (SST-2 with the default model): every label with its score, one sentence per line.',
    controls: [field('Sentences, one per line', texts)],
    run: async (status) => {
      const inputs = lines(texts.value);
      const out = await client.request<LabelScore[][]>(
        { type: 'run', task: 'text-classification', input: inputs, options: { topK: null } },
        loadingStatus(status),
      );
      return h(
        'div',
        { class: 'results' },
        ...inputs.map((t, i) =>
          h(
            'div',
            { class: 'result' },
            h('p', { class: 'quote' }, t),
            h('div', { class: 'bars' }, ...(out[i] ?? []).map((l, k) => scoreBar(l.label, l.score, k === 0))),
          ),
        ),
      );
    },
  });
}

export function nerCard({ client }: PanelContext): HTMLElement {
  const text = h('input', { name: 'text', value: 'Alice met the Queen of Hearts in Wonderland.' });
  return taskCard({
    id: 'panel-ner',
    title: 'Named entities',
    blurb: 'Token classification: entities highlighted in the text by their character offsets.',
    controls: [field('Text', text)],
    run: async (status) => {
      const input = text.value;
      const entities = await client.request<GroupedEntity[]>(
        { type: 'run', task: 'token-classification', input, options: {} },
        loadingStatus(status),
      );
      if (entities.length === 0) return h('p', { class: 'empty' }, 'No entities found in this text.');
      return h(
        'div',
        {},
        highlighted(
          input,
          entities.map((e) => ({ start: e.start, end: e.end, label: e.entityGroup })),
        ),
        h(
          'p',
          { class: 'legend' },
          entities.map((e) => `${e.word} — ${e.entityGroup} ${e.score.toFixed(2)}`).join(' · '),
        ),
      );
    },
  });
}

export function qaCard({ client }: PanelContext): HTMLElement {
  const context = h('textarea', { name: 'context', rows: 4 });
  context.value =
    'Alice followed the White Rabbit down the rabbit-hole and found herself in Wonderland, where she met the Queen of Hearts.';
  const question = h('input', { name: 'question', value: 'Who did Alice follow?' });
  return taskCard({
    id: 'panel-qa',
    title: 'Question answering',
    blurb: 'Extractive QA: the span of the context that answers the question, highlighted by its offsets.',
    controls: [field('Context', context), field('Question', question)],
    run: async (status) => {
      const ctx = context.value;
      const answer = await client.request<Answer>(
        { type: 'run', task: 'question-answering', input: { question: question.value, context: ctx } },
        loadingStatus(status),
      );
      const marked = highlighted(ctx, [{ start: answer.start, end: answer.end }]);
      marked.querySelector('mark')?.setAttribute('id', 'qa-answer');
      return h(
        'div',
        {},
        h('p', { class: 'answer' }, 'Answer: ', h('strong', {}, answer.answer), ` (score ${answer.score.toFixed(3)})`),
        marked,
      );
    },
  });
}

export function choiceCard({ client }: PanelContext): HTMLElement {
  const prompt = h('input', { name: 'prompt', value: 'Where did the White Rabbit go?' });
  const choices = h('textarea', { name: 'choices', rows: 3 });
  choices.value = 'down a rabbit-hole\nup a tall tree\ninto a teapot';
  return taskCard({
    id: 'panel-choice',
    title: 'Multiple choice',
    blurb: 'Each choice scored as the answer to the prompt; the scores sum to 1.',
    controls: [field('Prompt', prompt), field('Choices, one per line', choices)],
    run: async (status) => {
      const list = lines(choices.value);
      const out = await client.request<MultipleChoiceResult>(
        { type: 'run', task: 'multiple-choice', input: { prompt: prompt.value, choices: list } },
        loadingStatus(status),
      );
      return h('div', { class: 'bars' }, ...list.map((c, k) => scoreBar(c, out.scores[k] ?? 0, k === out.index)));
    },
  });
}

export function similarityCard({ client }: PanelContext): HTMLElement {
  const source = h('input', { name: 'source', value: 'A rabbit ran down the hole.' });
  const sentences = h('textarea', { name: 'sentences', rows: 3 });
  sentences.value = 'A hare disappeared into a burrow.\nThe queen shouted at the gardeners.\nTea was served at six.';
  return taskCard({
    id: 'panel-similarity',
    title: 'Sentence similarity',
    blurb: 'Cosine similarity of mean-pooled ALBERT vectors: how close each sentence is to the first.',
    controls: [field('Sentence', source), field('Compare with, one per line', sentences)],
    run: async (status) => {
      const list = lines(sentences.value);
      const scores = await client.request<number[]>(
        { type: 'run', task: 'sentence-similarity', input: { source: source.value, sentences: list } },
        loadingStatus(status),
      );
      const best = scores.indexOf(Math.max(...scores));
      return h('div', { class: 'bars' }, ...list.map((s, k) => scoreBar(s, scores[k] ?? 0, k === best)));
    },
  });
}
