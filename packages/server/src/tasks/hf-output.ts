// Pipeline results → the JSON Hugging Face's Inference API answers with, task by task. The pipelines
// speak camelCase (tokenStr, entityGroup); Hugging Face's API, its clients (huggingface_hub's
// InferenceClient, @huggingface/inference) and transformers' pipelines speak snake_case. The shapes,
// from the API's task specification (huggingface.js packages/tasks/src/tasks/<task>/spec/output.json)
// and its documentation pages https://huggingface.co/docs/api-inference/tasks/<task>:
//   fill-mask                 [{ score, token, token_str, sequence }]
//   token-classification      [{ entity_group | entity, score, word, start, end }] (+ index per token,
//                             as transformers' pipeline gives with aggregation_strategy "none")
//   question-answering        { answer, score, start, end } (an array of them for top_k > 1)
//   text-classification       [{ label, score }]
//   zero-shot-classification  { sequence, labels, scores } (transformers' pipeline and
//                             https://huggingface.co/docs/huggingface.js/inference/interfaces/ZeroShotClassificationOutputValue)
//   feature-extraction        nested number arrays: [tokens][hidden], or [hidden] pooled
//   sentence-similarity       [score per sentence]
//   multiple-choice           (no Hugging Face API task) the pipeline's { answer, index, scores }
import type {
  Answer,
  Features,
  FillMaskCandidate,
  GroupedEntity,
  LabelScore,
  MultipleChoiceResult,
  TaskName,
  TokenEntity,
  ZeroShotOutput,
} from 'albert-ts';

/** { data, dims } → nested number arrays of shape dims ([tokens][hidden] or [hidden]). */
export function nested(features: Features): unknown {
  const { data, dims } = features;
  const build = (offset: number, axis: number): unknown => {
    const n = dims[axis] as number;
    if (axis === dims.length - 1) return Array.from(data.subarray(offset, offset + n));
    const stride = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: n }, (_, i) => build(offset + i * stride, axis + 1));
  };
  return dims.length === 0 ? [] : build(0, 0);
}

const fillMaskCandidate = (c: FillMaskCandidate) => ({
  score: c.score,
  token: c.token,
  token_str: c.tokenStr,
  sequence: c.sequence,
});

const entity = (e: TokenEntity | GroupedEntity) =>
  'entityGroup' in e
    ? { entity_group: e.entityGroup, score: e.score, word: e.word, start: e.start, end: e.end }
    : { entity: e.entity, score: e.score, index: e.index, word: e.word, start: e.start, end: e.end };

const answer = (a: Answer) => ({ answer: a.answer, score: a.score, start: a.start, end: a.end });

const labelScore = (l: LabelScore) => ({ label: l.label, score: l.score });

/** JSON of one pipeline result of `task`, in Hugging Face's Inference API shape. */
export const HF_OUTPUT: Record<TaskName, (result: unknown) => unknown> = {
  'fill-mask': (r) =>
    // one mask: candidates; several masks: one list of candidates per mask
    (r as FillMaskCandidate[] | FillMaskCandidate[][]).map((c) =>
      Array.isArray(c) ? c.map(fillMaskCandidate) : fillMaskCandidate(c),
    ),
  'token-classification': (r) => (r as (TokenEntity | GroupedEntity)[]).map(entity),
  'question-answering': (r) => (Array.isArray(r) ? (r as Answer[]).map(answer) : answer(r as Answer)),
  'text-classification': (r) => (r as LabelScore[]).map(labelScore),
  'zero-shot-classification': (r) => {
    const z = r as ZeroShotOutput;
    return { sequence: z.sequence, labels: [...z.labels], scores: Array.from(z.scores) };
  },
  'feature-extraction': (r) => nested(r as Features),
  'sentence-similarity': (r) => Array.from(r as ArrayLike<number>),
  'multiple-choice': (r) => {
    const m = r as MultipleChoiceResult;
    return { answer: m.answer, index: m.index, scores: Array.from(m.scores) };
  },
};
