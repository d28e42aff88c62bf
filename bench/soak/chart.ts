import sharp from 'sharp';

/** One curve per measure over the run's minutes, each scaled to its own panel, as a PNG. */
export async function drawCurves(path: string, samples: ReadonlyArray<Record<string, number>>, warmupMin: number): Promise<void> {
  const series: Array<[string, string, string]> = [
    ['rssMb', 'server RSS, MB', '#1f77b4'],
    ['healthP95Ms', '/healthz p95, ms', '#d62728'],
    ['loopP99Ms', 'event-loop delay p99, ms', '#2ca02c'],
    ['editP50Ms', 'edit p50, ms', '#9467bd'],
  ];
  const [width, panel, pad] = [900, 160, 40];
  const last = Math.max(1, ...samples.map((s) => s.atMin));
  const x = (min: number) => pad + (min / last) * (width - 2 * pad);
  const parts: string[] = [];
  series.forEach(([key, label, colour], i) => {
    const top = i * panel + 20;
    const values = samples.map((s) => s[key]).filter(Number.isFinite);
    const max = Math.max(1e-9, ...values);
    const y = (v: number) => top + panel - 30 - (v / max) * (panel - 50);
    const points = samples
      .filter((s) => Number.isFinite(s[key]))
      .map((s) => `${x(s.atMin).toFixed(1)},${y(s[key]).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<text x="${pad}" y="${top + 4}" font-size="13" font-family="sans-serif">${label} (max ${max.toFixed(1)})</text>`,
      `<line x1="${pad}" y1="${y(0)}" x2="${width - pad}" y2="${y(0)}" stroke="#999"/>`,
      `<line x1="${x(warmupMin)}" y1="${top + 8}" x2="${x(warmupMin)}" y2="${y(0)}" stroke="#bbb" stroke-dasharray="4"/>`,
      `<text x="${pad - 4}" y="${y(0) + 4}" font-size="10" font-family="sans-serif" text-anchor="end">0</text>`,
      `<text x="${pad - 4}" y="${y(max) + 4}" font-size="10" font-family="sans-serif" text-anchor="end">${max.toFixed(0)}</text>`,
      `<line x1="${pad}" y1="${y(max)}" x2="${width - pad}" y2="${y(max)}" stroke="#eee"/>`,
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>`,
    );
  });
  const height = series.length * panel + 30;
  // Minute marks along the bottom, about ten of them whatever the run's length.
  const step = Math.max(1, Math.ceil(last / 10));
  for (let min = 0; min <= last; min += step) {
    parts.push(
      `<text x="${x(min)}" y="${height - 20}" font-size="10" font-family="sans-serif" text-anchor="middle">${min}</text>`,
    );
  }
  parts.push(
    `<text x="${width / 2 - 60}" y="${height - 4}" font-size="12" font-family="sans-serif">minutes (dashed: end of warm-up)</text>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`;
  await sharp(Buffer.from(svg)).png().toFile(path);
}
