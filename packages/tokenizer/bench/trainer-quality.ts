// pnpm bench trainer-quality [--vocab-size 8000] [--threads 1]   (threads: for both trainers)
//
// Trains a unigram model on ../shared/data/gutenberg_en/train.txt with our trainer and with
// SentencePiece's own (Python sentencepiece's SentencePieceTrainer, i.e. spm_train, same settings),
// then reports pieces per whitespace word on valid.txt for both (encoded by Python sentencepiece, and
// by our SentencePieceProcessor for ours), their ratio (goal: within 2%), training time and peak RSS.
// Each trainer runs in its own process so its peak RSS is its own.
// Reads ../shared (next to the repository) and says so when it is absent.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../../..');
const data = join(root, '../shared/data/gutenberg_en');
const train = join(data, 'train.txt');
const valid = join(data, 'valid.txt');
const PYTHON = '/usr/bin/python3';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const vocabSize = arg('--vocab-size', 8000);
const threads = arg('--threads', 1);

interface TrainerRun {
  seconds: number;
  peakRssMiB: number;
}

// Child mode: train with ours and print {seconds, peakRssMiB} as JSON.
if (process.argv.includes('--child')) {
  const { trainUnigramFromFiles } = await import('@albert-ts/tokenizer');
  const out = process.argv[process.argv.indexOf('--child') + 1] as string;
  const t0 = performance.now();
  const r = await trainUnigramFromFiles([train], { vocabSize, numThreads: threads });
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(out, r.bytes);
  const run: TrainerRun = { seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(run));
  process.exit(0);
}

if (!existsSync(train) || !existsSync(valid)) {
  console.log(
    `trainer-quality: ${data} is absent (needs ../shared/data/gutenberg_en next to the repository); nothing to do`,
  );
  process.exit(0);
}
if (spawnSync(PYTHON, ['-c', 'import sentencepiece'], { encoding: 'utf8' }).status !== 0) {
  console.log(`trainer-quality: ${PYTHON} cannot import sentencepiece (apt-get install python3-sentencepiece)`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'trainer-quality-'));
const oursModel = join(dir, 'ours.model');
const spmPrefix = join(dir, 'spm');

console.log(`training ours (vocab ${vocabSize}, numThreads ${threads}) on ${train} …`);
const child = spawnSync(
  process.execPath,
  [
    '--conditions=@albert-ts/source',
    '--import',
    'tsx',
    import.meta.filename,
    '--child',
    oursModel,
    '--vocab-size',
    String(vocabSize),
  ],
  { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] },
);
if (child.status !== 0) throw new Error(`our trainer failed (exit ${child.status})`);
const ours = JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as TrainerRun;

console.log(`training SentencePiece (vocab ${vocabSize}, num_threads ${threads}) …`);
const py = spawnSync(
  PYTHON,
  [
    '-c',
    `
import json, resource, sys, time, sentencepiece as spm
t0 = time.time()
spm.SentencePieceTrainer.train(input=sys.argv[1], model_prefix=sys.argv[2], vocab_size=int(sys.argv[3]),
    model_type='unigram', num_threads=int(sys.argv[4]), minloglevel=2)
print(json.dumps({'seconds': time.time() - t0, 'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`,
    train,
    spmPrefix,
    String(vocabSize),
    String(threads),
  ],
  { encoding: 'utf8', maxBuffer: 1 << 24 },
);
if (py.status !== 0) throw new Error(`SentencePiece training failed: ${py.stderr}`);
const spmRun = JSON.parse(py.stdout.trim()) as TrainerRun;

// Pieces per word on valid.txt, encoded by Python sentencepiece.
const evalPy = spawnSync(
  PYTHON,
  [
    '-c',
    `
import json, sys, sentencepiece as spm
lines = [l.rstrip('\\n') for l in open(sys.argv[1], encoding='utf-8') if l.strip()]
words = sum(len(l.split()) for l in lines)
out = {'words': words}
vocab = {}
for name, path in (('ours', sys.argv[2]), ('spm', sys.argv[3])):
    sp = spm.SentencePieceProcessor(model_file=path)
    out[name] = {'pieces': sum(len(x) for x in sp.encode(lines)), 'vocab': sp.get_piece_size()}
    vocab[name] = set(sp.id_to_piece(i) for i in range(sp.get_piece_size()))
out['shared'] = len(vocab['ours'] & vocab['spm'])
print(json.dumps(out))
`,
    valid,
    oursModel,
    `${spmPrefix}.model`,
  ],
  { encoding: 'utf8', maxBuffer: 1 << 24 },
);
if (evalPy.status !== 0) throw new Error(`evaluation failed: ${evalPy.stderr}`);
const ev = JSON.parse(evalPy.stdout) as {
  words: number;
  shared: number;
  ours: { pieces: number; vocab: number };
  spm: { pieces: number; vocab: number };
};

// The same count with our own encoder (must equal Python's on our model).
const { SentencePieceProcessor } = await import('@albert-ts/tokenizer');
const sp = SentencePieceProcessor.fromBytes(new Uint8Array(readFileSync(oursModel)));
let oursPiecesJs = 0;
for (const line of readFileSync(valid, 'utf8').split('\n'))
  if (line.trim().length > 0) oursPiecesJs += sp.encodeAsIds(line).length;

const oursPpw = ev.ours.pieces / ev.words;
const spmPpw = ev.spm.pieces / ev.words;
const ratio = oursPpw / spmPpw;
const result = {
  corpus: { train, valid, validWords: ev.words },
  vocabSize,
  ours: {
    ...ours,
    numThreads: threads,
    vocab: ev.ours.vocab,
    pieces: ev.ours.pieces,
    piecesPerWord: oursPpw,
    piecesOurEncoder: oursPiecesJs,
  },
  sentencepiece: { ...spmRun, numThreads: threads, vocab: ev.spm.vocab, pieces: ev.spm.pieces, piecesPerWord: spmPpw },
  ratio,
  sharedPieces: ev.shared,
  withinTwoPercent: Math.abs(ratio - 1) <= 0.02,
  command: `pnpm bench trainer-quality --vocab-size ${vocabSize} --threads ${threads}`,
  date: new Date().toISOString(),
};

console.log('');
console.table({
  ours: {
    'pieces/word': oursPpw.toFixed(4),
    pieces: ev.ours.pieces,
    'train s': ours.seconds.toFixed(1),
    'peak RSS MiB': ours.peakRssMiB.toFixed(0),
  },
  sentencepiece: {
    'pieces/word': spmPpw.toFixed(4),
    pieces: ev.spm.pieces,
    'train s': spmRun.seconds.toFixed(1),
    'peak RSS MiB': spmRun.peakRssMiB.toFixed(0),
  },
});
console.log(
  `ratio ours/sentencepiece = ${ratio.toFixed(4)} (${((ratio - 1) * 100).toFixed(2)}%; goal within ±2%: ${result.withinTwoPercent ? 'yes' : 'NO'})`,
);
console.log(`pieces in both vocabularies: ${ev.shared} of ${vocabSize}`);
console.log(`our encoder on our model: ${oursPiecesJs} pieces (Python sentencepiece: ${ev.ours.pieces})`);

const resultsDir = join(root, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'trainer-quality.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${join(resultsDir, 'trainer-quality.json')}`);
rmSync(dir, { recursive: true, force: true });
