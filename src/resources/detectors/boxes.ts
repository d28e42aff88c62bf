import type { Box, Detection } from './detection.js';

/** Intersection over union of two boxes (0 when they do not overlap). */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/**
 * Greedy non-maximum suppression within each label: the best-scoring box wins and overlapping boxes of
 * the same label (IoU above `threshold`) are dropped. Detectors emit several boxes per thing.
 */
export function suppressOverlaps(detections: Detection[], threshold = 0.45): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    if (!kept.some((k) => k.label === d.label && iou(k, d) > threshold)) kept.push(d);
  }
  return kept;
}

/** Clamps a box given as corners to the image, or null when nothing of it is inside. */
export function clampBox(x1: number, y1: number, x2: number, y2: number, width: number, height: number): Box | null {
  const left = Math.max(0, Math.floor(x1));
  const top = Math.max(0, Math.floor(y1));
  const right = Math.min(width, Math.ceil(x2));
  const bottom = Math.min(height, Math.ceil(y2));
  if (right - left < 2 || bottom - top < 2) return null;
  return { left, top, width: right - left, height: bottom - top };
}

/** A box grown by `fraction` of its size on each side, clamped to the image. */
export function growBox(box: Box, fraction: number, width: number, height: number): Box {
  const dx = box.width * fraction;
  const dy = box.height * fraction;
  return clampBox(box.left - dx, box.top - dy, box.left + box.width + dx, box.top + box.height + dy, width, height) ?? box;
}
