// The progress line's ETA: a resumed run's trainer knows the rate of this session only; the bar must
// print the trainer's estimate, not one computed from the steps done before the resume.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDuration, ProgressBar } from '../src/progress/progress-bar.js';

describe('ProgressBar (plain lines, as in a log file)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function lines(run: (bar: ProgressBar) => void): string[] {
    const out: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const isTTY = process.stderr.isTTY;
    process.stderr.isTTY = false;
    try {
      run(new ProgressBar({ label: 'pretrain', total: 4500, unit: 'steps', fields: ['loss'], plainEveryMs: 0 }));
    } finally {
      process.stderr.isTTY = isTTY;
    }
    return out;
  }

  it("prints the caller's ETA when it gives one (a run resumed at step 509 of 4500)", () => {
    const out = lines((bar) => bar.update(534, { loss: 6.9 }, 3966));
    expect(out).toEqual(['pretrain 534/4500 steps | loss 6.9 | ETA 1h06m\n']);
  });

  it('formats durations as seconds, minutes and hours', () => {
    expect([formatDuration(0), formatDuration(59_400), formatDuration(61_000), formatDuration(3_966_000)]).toEqual([
      '0s',
      '59s',
      '1m01s',
      '1h06m',
    ]);
  });
});
