// The JSONL metrics log of a run (`<run>/metrics.jsonl`): one JSON object per line, appended as
// training goes, so a crashed or resumed run keeps everything written before.
//   {"kind":"train","step":10,"loss":6.9,"learningRate":1.2e-4,"gradNorm":3.1,"tokensPerSecond":5100,"elapsedSeconds":12.3}
//   {"kind":"eval","step":100,"split":"dev","metrics":{"accuracy":0.81,"loss":0.43}}
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DataFormatError } from '../errors.js';

export type TrainRecord = {
  kind: 'train';
  step: number;
  loss: number;
  learningRate: number;
  gradNorm?: number;
  tokensPerSecond?: number;
  elapsedSeconds?: number;
};

export type EvalRecord = {
  kind: 'eval';
  step: number;
  split: string;
  metrics: Record<string, number>;
};

export type MetricsRecord = TrainRecord | EvalRecord;

export const METRICS_FILE = 'metrics.jsonl';

export class MetricsLog {
  constructor(readonly path: string) {}

  append(record: MetricsRecord): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }

  /** Drops records after `step` (a run resumed from an earlier checkpoint rewrites them). */
  truncateAfter(step: number): void {
    if (!existsSync(this.path)) return;
    const kept = readMetricsLog(this.path).filter((r) => r.step <= step);
    writeFileSync(this.path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}

export function readMetricsLog(path: string): MetricsRecord[] {
  if (!existsSync(path)) {
    throw new DataFormatError(
      `no metrics log at '${path}': pass a run folder written by albert-train pretrain/finetune.`,
    );
  }
  const records: MetricsRecord[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // The last line of a killed run may be cut short: ignore it, reject damage elsewhere.
      if (i >= lines.length - 2) continue;
      throw new DataFormatError(`${path} line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
    }
    const r = value as Partial<MetricsRecord>;
    if ((r.kind === 'train' || r.kind === 'eval') && typeof r.step === 'number') records.push(r as MetricsRecord);
  }
  return records;
}
