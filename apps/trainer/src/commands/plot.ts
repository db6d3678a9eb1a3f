// `albert-train plot <run>`: the run's metrics log → chart.svg and chart.png in the run folder.
// pretrain and finetune call plotRun at their end too.
import { statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Command } from 'commander';
import { chartSpec } from '../chart/chart-spec.js';
import { writeChart } from '../chart/render-chart.js';
import { addCommonOptions, type CommonFlags } from '../cli/options.js';
import { reporter } from '../cli/output.js';
import { METRICS_FILE, readMetricsLog } from '../log/metrics-log.js';

export interface PlotSummary {
  svg: string;
  png: string;
  trainRecords: number;
  evalRecords: number;
}

/** `run` is a run folder (holding metrics.jsonl) or a .jsonl file. */
export async function plotRun(run: string, output?: string, title?: string): Promise<PlotSummary> {
  const isFile = statSync(run, { throwIfNoEntry: false })?.isFile() === true;
  const log = isFile ? run : join(run, METRICS_FILE);
  const records = readMetricsLog(log);
  const folder = isFile ? resolve(run, '..') : run;
  const base = output ?? join(folder, 'chart');
  const files = await writeChart(chartSpec(records, title ?? basename(resolve(folder))), base);
  return {
    ...files,
    trainRecords: records.filter((r) => r.kind === 'train').length,
    evalRecords: records.filter((r) => r.kind === 'eval').length,
  };
}

export function plotCli(): Command {
  const command = new Command('plot')
    .summary("draw a run's loss / learning-rate / metric chart as SVG and PNG")
    .description(
      'Reads the JSONL metrics log of a run (metrics.jsonl in a pretrain or finetune output folder) and draws the ' +
        'training loss (raw and a moving mean), the dev loss, the learning rate and the evaluation metrics over the ' +
        'steps, with Vega-Lite, as <run>/chart.svg and <run>/chart.png.',
    )
    .argument('<run>', 'a run folder, or a metrics .jsonl file')
    .option('-o, --output <base>', 'output path without extension (default <run>/chart)')
    .option('--title <text>', 'chart title (default: the run folder name)')
    .addHelpText(
      'after',
      `
Example:
  $ albert-train plot runs/pretrain-tiny
  wrote runs/pretrain-tiny/chart.svg and runs/pretrain-tiny/chart.png (500 training steps, 5 evaluations)`,
    )
    .action(async (run: string, flags: CommonFlags & { output?: string; title?: string }) => {
      const summary = await plotRun(run, flags.output, flags.title);
      reporter(flags).summary(
        summary,
        (s) => `wrote ${s.svg} and ${s.png} (${s.trainRecords} training steps, ${s.evalRecords} evaluations)`,
      );
    });
  return addCommonOptions(command);
}
