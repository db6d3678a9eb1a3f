// The attention view: pick a layer application and a head, see token-to-token attention as a
// heatmap over the SentencePiece pieces; and the parameter-sharing diagram — which applications
// run which group's weights (click one to show its attention).
import { type LayerApplication, layerApplications, sharingGroups } from '../../info/sharing.js';
import { fill, h } from '../dom.js';
import type { AttentionResult } from '../protocol.js';
import { field, loadingStatus, type PanelContext, taskCard } from './card.js';

const GROUP_COLOURS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2'];

export function groupColour(group: number): string {
  return GROUP_COLOURS[group % GROUP_COLOURS.length] ?? '#2563eb';
}

function pieceLabel(piece: string): string {
  return piece.replace(/^▁/, '_');
}

/** seq × seq cells: row = the token attending, column = the token attended to. */
export function heatmap(result: AttentionResult, application: number, head: number): HTMLElement {
  const { seq, heads, data, tokens } = result;
  const offset = (application * heads + head) * seq * seq;
  let max = 0;
  for (let k = 0; k < seq * seq; k++) max = Math.max(max, data[offset + k] ?? 0);
  const grid = h('div', {
    class: 'heatmap',
    'data-max': max.toFixed(4),
    style: `grid-template-columns: auto repeat(${seq}, 1.8em)`,
    'data-rows': seq,
    'data-cols': seq,
  });
  grid.append(h('span', { class: 'corner' }));
  for (const t of tokens.slice(0, seq))
    grid.append(h('span', { class: 'col-label', title: t.piece }, pieceLabel(t.piece)));
  for (let r = 0; r < seq; r++) {
    grid.append(h('span', { class: 'row-label', title: tokens[r]?.piece ?? '' }, pieceLabel(tokens[r]?.piece ?? '')));
    for (let c = 0; c < seq; c++) {
      const p = data[offset + r * seq + c] ?? 0;
      grid.append(
        h('span', {
          class: 'cell',
          style: `background: rgba(37, 99, 235, ${(max > 0 ? p / max : 0).toFixed(3)})`,
          title: `${tokens[r]?.piece} → ${tokens[c]?.piece}: ${p.toFixed(3)}`,
        }),
      );
    }
  }
  return grid;
}

function describeApplication(a: LayerApplication, inner: number): string {
  return `#${a.index}: layer ${a.layer}${inner > 1 ? `, inner ${a.inner}` : ''} — group ${a.group}`;
}

/** The applications in order, coloured by the group whose weights they run, and the groups below. */
export function sharingDiagram(
  config: AttentionResult['config'],
  selected: number,
  onPick: (application: number) => void,
): HTMLElement {
  const apps = layerApplications(config);
  const groups = sharingGroups(config);
  return h(
    'div',
    { class: 'sharing' },
    h(
      'p',
      { class: 'sharing-title' },
      `${apps.length} layer applications, ${groups.length} set${groups.length === 1 ? '' : 's'} of weights: ` +
        (groups.length === 1
          ? 'every application runs the same layer weights.'
          : 'applications of one colour run the same weights.'),
    ),
    h(
      'div',
      { class: 'apps' },
      ...apps.map((a) => {
        const chip = h(
          'button',
          {
            type: 'button',
            class: `app${a.index === selected ? ' selected' : ''}`,
            style: `--group: ${groupColour(a.group)}`,
            title: `${describeApplication(a, config.innerGroupNum)}: ${a.weights}`,
            'data-group': a.group,
          },
          String(a.index),
        );
        chip.addEventListener('click', () => onPick(a.index));
        return chip;
      }),
    ),
    h(
      'div',
      { class: 'groups' },
      ...groups.map((g) =>
        h(
          'div',
          { class: 'group', style: `--group: ${groupColour(g.group)}` },
          h('strong', {}, `group ${g.group}`),
          ` · albert_layer_groups.${g.group} · ${g.innerLayers} layer${g.innerLayers === 1 ? '' : 's'} · run by ${g.applications.length} applications`,
        ),
      ),
    ),
  );
}

export function attentionCard({ client }: PanelContext): HTMLElement {
  const text = h('input', { name: 'text', value: 'The rabbit ran down the hole.' });
  const appSelect = h('select', { name: 'application' });
  const headSelect = h('select', { name: 'head' });
  const view = h('div', { class: 'attention-view' });
  let result: AttentionResult | null = null;

  const draw = () => {
    if (result == null) return;
    const application = Number(appSelect.value);
    const head = Number(headSelect.value);
    fill(
      view,
      sharingDiagram(result.config, application, (k) => {
        appSelect.value = String(k);
        draw();
      }),
      h(
        'p',
        { class: 'caption' },
        `Application ${application}, head ${head}: row = token attending, column = token attended to; darker = more attention.`,
      ),
      heatmap(result, application, head),
    );
  };
  appSelect.addEventListener('change', draw);
  headSelect.addEventListener('change', draw);

  const card = taskCard({
    id: 'panel-attention',
    title: 'Attention and shared layers',
    blurb:
      "ALBERT runs the same layer weights again and again (cross-layer sharing). Pick a layer application and a head to see each piece's attention.",
    controls: [field('Sentence', text), field('Layer application', appSelect), field('Head', headSelect)],
    button: 'Show attention',
    run: async (status) => {
      result = await client.request<AttentionResult>({ type: 'attention', text: text.value }, loadingStatus(status));
      const apps = layerApplications(result.config);
      const keep = Math.min(Number(appSelect.value) || 0, apps.length - 1);
      fill(
        appSelect,
        ...apps.map((a) => h('option', { value: a.index }, describeApplication(a, result!.config.innerGroupNum))),
      );
      fill(headSelect, ...Array.from({ length: result.heads }, (_, k) => h('option', { value: k }, `head ${k}`)));
      appSelect.value = String(keep);
      draw();
      return view;
    },
  });
  return card;
}
