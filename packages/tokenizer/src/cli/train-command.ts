// `albert-tokenizer train`: text files in, a SentencePiece `.model` (and a `.vocab` listing) out, with
// a progress bar on a terminal and plain log lines otherwise.

import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import cliProgress from 'cli-progress';
import { TrainerError } from '../trainer/errors.js';
import type { UnigramTrainerOptions } from '../trainer/options.js';
import {
  type TrainerProgress,
  trainUnigram,
  trainUnigramFromFiles,
  type UnigramTrainOptions,
} from '../trainer/train.js';

export interface TrainFlags extends Partial<UnigramTrainerOptions> {
  output: string;
  preset?: string;
  vocab: boolean;
  quiet?: boolean;
}

export async function trainCommand(files: string[], flags: TrainFlags): Promise<void> {
  const { output, preset, vocab, quiet, ...trainer } = flags;
  if (!output.endsWith('.model')) throw new TrainerError(`--output must name a .model file, got '${output}'`);
  const progress = quiet === true ? null : createProgress();
  const options: UnigramTrainOptions = { ...trainer };
  if (preset !== undefined) options.preset = preset;
  if (progress !== null) options.onProgress = progress.update;
  const started = performance.now();
  let result: Awaited<ReturnType<typeof trainUnigramFromFiles>>;
  try {
    if (files.length === 1 && files[0] === '-') {
      const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
      result = await trainUnigram(lines, { inputNames: ['-'], ...options });
    } else result = await trainUnigramFromFiles(files, options);
  } finally {
    progress?.stop();
  }
  await writeFile(output, result.bytes);
  if (vocab) {
    const lines = result.model.pieces.map((p) => `${p.piece}\t${Math.round(p.score * 1e4) / 1e4}\n`).join('');
    await writeFile(output.replace(/\.model$/, '.vocab'), lines);
  }
  if (quiet !== true) {
    const s = result.stats;
    process.stderr.write(
      `wrote ${output}: ${result.model.pieces.length} pieces from ${s.sentences} sentences (${s.words} distinct words, ` +
        `${s.skippedTooLong} too long skipped, ${s.requiredChars} characters, coverage ${(s.characterCoverage * 100).toFixed(3)}%) ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
}

// Overall progress: reading 0–10%, normalizing 10–25%, seeding 25–35%, then EM + pruning 35–100% on
// a log scale from the seed vocabulary down to the target size.
function createProgress(): { update: (p: TrainerProgress) => void; stop: () => void } {
  const tty = process.stderr.isTTY === true;
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: 'training [{bar}] {percentage}% | {stage} | {message}', stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(1000, 0, { stage: 'read', message: '' });
  let seedSize = 0;
  let lastStage = '';
  const update = (p: TrainerProgress) => {
    let fraction = 0;
    if (p.stage === 'read') fraction = 0.05;
    else if (p.stage === 'normalize') fraction = 0.1 + 0.15 * (p.total ? p.done / p.total : 0);
    else if (p.stage === 'seed') {
      fraction = 0.25 + 0.1 * p.done;
      if (p.pieces !== undefined) seedSize = p.pieces;
    } else if (p.stage === 'em' || p.stage === 'prune') {
      // log scale from the seed vocabulary down to the size where EM stops
      const pieces = Math.max(1, p.pieces ?? seedSize);
      const target = Math.max(1, p.targetPieces ?? pieces);
      const span = Math.log(Math.max(seedSize, pieces) / target);
      fraction = 0.35 + 0.6 * (span > 0 ? Math.min(1, Math.log(Math.max(seedSize, pieces) / pieces) / span) : 1);
    } else fraction = 1;
    if (bar !== null) bar.update(Math.round(fraction * 1000), { stage: p.stage, message: p.message });
    else if (p.stage !== lastStage || p.stage === 'em' || p.stage === 'prune' || p.stage === 'done') {
      process.stderr.write(`[train] ${p.stage}: ${p.message}\n`);
    }
    lastStage = p.stage;
  };
  return { update, stop: () => bar?.stop() };
}
