// Command-line options of the benchmark scripts: `--name value` and bare `--name` flags.
const argv = process.argv.slice(2);

/** The value after `--name`, or `fallback`. */
export function option(name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] != null ? (argv[i + 1] as string) : fallback;
}

/** The number after `--name`, or `fallback`. */
export function numberOption(name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] != null ? Number(argv[i + 1]) : fallback;
}

/** Whether `--name` was given. */
export function flag(name: string): boolean {
  return argv.includes(`--${name}`);
}
