import { clampBox } from '../boxes.js';
import type { Detection } from '../detection.js';

/**
 * DB post-processing, as PaddleOCR does it with axis-aligned boxes: pixels above BINARY_THRESHOLD form
 * connected regions; a region whose mean probability reaches BOX_THRESHOLD is a line of text, grown by
 * DB's "unclip" distance (area x 1.5 / perimeter), since the network predicts a shrunken text kernel.
 */

const BINARY_THRESHOLD = 0.3;
/** PaddleOCR's default is 0.6; calibrated on the labelled set (bench/detection), 0.6 kept. */
export const BOX_THRESHOLD = 0.6;
const UNCLIP_RATIO = 1.5;
const MIN_SIDE = 3;

/**
 * Lines of text are long and thin, or small: a blob that is both roughly square and tall (over a tenth of
 * the picture) is something else (the detector fired at 0.99 on the coffee in coffee.png). Single large
 * letters are lost to this rule; sentences, captions, watermarks and signs are kept.
 */
function lineShaped(w: number, h: number, mapShortSide: number): boolean {
  return Math.max(w, h) / Math.min(w, h) >= 1.5 || Math.min(w, h) <= 0.1 * mapShortSide;
}

interface Geometry {
  scaleX: number;
  scaleY: number;
  width: number;
  height: number;
}

export function textRegions(map: Float32Array, mapWidth: number, mapHeight: number, image: Geometry): Detection[] {
  const labels = new Int32Array(mapWidth * mapHeight);
  const stack: number[] = [];
  const boxes: Detection[] = [];
  let next = 0;
  for (let start = 0; start < map.length; start++) {
    if (labels[start] !== 0 || map[start] <= BINARY_THRESHOLD) continue;
    next++;
    labels[start] = next;
    stack.push(start);
    let sum = 0;
    let count = 0;
    let x1 = mapWidth;
    let y1 = mapHeight;
    let x2 = 0;
    let y2 = 0;
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % mapWidth;
      const y = (i - x) / mapWidth;
      sum += map[i];
      count++;
      if (x < x1) x1 = x;
      if (x > x2) x2 = x;
      if (y < y1) y1 = y;
      if (y > y2) y2 = y;
      const visit = (j: number) => {
        if (labels[j] === 0 && map[j] > BINARY_THRESHOLD) {
          labels[j] = next;
          stack.push(j);
        }
      };
      if (x > 0) visit(i - 1);
      if (x < mapWidth - 1) visit(i + 1);
      if (y > 0) visit(i - mapWidth);
      if (y < mapHeight - 1) visit(i + mapWidth);
    }
    const w = x2 - x1 + 1;
    const h = y2 - y1 + 1;
    const score = sum / count;
    if (Math.min(w, h) < MIN_SIDE || score < BOX_THRESHOLD || !lineShaped(w, h, Math.min(mapWidth, mapHeight))) continue;
    const grow = (w * h * UNCLIP_RATIO) / (2 * (w + h));
    const box = clampBox(
      (x1 - grow) * image.scaleX,
      (y1 - grow) * image.scaleY,
      (x2 + 1 + grow) * image.scaleX,
      (y2 + 1 + grow) * image.scaleY,
      image.width,
      image.height,
    );
    if (!box) continue;
    boxes.push({ label: 'text', score, ...box });
  }
  return boxes;
}
