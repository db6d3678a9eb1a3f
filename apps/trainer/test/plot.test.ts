// The run chart: a metrics log → SVG (Vega-Lite + vega) and PNG (resvg), through the CLI.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from './helpers/run-cli.js';

function pngSize(png: Buffer): { width: number; height: number } {
  // PNG signature, then the IHDR chunk: width and height as big-endian u32 at bytes 16 and 20.
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('albert-train plot', { timeout: 900_000 }, () => {
  it('draws loss, learning rate and metrics from metrics.jsonl as SVG and PNG', async () => {
    const run = await mkdtemp(join(tmpdir(), 'albert-train-plot-'));
    const lines: string[] = [];
    for (let step = 1; step <= 40; step++) {
      lines.push(
        JSON.stringify({ kind: 'train', step, loss: 5 - step / 20, learningRate: step < 10 ? step * 1e-4 : 1e-3 }),
      );
      if (step % 20 === 0) {
        lines.push(
          JSON.stringify({ kind: 'eval', step, split: 'dev', metrics: { loss: 4.5 - step / 40, accuracy: step / 50 } }),
        );
      }
    }
    await writeFile(join(run, 'metrics.jsonl'), `${lines.join('\n')}\n{"kind":"train","st`); // a cut last line is ignored
    const summary = await runJson<{ svg: string; png: string; trainRecords: number; evalRecords: number }>([
      'plot',
      run,
    ]);
    expect(summary).toEqual({
      svg: join(run, 'chart.svg'),
      png: join(run, 'chart.png'),
      trainRecords: 40,
      evalRecords: 2,
    });

    const svg = await readFile(summary.svg, 'utf8');
    for (const text of ['loss', 'learning rate', 'evaluation', 'train loss', 'dev loss', 'dev accuracy']) {
      expect(svg).toContain(`>${text}<`);
    }
    const width = Number(/<svg[^>]*width="(\d+)"/.exec(svg)?.[1]);
    const height = Number(/<svg[^>]*height="(\d+)"/.exec(svg)?.[1]);
    expect(width).toBeGreaterThan(600);
    const png = pngSize(await readFile(summary.png));
    expect(png).toEqual({ width: width * 2, height: height * 2 });
  });

  it('says what is missing when the run has no metrics log', async () => {
    const run = await mkdtemp(join(tmpdir(), 'albert-train-plot-empty-'));
    const r = await runCli(['plot', run]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no metrics log at '.*metrics\.jsonl'/);
  });
});
