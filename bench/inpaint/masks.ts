import { createRng, type Rng } from '../../src/imaging/inpaint/rng.js';

/** The kinds of generated hole: compact blobs (objects to erase) and brush strokes (scribbles, wires). */
export type MaskKind = 'blobs' | 'strokes';

/**
 * A seeded mask (255 = hole) covering about `fraction` of a width x height image. Shapes are added until
 * the coverage is reached, so the actual coverage is within one shape of the target; it is reported.
 *
 * @example
 * const hole = generateMask(600, 400, 0.05, 'blobs', 1);
 */
export function generateMask(width: number, height: number, fraction: number, kind: MaskKind, seed: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  const rng = createRng(seed);
  const goal = fraction * width * height;
  let covered = 0;
  while (covered < goal) {
    covered += kind === 'blobs' ? addBlob(mask, width, height, goal - covered, rng) : addStroke(mask, width, height, rng);
  }
  return mask;
}

export function coverage(mask: Uint8Array): number {
  let n = 0;
  for (const v of mask) if (v > 127) n++;
  return n / mask.length;
}

/** A lumpy blob: a cluster of overlapping discs, about the size still needed (capped to a tenth of the image). */
function addBlob(mask: Uint8Array, width: number, height: number, remaining: number, rng: Rng): number {
  const area = Math.min(remaining * 1.1, 0.1 * width * height) + 40;
  const radius = Math.sqrt(area / Math.PI);
  const cx = radius + rng.next() * (width - 2 * radius);
  const cy = radius + rng.next() * (height - 2 * radius);
  let added = 0;
  for (let k = 0; k < 7; k++) {
    const angle = rng.next() * 2 * Math.PI;
    const offset = rng.next() * radius * 0.45;
    const r = radius * (0.45 + rng.next() * 0.3);
    added += disc(mask, width, height, cx + Math.cos(angle) * offset, cy + Math.sin(angle) * offset, r);
  }
  return added;
}

/** A brush stroke: a smooth random walk of discs, a few percent of the image's short side thick. */
function addStroke(mask: Uint8Array, width: number, height: number, rng: Rng): number {
  const side = Math.min(width, height);
  const r = side * (0.012 + rng.next() * 0.018);
  let x = rng.next() * width;
  let y = rng.next() * height;
  let angle = rng.next() * 2 * Math.PI;
  const steps = Math.round((side * (0.3 + rng.next() * 0.4)) / r);
  let added = 0;
  for (let s = 0; s < steps; s++) {
    added += disc(mask, width, height, x, y, r);
    angle += (rng.next() - 0.5) * 0.8;
    x = Math.min(width - 1, Math.max(0, x + Math.cos(angle) * r));
    y = Math.min(height - 1, Math.max(0, y + Math.sin(angle) * r));
  }
  return added;
}

/** Sets a disc; returns how many pixels were newly set. */
function disc(mask: Uint8Array, width: number, height: number, cx: number, cy: number, r: number): number {
  let added = 0;
  const y0 = Math.max(0, Math.floor(cy - r));
  const y1 = Math.min(height - 1, Math.ceil(cy + r));
  const x0 = Math.max(0, Math.floor(cx - r));
  const x1 = Math.min(width - 1, Math.ceil(cx + r));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
      const i = y * width + x;
      if (!mask[i]) added++;
      mask[i] = 255;
    }
  }
  return added;
}
