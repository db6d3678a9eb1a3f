// The options every model command shares (--model, --backend, --json) and opening its pipeline:
// the model chosen by models/choose-model.ts, errors turned into one clear message.
import { AlbertError, BACKEND_NAMES, type BackendName, pipeline, type TaskName, type Tasks } from 'albert-ts';
import { type Command, Option } from 'commander';
import { ModelLoadError, UsageError } from '../errors.js';
import { chooseModel, type ModelChoice } from '../models/choose-model.js';

export interface CommonOptions {
  model?: string;
  backend?: string;
  json?: boolean;
}

/** Adds --model, --backend and --json to `command`. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('-m, --model <folder|url|hub id>', 'the model (default: the embedded default model)')
    .addOption(
      new Option('-b, --backend <name>', 'tfjs backend (default: the fastest that initialises)').choices([
        ...BACKEND_NAMES,
      ]),
    )
    .option('--json', 'print JSON lines ({ input, output } per input) instead of tables');
}

export function backendOption(options: CommonOptions): BackendName | undefined {
  if (options.backend == null) return undefined;
  if (!BACKEND_NAMES.includes(options.backend as BackendName)) {
    throw new UsageError(`--backend ${options.backend} is not a backend; use one of ${BACKEND_NAMES.join(', ')}`);
  }
  return options.backend as BackendName;
}

const warnLine = (message: string) => process.stderr.write(`${message}\n`);

let noticed = false;

/** Prints a choice's notice: in full the first time in this process, then one short line. */
export function printNotice(choice: ModelChoice): void {
  if (choice.notice == null) return;
  warnLine(noticed ? `notice: ${choice.name} (random weights) stands in for the default model` : choice.notice);
  noticed = true;
}

/** Opens `task`'s pipeline on the chosen model; any AlbertError while loading becomes a ModelLoadError naming the model. */
export async function openPipeline<T extends TaskName>(
  task: T,
  options: CommonOptions,
  taskOptions: Tasks[T][1] = {} as Tasks[T][1],
): Promise<Tasks[T][0]> {
  const choice = await chooseModel(task, options.model);
  printNotice(choice);
  const backend = backendOption(options);
  try {
    return await pipeline(task, choice.model, {
      ...taskOptions,
      ...(backend != null && { backend }),
      warn: warnLine,
    } as never);
  } catch (err) {
    if (!(err instanceof AlbertError)) throw err;
    throw new ModelLoadError(`cannot run ${task} on the model ${choice.name}: ${err.message}`, { cause: err });
  }
}

/** Prints one JSON line per input, or the human-readable text. */
export function emit<I, O>(options: CommonOptions, inputs: I[], outputs: O[], human: (input: I, output: O) => string) {
  if (options.json) {
    for (const [i, input] of inputs.entries())
      process.stdout.write(`${JSON.stringify({ input, output: outputs[i] })}\n`);
    return;
  }
  process.stdout.write(`${inputs.map((input, i) => human(input, outputs[i] as O)).join('\n\n')}\n`);
}
