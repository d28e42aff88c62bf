import type { UsageRow } from './account-api.js';

/**
 * The usage history as two bar charts, spend by day and by model, drawn as SVG (no chart library, no
 * inline style: the page's CSP forbids it). Each bar carries a <title> with its exact amount.
 */
const SVG = 'http://www.w3.org/2000/svg';
const ROUTES = ['-multi-edit', '-background-remove', '-upscale', '-edit'];

/** The model of a ledger row: its SKU is `<model>-<route>`. */
export function modelOf(sku: string): string {
  const route = ROUTES.find((suffix) => sku.endsWith(suffix));
  return route ? sku.slice(0, -route.length) : sku;
}

export function totals(rows: UsageRow[], by: (row: UsageRow) => string): Array<[string, number]> {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(by(row), (sums.get(by(row)) ?? 0) + -row.amount);
  return [...sums.entries()];
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/** Horizontal bars, one per label, scaled to the largest; `usd` formats each amount. */
export function barChart(target: SVGSVGElement, series: Array<[string, number]>, caption: string): void {
  const rowHeight = 22;
  const labelWidth = 150;
  const width = 460;
  const top = Math.max(...series.map(([, v]) => v), 0);
  target.replaceChildren();
  target.setAttribute('viewBox', `0 0 ${width} ${Math.max(1, series.length) * rowHeight}`);
  target.setAttribute('role', 'img');
  target.setAttribute('aria-label', series.length ? caption : `${caption}: no charges yet`);
  series.forEach(([label, value], i) => {
    const y = i * rowHeight;
    const bar = svg('rect', {
      x: labelWidth,
      y: y + 4,
      height: rowHeight - 8,
      width: top > 0 ? Math.max(1, ((width - labelWidth - 70) * value) / top) : 0,
      class: 'bar',
    });
    const title = svg('title', {});
    title.textContent = `${label}: $${value.toFixed(4)}`;
    bar.append(title);
    const name = svg('text', { x: 0, y: y + rowHeight - 7, class: 'bar-label' });
    name.textContent = label;
    const amount = svg('text', { x: width - 65, y: y + rowHeight - 7, class: 'bar-value' });
    amount.textContent = `$${value.toFixed(2)}`;
    target.append(name, bar, amount);
  });
}
