// What a running Trainer shows and records: the progress bar (step, loss, learning rate, tokens/s,
// ETA), the JSONL metrics log (every step, every evaluation), and one line per checkpoint.
import type { Trainer } from '@albert-ts/training';
import type { Reporter } from '../cli/output.js';
import type { MetricsLog } from '../log/metrics-log.js';
import { ProgressBar, short } from '../progress/progress-bar.js';

// biome-ignore lint/suspicious/noExplicitAny: any model, any batch type.
type AnyTrainer = Trainer<any, any>;

export function watchTrainer(
  trainer: AnyTrainer,
  options: { label: string; steps: number; log: MetricsLog; out: Reporter; quiet: boolean; split: string },
): { stop: () => void } {
  const bar = new ProgressBar({
    label: options.label,
    total: options.steps,
    start: trainer.step,
    unit: 'steps',
    fields: ['loss', 'lr', 'tok/s'],
    enabled: !options.quiet,
  });
  const off = [
    trainer.on('step', (e) => {
      options.log.append({
        kind: 'train',
        step: e.step,
        loss: e.loss,
        learningRate: e.learningRate,
        gradNorm: e.gradNorm,
        tokensPerSecond: Math.round(e.tokensPerSecond),
        elapsedSeconds: Math.round(e.elapsedSeconds * 10) / 10,
      });
      bar.update(
        e.step,
        { loss: short(e.loss), lr: short(e.learningRate), 'tok/s': short(e.tokensPerSecond) },
        e.etaSeconds,
      );
    }),
    trainer.on('evaluate', (e) => {
      options.log.append({ kind: 'eval', step: e.step, split: options.split, metrics: e.metrics });
      const shown = Object.entries(e.metrics)
        .map(([k, v]) => `${k} ${short(v)}`)
        .join(', ');
      options.out.info(`\n[step ${e.step}] ${options.split}: ${shown}`);
    }),
    trainer.on('checkpoint', (e) => {
      if (e.reason !== 'interval') options.out.info(`\ncheckpoint ${e.name} (${e.reason})`);
    }),
  ];
  return {
    stop: () => {
      bar.stop();
      for (const f of off) f();
    },
  };
}
