// Runs in chromium: the task layer bundled for the browser (no node:*), on data fetched from the test
// server. Results go to window.__heads for the test to compare with Node.
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { squadRoundTrip } from '../../bench/squad-roundtrip-check.js';
import {
  labelMapFromData,
  readConll,
  readGlueTsv,
  readSquadJson,
  seqevalMetrics,
  spearman,
  squadV1Metrics,
  tokenClassificationFeatures,
} from '../../src/index.js';

const out: Record<string, unknown> = {};
try {
  const get = async (path: string) => (await fetch(path)).text();
  const tok = AlbertTokenizer.fromBytes(new Uint8Array(await (await fetch('/albert-30k.model')).arrayBuffer()));
  const { examples } = readSquadJson(await get('/squad.json'));
  const r = squadRoundTrip(tok, examples);
  out.roundTrip = {
    questions: r.questions,
    exact: r.exact,
    tooLong: r.tooLong,
    insideToken: r.insideToken,
    wrong: r.wrong,
  };
  const sentences = readConll(await get('/wnut.conll'));
  const map = labelMapFromData(sentences.map((s) => s.tags));
  out.nerLabels = tokenClassificationFeatures(tok, sentences, { labelMap: map }).map((f) => [...f.labels]);
  out.glue = readGlueTsv(await get('/mrpc.tsv'), 'mrpc').examples.map((e) => [e.textA, e.textB, e.label]);
  out.metrics = {
    spearman: spearman([1, 2, 2, 3], [1, 2, 3, 4]),
    seqeval: seqevalMetrics(
      sentences.map((s) => s.tags),
      sentences.map((s) => s.tags.map(() => 'O')),
    ).micro,
    squad: squadV1Metrics(examples, Object.fromEntries(examples.map((e) => [e.id, e.answers[0]?.text ?? '']))),
  };
} catch (err) {
  out.error = String((err as Error).stack ?? err);
}
(window as unknown as { __heads: unknown }).__heads = out;
