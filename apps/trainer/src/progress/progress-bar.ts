// A progress bar for long commands, on cli-progress (maintained, 25M downloads a month, already used
// by the tokenizer's CLI; listr2 is a task-list renderer and would add nothing for one counting bar).
// On a terminal it redraws one line: `pretrain [████░░] 120/500 | loss 6.91 | lr 1.2e-4 | 5.1k tok/s | ETA 1m20s`.
// When stderr is not a terminal (a log file, CI) it prints the same fields as a plain line every
// `plainEveryMs` and at the end, so logs stay readable.
import cliProgress from 'cli-progress';

export interface ProgressBarOptions {
  label: string;
  total: number;
  /** Where the count starts (a resumed run starts at its step). */
  start?: number;
  /** Payload fields shown after the count, as `name value` (in this order). */
  fields?: string[];
  /** Unit after the count ('steps', 'lines', …). */
  unit?: string;
  /** false: draw nothing (--quiet). */
  enabled?: boolean;
  /** Plain-line interval when stderr is not a terminal. Default 30 s. */
  plainEveryMs?: number;
}

export type ProgressPayload = Record<string, string | number>;

export class ProgressBar {
  private readonly bar: cliProgress.SingleBar | null;
  private readonly plain: boolean;
  private lastPlain = 0;
  private value: number;
  private payload: ProgressPayload = {};
  private readonly started = performance.now();
  private readonly startValue: number;
  private etaSeconds: number | null = null;

  constructor(private readonly options: ProgressBarOptions) {
    const enabled = options.enabled !== false;
    this.value = options.start ?? 0;
    this.startValue = this.value;
    this.plain = enabled && process.stderr.isTTY !== true;
    const fields = (options.fields ?? []).map((f) => ` | ${f} {${f}}`).join('');
    const unit = options.unit == null ? '' : ` ${options.unit}`;
    this.bar =
      enabled && !this.plain
        ? new cliProgress.SingleBar(
            {
              format: `${options.label} [{bar}] {value}/{total}${unit}${fields} | ETA {etaText}`,
              stream: process.stderr,
              hideCursor: true,
              barsize: 24,
              etaBuffer: 50,
              fps: 5,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
    const empty = Object.fromEntries((options.fields ?? []).map((f) => [f, '-']));
    this.payload = { ...empty, etaText: '-' };
    this.bar?.start(options.total, this.value, this.payload);
  }

  /**
   * `etaSeconds`, when the caller knows better (a trainer resumed from a checkpoint counts only the
   * steps of this session), replaces the bar's own estimate from the values it has seen.
   */
  update(value: number, payload: ProgressPayload = {}, etaSeconds?: number | null): void {
    this.value = value;
    this.etaSeconds = etaSeconds ?? null;
    this.payload = { ...this.payload, ...payload };
    this.payload.etaText = this.eta();
    this.bar?.update(value, this.payload);
    if (this.plain && performance.now() - this.lastPlain >= (this.options.plainEveryMs ?? 30_000)) this.printPlain();
  }

  /** Grows the total (a streaming source whose size becomes known late). */
  setTotal(total: number): void {
    this.options.total = total;
    this.bar?.setTotal(total);
  }

  stop(): void {
    this.bar?.stop();
    if (this.plain) this.printPlain();
  }

  private printPlain(): void {
    this.lastPlain = performance.now();
    const { label, total, unit } = this.options;
    const fields = (this.options.fields ?? []).map((f) => ` | ${f} ${this.payload[f] ?? '-'}`).join('');
    process.stderr.write(
      `${label} ${this.value}/${total}${unit == null ? '' : ` ${unit}`}${fields} | ETA ${this.eta()}\n`,
    );
  }

  private eta(): string {
    if (this.etaSeconds != null) return formatDuration(this.etaSeconds * 1000);
    const done = this.value - this.startValue;
    if (done <= 0) return '-';
    const ms = ((performance.now() - this.started) / done) * (this.options.total - this.value);
    return formatDuration(ms);
  }
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** 0.000123 → '1.23e-4', 6.9123 → '6.912', 51234 → '51.2k': short numbers for a one-line bar. */
export function short(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && a < 0.01) return x.toExponential(2);
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  return Number(x.toPrecision(4)).toString();
}
