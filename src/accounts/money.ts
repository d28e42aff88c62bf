/** Money helpers: the API speaks USD, the store counts integer micro-dollars. */

const MICROS_PER_USD = 1_000_000;

/**
 * Parses a USD amount written by a person ("5", "0.04", "$12.50") into micro-dollars, exactly:
 * the digits are read as a decimal string so that no float rounding can creep into a balance.
 */
export function parseUsd(text: string): number {
  const match = /^\s*\$?(\d{1,9})(?:\.(\d{1,6}))?\s*$/.exec(text);
  if (!match) throw new Error(`Expected a USD amount like 5 or 0.04 (at most 6 decimals) but received "${text}"`);
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(6, '0'));
  return whole * MICROS_PER_USD + fraction;
}

/** Formats micro-dollars as a plain decimal USD string without trailing zeros: 40000 -> "0.04". */
export function formatUsd(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_USD);
  const fraction = String(abs % MICROS_PER_USD)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}
