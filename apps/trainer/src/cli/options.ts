// Option parsers and the options every long command shares (--backend, --json, --quiet).
import { type BackendName, formatBackendReport, initBackend } from '@albert-ts/backends';
import { type Command, InvalidArgumentError, Option } from 'commander';

export const int =
  (name: string, min = Number.MIN_SAFE_INTEGER) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`${name} must be an integer${min > -1e15 ? ` ≥ ${min}` : ''}, got '${value}'.`);
    }
    return n;
  };

export const num =
  (name: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) {
      const range = min > Number.NEGATIVE_INFINITY || max < Number.POSITIVE_INFINITY ? ` in [${min}, ${max}]` : '';
      throw new InvalidArgumentError(`${name} must be a number${range}, got '${value}'.`);
    }
    return n;
  };

/** Collects a repeatable option (`--input a.txt --input b.txt`) or a comma list into an array. */
export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value.split(',').filter((s) => s.length > 0),
];

export interface CommonFlags {
  json?: boolean;
  quiet?: boolean;
}

export interface BackendFlags {
  backend: 'auto' | BackendName;
}

/** --json and --quiet. */
export function addCommonOptions(command: Command): Command {
  return command
    .option('--json', 'print a machine-readable JSON summary on stdout at the end (human lines go to stderr)')
    .option('-q, --quiet', 'no progress bar or log lines on stderr');
}

/** --backend: native | wasm | cpu | auto (the best one this machine has). */
export function addBackendOption(command: Command): Command {
  return command.addOption(
    new Option('--backend <name>', 'tfjs backend; auto = the best Node backend here (native, then wasm, then cpu)')
      .choices(['auto', 'native', 'wasm', 'cpu'])
      .default('auto'),
  );
}

/** Initialises the backend the flags ask for and returns its one-line description. */
export async function startBackend(flags: BackendFlags): Promise<string> {
  const report = await initBackend(flags.backend === 'auto' ? {} : { prefer: flags.backend });
  return formatBackendReport(report);
}

/** The options the user typed (not defaults): a resumed run compares these with its saved ones. */
export function explicitOptions(command: Command): Set<string> {
  return new Set(Object.keys(command.opts()).filter((k) => command.getOptionValueSource(k) === 'cli'));
}

/** A flag's attribute name as the user types it: 'hiddenSize' → '--hidden-size'. */
export function optionName(attribute: string): string {
  return `--${attribute.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
