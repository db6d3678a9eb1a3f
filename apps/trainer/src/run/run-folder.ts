// A run folder (the --output of pretrain and finetune):
//   run.json            the command's options, resolved (what --resume continues with)
//   metrics.jsonl       the JSONL metrics log
//   checkpoints/        Trainer checkpoints (checkpoint-<step>/: a Hugging Face folder + resume state)
//   best/               finetune: the checkpoint with the best dev metric (a Hugging Face folder)
//   chart.svg/png       the run's chart
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkpointStep } from '@albert-ts/training';
import { optionName } from '../cli/options.js';
import { ConfigMismatchError, InputFileError } from '../errors.js';
import { METRICS_FILE, MetricsLog } from '../log/metrics-log.js';

export const RUN_FILE = 'run.json';
export const CHECKPOINTS = 'checkpoints';

export type RunRecord = { command: string; options: Record<string, unknown> };

export function checkpointsFolder(run: string): string {
  return join(run, CHECKPOINTS);
}

/** The newest Trainer checkpoint of a run folder, or null. */
export function latestCheckpoint(run: string): string | null {
  const root = checkpointsFolder(run);
  if (!existsSync(root)) return null;
  const steps = readdirSync(root)
    .map((n) => ({ n, step: checkpointStep(n) }))
    .filter((x): x is { n: string; step: number } => x.step != null)
    .sort((a, b) => a.step - b.step);
  const last = steps.at(-1);
  return last == null ? null : join(root, last.n);
}

export function readRun(run: string): RunRecord | null {
  const path = join(run, RUN_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RunRecord) : null;
}

export function writeRun(run: string, record: RunRecord): void {
  mkdirSync(run, { recursive: true });
  writeFileSync(join(run, RUN_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * The options a run continues with: --resume takes the saved ones, and any option given on the
 * command line (`explicit`) must agree with them — changing the model or the data mid-run would
 * not continue that run. A fresh run over a folder that already holds one needs --overwrite.
 */
/** Options a resumed run may change (a longer --steps, another backend). */
export const MAY_DIFFER_ON_RESUME: readonly string[] = ['resume', 'overwrite', 'json', 'quiet', 'backend', 'steps'];

export function startOrResume<T extends Record<string, unknown>>(
  run: string,
  command: string,
  options: T,
  explicit: Set<string>,
  flags: { resume?: boolean; overwrite?: boolean },
  mayDiffer: readonly string[] = MAY_DIFFER_ON_RESUME,
): T {
  const saved = readRun(run);
  if (flags.resume !== true) {
    if (saved != null && latestCheckpoint(run) != null && flags.overwrite !== true) {
      throw new ConfigMismatchError(
        `${run} already holds a ${saved.command} run with checkpoints. Continue it with --resume, start over with --overwrite, or choose another --output.`,
      );
    }
    writeRun(run, { command, options });
    return options;
  }
  if (saved == null)
    throw new InputFileError(`--resume: ${run} holds no run (${RUN_FILE} is missing); start without --resume.`);
  if (saved.command !== command) {
    throw new ConfigMismatchError(`--resume: ${run} holds a ${saved.command} run, not a ${command} run.`);
  }
  const differ = [...explicit].filter(
    (k) => !mayDiffer.includes(k) && JSON.stringify(options[k]) !== JSON.stringify(saved.options[k]),
  );
  if (differ.length > 0) {
    throw new ConfigMismatchError(
      `--resume: the run in ${run} was started with ${differ.map((k) => `${optionName(k)} ${JSON.stringify(saved.options[k])}`).join(', ')}; ` +
        `this command says ${differ.map((k) => `${optionName(k)} ${JSON.stringify(options[k])}`).join(', ')}. ` +
        'Resume with the same options (or none), or start a new run in another --output.',
    );
  }
  // The saved options, plus those allowed to change (a longer --steps, another backend).
  const merged: Record<string, unknown> = { ...saved.options };
  for (const k of mayDiffer) if (explicit.has(k)) merged[k] = options[k];
  merged.resume = true;
  writeRun(run, { command, options: merged });
  return merged as T;
}

/** The run's metrics log: emptied for a fresh run, cut back to the newest checkpoint for a resumed one. */
export function openMetricsLog(run: string, resume: boolean): MetricsLog {
  const log = new MetricsLog(join(run, METRICS_FILE));
  const latest = latestCheckpoint(run);
  log.truncateAfter(resume && latest != null ? (checkpointStep(basename(latest)) ?? 0) : 0);
  return log;
}
