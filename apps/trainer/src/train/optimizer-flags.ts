// The optimizer and learning-rate schedule of a run, from flags: LAMB with ALBERT's schedule by
// default for pretraining (google-research/albert run_pretraining.py: --optimizer lamb,
// --learning_rate 0.00176, --num_warmup_steps 3125 of --num_train_steps 125000, --poly_power 1),
// AdamW with a linear schedule for fine-tuning (run_classifier.py and Hugging Face's Trainer).
import {
  AdamW,
  ALBERT_EXCLUDE_FROM_WEIGHT_DECAY,
  albertSchedule,
  Lamb,
  type LearningRateSchedule,
  linearScheduleWithWarmup,
  type Optimizer,
} from '@albert-ts/training';
import { type Command, Option } from 'commander';
import { int, num } from '../cli/options.js';

export interface OptimizerFlags {
  optimizer: 'lamb' | 'adamw';
  lr: number;
  warmupSteps?: number;
  warmupProportion: number;
  weightDecay: number;
  maxGradNorm: number;
  polyPower: number;
}

export function addOptimizerOptions(
  command: Command,
  defaults: { optimizer: 'lamb' | 'adamw'; lr: number; warmupProportion: number },
): Command {
  return command
    .addOption(
      new Option('--optimizer <name>', 'lamb (ALBERT pretraining) or adamw')
        .choices(['lamb', 'adamw'])
        .default(defaults.optimizer),
    )
    .option('--lr <x>', 'peak learning rate', num('--lr', 0), defaults.lr)
    .option(
      '--warmup-steps <n>',
      'linear warmup steps (default: --warmup-proportion of --steps)',
      int('--warmup-steps', 0),
    )
    .option(
      '--warmup-proportion <x>',
      'warmup as a fraction of --steps',
      num('--warmup-proportion', 0, 1),
      defaults.warmupProportion,
    )
    .option('--weight-decay <x>', 'weight decay (not on LayerNorm and biases)', num('--weight-decay', 0), 0.01)
    .option('--max-grad-norm <x>', 'clip gradients to this global norm', num('--max-grad-norm', 0), 1)
    .option('--poly-power <x>', "power of ALBERT's polynomial decay", num('--poly-power', 0), 1);
}

export function buildOptimizer(
  flags: OptimizerFlags,
  steps: number,
): { optimizer: Optimizer; schedule: LearningRateSchedule; warmupSteps: number } {
  const warmupSteps = flags.warmupSteps ?? Math.round(flags.warmupProportion * steps);
  const common = { weightDecay: flags.weightDecay, epsilon: 1e-6 };
  if (flags.optimizer === 'lamb') {
    return {
      optimizer: new Lamb(common),
      schedule: albertSchedule({ peak: flags.lr, warmupSteps, totalSteps: steps, power: flags.polyPower }),
      warmupSteps,
    };
  }
  return {
    optimizer: new AdamW({ ...common, excludeFromWeightDecay: [...ALBERT_EXCLUDE_FROM_WEIGHT_DECAY] }),
    schedule: linearScheduleWithWarmup({ peak: flags.lr, warmupSteps, totalSteps: steps }),
    warmupSteps,
  };
}
