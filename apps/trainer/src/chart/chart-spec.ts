// The run chart as a Vega-Lite spec: loss (raw and a moving mean, plus dev loss), learning rate,
// and the evaluation metrics, stacked over a shared step axis. The same spec renders in a browser.
import type { TopLevelSpec } from 'vega-lite';
import type { MetricsRecord } from '../log/metrics-log.js';

type Row = { step: number; series: string; value: number };

const WIDTH = 640;
const HEIGHT = 170;

export function chartSpec(records: MetricsRecord[], title: string): TopLevelSpec {
  const train = records.filter((r) => r.kind === 'train');
  const evals = records.filter((r) => r.kind === 'eval');
  const loss: Row[] = train
    .filter((r) => Number.isFinite(r.loss))
    .map((r) => ({ step: r.step, series: 'train loss', value: r.loss }));
  const devLoss: Row[] = evals.flatMap((r) =>
    r.metrics.loss == null ? [] : [{ step: r.step, series: `${r.split} loss`, value: r.metrics.loss }],
  );
  const lr: Row[] = train.map((r) => ({ step: r.step, series: 'learning rate', value: r.learningRate }));
  // The metric panel holds scores (accuracy, F1, MCC, correlations; SQuAD's in percent); losses,
  // perplexity and counts would crush them.
  const scored = new Set(evals.flatMap((r) => Object.keys(r.metrics)));
  for (const r of evals) {
    for (const [name, v] of Object.entries(r.metrics)) {
      if (!(v >= -1 && v <= 100) || /loss|perplexity|total|tokens/.test(name)) scored.delete(name);
    }
  }
  const metrics: Row[] = evals.flatMap((r) =>
    Object.entries(r.metrics)
      .filter(([name]) => scored.has(name))
      .map(([name, value]) => ({ step: r.step, series: `${r.split} ${name}`, value })),
  );
  // A moving mean over ~2% of the run (at least 1 point) shows the trend under the noise.
  const window = Math.max(1, Math.round(loss.length / 50));
  const x = { field: 'step', type: 'quantitative', title: 'step' } as const;
  const mean = `train loss (mean of ${window})`;
  const lossColor = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: {
      domain: ['train loss', ...(window > 1 ? [mean] : []), ...new Set(devLoss.map((r) => r.series))],
      range: [...(window > 1 ? ['#9ecae9', '#1f5fa8'] : ['#1f5fa8']), '#e45756', '#f58518'],
    },
    legend: { symbolType: 'stroke' },
  } as const;
  const color = { field: 'series', type: 'nominal', title: null, legend: { symbolType: 'stroke' } } as const;
  const lossY = { field: 'value', type: 'quantitative', title: 'loss', scale: { zero: false } } as const;
  const panels: TopLevelSpec[] = [];
  panels.push({
    title: 'loss',
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: loss },
        mark: { type: 'line', strokeWidth: 1 },
        encoding: { x, y: lossY, color: lossColor },
      },
      ...(window === 1
        ? []
        : [
            {
              data: { values: loss },
              transform: [
                {
                  window: [{ op: 'mean', field: 'value', as: 'mean' }],
                  frame: [-(window - 1), 0],
                  sort: [{ field: 'step' }],
                },
                { calculate: `'${mean}'`, as: 'series' },
              ],
              mark: { type: 'line', strokeWidth: 2 },
              encoding: { x, y: { ...lossY, field: 'mean' }, color: lossColor },
            },
          ]),
      ...(devLoss.length === 0
        ? []
        : [
            {
              data: { values: devLoss },
              mark: { type: 'line' as const, point: true, strokeDash: [4, 2] },
              encoding: { x, y: lossY, color: lossColor },
            },
          ]),
    ],
  } as TopLevelSpec);
  panels.push({
    title: 'learning rate',
    width: WIDTH,
    height: HEIGHT * 0.6,
    data: { values: lr },
    mark: { type: 'line', color: '#54a24b' },
    encoding: { x, y: { field: 'value', type: 'quantitative', title: 'learning rate', axis: { format: '.1e' } } },
  } as TopLevelSpec);
  if (metrics.length > 0) {
    panels.push({
      title: 'evaluation',
      width: WIDTH,
      height: HEIGHT,
      data: { values: metrics },
      mark: { type: 'line', point: true },
      encoding: { x, y: { field: 'value', type: 'quantitative', title: 'metric' }, color },
    } as TopLevelSpec);
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start', fontSize: 15 },
    background: 'white',
    padding: 12,
    vconcat: panels,
    resolve: { scale: { color: 'independent', x: 'shared' } },
    config: { font: 'DejaVu Sans', legend: { orient: 'right', labelLimit: 260 } },
  } as TopLevelSpec;
}
