import type { Detection } from '../../../resources/detectors/detection.js';
import type { Plane } from '../../../imaging/masks.js';
import type { ThingQuery } from './thing-words.js';

/**
 * Chooses, among the detections of the wanted kind, the ones the phrase means: first those inside the
 * user's mask and the named region, then by side, ordinal and size. Returns an empty list when the
 * qualifiers exclude everything (the caller then refuses, naming what it found).
 */
export function selectThings(
  candidates: Detection[],
  query: ThingQuery,
  image: { width: number; height: number },
  within?: Plane,
): Detection[] {
  const centre = (d: Detection) => ({ x: d.left + d.width / 2, y: d.top + d.height / 2 });
  let pool = candidates.filter((d) => !within || insideMask(d, within));
  const region = query.region;
  if (region) {
    pool = pool.filter((d) => {
      const c = centre(d);
      const xOk = !region.x || (region.x === 'left' ? c.x < image.width / 2 : c.x >= image.width / 2);
      const yOk = !region.y || (region.y === 'top' ? c.y < image.height / 2 : c.y >= image.height / 2);
      return xOk && yOk;
    });
  }
  if (pool.length === 0) return [];
  // Text is a set of lines: "the text", "the watermark" mean every line (within the region, if named).
  if (query.wanted.detector === 'text' || query.wanted.detector === 'plate') return pool;
  const side = query.side;
  if (side && query.all && side !== 'centre') {
    // "the people on the left": those whose centre is on that half.
    return pool.filter((d) => {
      const c = centre(d);
      if (side === 'left') return c.x < image.width / 2;
      if (side === 'right') return c.x >= image.width / 2;
      if (side === 'top') return c.y < image.height / 2;
      return c.y >= image.height / 2;
    });
  }
  if (query.all && !query.size) return pool;
  let order = [...pool];
  if (side) {
    const key = (d: Detection) => {
      const c = centre(d);
      if (side === 'left') return c.x;
      if (side === 'right') return -c.x;
      if (side === 'top') return c.y;
      if (side === 'bottom') return -c.y;
      return Math.hypot(c.x - image.width / 2, c.y - image.height / 2);
    };
    order.sort((a, b) => key(a) - key(b));
  } else {
    // No side named: the most prominent first (largest, then most confident), as "the car" means the one that stands out.
    order.sort((a, b) => b.width * b.height - a.width * a.height || b.score - a.score);
  }
  if (query.size) {
    const area = (d: Detection) => d.width * d.height;
    order = [...pool].sort((a, b) => (query.size === 'largest' ? area(b) - area(a) : area(a) - area(b)));
  }
  const index = (query.ordinal ?? 1) - 1;
  return index < order.length ? [order[index]] : [];
}

/** Whether most of a box lies inside the user's mask (more than half of a grid of samples). */
function insideMask(d: Detection, mask: Plane): boolean {
  let inside = 0;
  const n = 8;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = Math.min(mask.width - 1, Math.floor(d.left + ((i + 0.5) * d.width) / n));
      const y = Math.min(mask.height - 1, Math.floor(d.top + ((j + 0.5) * d.height) / n));
      if (mask.data[y * mask.width + x] > 127) inside++;
    }
  }
  return inside > (n * n) / 2;
}
