// A live loss curve as inline SVG: loss per update (light) and its moving average (dark), axes with
// the first and last step and the loss range. Redrawn on every update (a few hundred points at most).
const W = 520;
const H = 200;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };
const NS = 'http://www.w3.org/2000/svg';

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text != null) e.textContent = text;
  return e;
}

/** Window of the smoothed line: about a tenth of the run, at least 1. */
function smoothing(maxSteps: number): number {
  return Math.max(1, Math.round(maxSteps / 10));
}

/** Mean of the last `window` values at each step (fewer at the start). */
export function movingAverage(values: number[], window: number): number[] {
  let sum = 0;
  return values.map((v, i) => {
    sum += v - (i >= window ? (values[i - window] as number) : 0);
    return sum / Math.min(i + 1, window);
  });
}

export function lossCurve(losses: number[], maxSteps: number): SVGSVGElement {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'loss-curve', role: 'img' }) as SVGSVGElement;
  svg.setAttribute('aria-label', `training loss over ${losses.length} of ${maxSteps} updates`);
  const lo = Math.min(...losses, Number.POSITIVE_INFINITY);
  const hi = Math.max(...losses, Number.NEGATIVE_INFINITY);
  const span = hi - lo || 1;
  const x = (i: number) => PAD.left + ((W - PAD.left - PAD.right) * i) / Math.max(1, maxSteps - 1);
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - (v - lo) / span);
  svg.append(
    el('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, class: 'axis' }),
    el('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, class: 'axis' }),
    el(
      'text',
      { x: PAD.left - 6, y: PAD.top + 4, 'text-anchor': 'end', class: 'tick' },
      Number.isFinite(hi) ? hi.toFixed(2) : '',
    ),
    el(
      'text',
      { x: PAD.left - 6, y: H - PAD.bottom, 'text-anchor': 'end', class: 'tick' },
      Number.isFinite(lo) ? lo.toFixed(2) : '',
    ),
    el('text', { x: PAD.left, y: H - 8, class: 'tick' }, '1'),
    el('text', { x: W - PAD.right, y: H - 8, 'text-anchor': 'end', class: 'tick' }, `${maxSteps} updates`),
    el(
      'text',
      { x: 12, y: H / 2, class: 'tick', transform: `rotate(-90 12 ${H / 2})`, 'text-anchor': 'middle' },
      'loss',
    ),
  );
  if (losses.length > 0) {
    const line = (values: number[]) => values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    svg.append(el('polyline', { points: line(losses), class: 'line raw' }));
    svg.append(el('polyline', { points: line(movingAverage(losses, smoothing(maxSteps))), class: 'line' }));
  }
  return svg;
}
