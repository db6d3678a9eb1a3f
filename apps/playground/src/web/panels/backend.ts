// The backend card: pick webgpu / webgl / wasm / cpu (or the best), and the capability report —
// which backends initialise here (and why not), SIMD, threads and cross-origin isolation.
import { errorBox, fill, h } from '../dom.js';
import type { BackendChoice, Capabilities } from '../protocol.js';
import type { PanelContext } from './card.js';

function report(c: Capabilities): HTMLElement {
  const cores = `${c.logicalCores} logical core${c.logicalCores === 1 ? '' : 's'}`;
  const threads =
    c.wasm == null
      ? 'wasm did not initialise'
      : c.wasm.threads > 1
        ? `on: ${c.wasm.threads} threads (threaded SIMD build, ${cores})`
        : c.wasm.threadedBuild
          ? `threaded build loaded, but it computes on 1 thread (${cores})`
          : c.crossOriginIsolated
            ? 'off (the threaded build did not start)'
            : 'off: the page is not cross-origin isolated (it needs the COOP/COEP headers)';
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  return h(
    'div',
    {},
    h('p', { class: 'chosen' }, 'Running on ', h('strong', { id: 'backend-name' }, c.report.backend), `: ${c.summary}`),
    h(
      'table',
      { class: 'caps' },
      h(
        'tbody',
        {},
        ...c.probes.map((p) =>
          h(
            'tr',
            { 'data-backend': p.backend, class: p.ok ? 'ok' : 'no' },
            h('th', {}, p.backend),
            h('td', {}, p.ok ? '✓' : '✗'),
            h('td', {}, p.detail),
          ),
        ),
        h(
          'tr',
          {},
          h('th', {}, 'wasm SIMD'),
          h('td', {}, c.wasm?.simd ? '✓' : '✗'),
          h('td', {}, c.wasm == null ? '' : yes(c.wasm.simd)),
        ),
        h(
          'tr',
          { id: 'threads-row', 'data-threads': String(c.wasm?.threads ?? 0) },
          h('th', {}, 'wasm threads'),
          h('td', {}, (c.wasm?.threads ?? 1) > 1 ? '✓' : '✗'),
          h('td', {}, threads),
        ),
        h(
          'tr',
          {},
          h('th', {}, 'cross-origin isolated'),
          h('td', {}, c.crossOriginIsolated ? '✓' : '✗'),
          h('td', {}, `SharedArrayBuffer: ${yes(c.sharedArrayBuffer)}`),
        ),
      ),
    ),
  );
}

export function backendCard({ client }: PanelContext, onReady: (c: Capabilities) => void): HTMLElement {
  const select = h(
    'select',
    { name: 'backend' },
    ...(['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const).map((b) =>
      h('option', { value: b }, b === 'auto' ? 'best available' : b),
    ),
  );
  const output = h('div', { class: 'output' }, h('p', { class: 'status' }, 'Checking what this browser can do…'));
  const apply = async () => {
    select.disabled = true;
    fill(output, h('p', { class: 'status' }, 'Starting the backend…'));
    try {
      const caps = await client.request<Capabilities>({ type: 'init', backend: select.value as BackendChoice });
      fill(output, report(caps));
      output.dataset.state = 'done';
      onReady(caps);
    } catch (err) {
      fill(output, errorBox(err));
      output.dataset.state = 'error';
    } finally {
      select.disabled = false;
    }
  };
  select.addEventListener('change', () => void apply());
  void apply();
  return h(
    'section',
    { class: 'card wide', id: 'panel-backend' },
    h('h2', {}, 'Backend'),
    h('label', { class: 'field inline' }, h('span', {}, 'Compute with'), select),
    output,
  );
}
