import sharp from 'sharp';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Mask agreement of two mattes: IoU of alpha > 0.5, and the mean absolute alpha difference (0..1). */
export function agreement(a: Uint8Array, b: Uint8Array): { iou: number; mad: number } {
  if (a.length !== b.length) throw new Error(`mattes differ in size: ${a.length} vs ${b.length}`);
  let intersection = 0,
    union = 0,
    diff = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] > 127,
      y = b[i] > 127;
    if (x && y) intersection++;
    if (x || y) union++;
    diff += Math.abs(a[i] - b[i]);
  }
  return { iou: union ? intersection / union : 1, mad: diff / a.length / 255 };
}

/** The alpha (or the only channel) of a PNG file, one byte per pixel. */
export async function readMatte(path: string): Promise<Uint8Array> {
  const image = sharp(path);
  const { channels } = await image.metadata();
  const channel = (channels === 4 || channels === 2 ? channels - 1 : 0) as 0 | 1 | 3;
  const data = await image.extractChannel(channel).raw().toBuffer();
  return new Uint8Array(data);
}

export const fmt = (n: number, digits = 0) => n.toFixed(digits);
