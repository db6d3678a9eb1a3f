// `pnpm bench squad-roundtrip [--file path/to/dev-v1.1.json]`: the SQuAD round trip (see
// squad-roundtrip-check.ts) for EVERY question of SQuAD v1.1 dev (10,570; ../shared/data by default),
// with its first gold answer (what run_qa.py trains on) and then with every gold answer (34,726),
// each with HF's maxAnswerLength 30 and with no length limit (384).
// Prints the counts and the misses, writes bench/results/squad-roundtrip.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { readSquadFile, type SquadExample } from '../src/index.js';
import { type RoundTripResult, squadRoundTrip } from './squad-roundtrip-check.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const i = process.argv.indexOf('--file');
const file =
  i > 0 ? (process.argv[i + 1] as string) : join(root, '..', 'shared', 'data', 'squad_v1.1', 'dev-v1.1.json');
if (!existsSync(file)) {
  console.log(
    `squad-roundtrip: ${file} is absent (the shared data folder is not next to the repository); pass --file <dev-v1.1.json>.`,
  );
  process.exit(0);
}
const tokenizer = await AlbertTokenizer.fromFile(join(here, '..', 'test', 'fixtures', 'albert-30k.model'));
const { examples } = await readSquadFile(file);
console.log(`${file}: ${examples.length} questions; load average ${loadavg()[0]?.toFixed(2)}`);

const row = (name: string, r: RoundTripResult, seconds: number) => ({
  run: name,
  questions: r.questions,
  windows: r.features,
  exact: r.exact,
  'whitespace-equal': r.whitespace,
  'longer than maxAnswerLength': r.tooLong,
  'gold edge inside a token': r.insideToken,
  wrong: r.wrong,
  seconds: Number(seconds.toFixed(1)),
});

// every gold answer as its own question
const everyAnswer: SquadExample[] = examples.flatMap((e) =>
  e.answers.map((a, k) => ({ ...e, id: `${e.id}#${k}`, answers: [a] })),
);
const runs: { name: string; set: SquadExample[]; maxAnswerLength: number }[] = [
  { name: 'first gold answer, maxAnswerLength 30', set: examples, maxAnswerLength: 30 },
  { name: 'first gold answer, maxAnswerLength 384', set: examples, maxAnswerLength: 384 },
  { name: 'every gold answer, maxAnswerLength 30', set: everyAnswer, maxAnswerLength: 30 },
  { name: 'every gold answer, maxAnswerLength 384', set: everyAnswer, maxAnswerLength: 384 },
];
const rows = [];
let first: RoundTripResult | undefined;
for (const r of runs) {
  const t = performance.now();
  const result = squadRoundTrip(tokenizer, r.set, undefined, { maxAnswerLength: r.maxAnswerLength });
  rows.push(row(r.name, result, (performance.now() - t) / 1000));
  first ??= result;
}
console.table(rows);
if (first === undefined) process.exit(1);
console.log('first-answer misses (gold → post-processed text):');
for (const m of first.misses)
  console.log(`  ${m.outcome.padEnd(12)} ${m.id}: ${JSON.stringify(m.gold)} → ${JSON.stringify(m.text)}`);

const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const out = join(dir, 'squad-roundtrip.json');
writeFileSync(out, `${JSON.stringify({ file, runs: rows, firstAnswerMisses: first.misses }, null, 2)}\n`);
console.log(`wrote ${out}`);
