// What a command tells the user: human lines on stderr (so stdout stays clean for --json), and one
// JSON summary on stdout at the end when --json is given.
import type { CommonFlags } from './options.js';

export interface Reporter {
  /** A human line on stderr (silent with --quiet). */
  info(message: string): void;
  /** The end-of-command summary: JSON on stdout with --json, else `human(summary)` on stderr. */
  summary<T extends object>(summary: T, human: (s: T) => string): void;
}

export function reporter(flags: CommonFlags): Reporter {
  return {
    info(message) {
      if (flags.quiet !== true) process.stderr.write(`${message}\n`);
    },
    summary(summary, human) {
      if (flags.json === true) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stderr.write(`${human(summary)}\n`);
    },
  };
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}
