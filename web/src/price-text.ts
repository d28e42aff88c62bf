/**
 * A model's price as a person reads it. `GET /models` writes every price as Venice does, `{usd, diem}`:
 * DIEM is Venice's own token, and this server charges in dollars only (its `diem` always equals `usd`),
 * so the page shows dollars and leaves DIEM out rather than show an unexplained second currency.
 *
 * @example priceText({ inpaint: { usd: 0.04, diem: 0.04 } }) // 'inpaint: $0.04'
 * @example priceText({ upscale: { '2x': { usd: 0.02 }, '4x': { usd: 0.08 } } }) // 'upscale: 2x: $0.02, 4x: $0.08'
 */
export function priceText(pricing: unknown, depth = 0): string {
  if (isAmount(pricing)) return `$${pricing.usd}`;
  if (pricing && typeof pricing === 'object') {
    // Top-level entries apart with ';', the tiers inside one with ','.
    return Object.entries(pricing as Record<string, unknown>)
      .map(([name, value]) => `${name}: ${priceText(value, depth + 1)}`)
      .join(depth === 0 ? '; ' : ', ');
  }
  return String(pricing);
}

function isAmount(value: unknown): value is { usd: number } {
  return typeof value === 'object' && value !== null && typeof (value as { usd?: unknown }).usd === 'number';
}
