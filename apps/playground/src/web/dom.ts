// A few DOM helpers: the page is plain TypeScript, no UI library (nothing here needs one).

type Child = Node | string | null | undefined | false;
type Props = Record<string, string | number | boolean | EventListener | undefined>;

/** document.createElement with attributes (`on…` keys become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const c of children) if (c != null && c !== false) el.append(c);
  return el;
}

/** Replaces the children of `el`. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c != null && c !== false));
}

/** A horizontal bar for a score in [0, 1] with its label and value. */
export function scoreBar(label: string, score: number, best = false): HTMLElement {
  const pct = Math.max(0, Math.min(1, score)) * 100;
  return h(
    'div',
    { class: `bar${best ? ' best' : ''}${label.length > 16 ? ' long' : ''}` },
    h('span', { class: 'bar-label', title: label }, label),
    h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: `width:${pct.toFixed(1)}%` })),
    h('span', { class: 'bar-value' }, score.toFixed(3)),
  );
}

/** Text with [start, end) spans wrapped in <mark> (spans sorted, not overlapping). */
export function highlighted(text: string, spans: { start: number; end: number; label?: string }[]): HTMLElement {
  const out = h('p', { class: 'highlighted' });
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    out.append(text.slice(at, s.start));
    const mark = h('mark', s.label != null ? { 'data-label': s.label } : {}, text.slice(s.start, s.end));
    if (s.label != null) mark.append(h('small', {}, s.label));
    out.append(mark);
    at = s.end;
  }
  out.append(text.slice(at));
  return out;
}

/** A plain-words error box. */
export function errorBox(err: unknown): HTMLElement {
  const message = (err as Error)?.message ?? String(err);
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'That did not work. '), message);
}
