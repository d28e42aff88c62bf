import type { Rect } from './geometry.js';
import { planeOut, sharpFromPlane, type MaskConvention, type Plane } from './masks.js';
import { blendWeighted, measureLayer, multiplyWeights } from './worker-ops.js';
import type { PixelWork } from './worker-pool.js';
import type { LayerStats } from './pixel-stats.js';
import { sharpFromRaw, type RawImage } from './raw-image.js';
import { splitAlpha } from './tone.js';

/**
 * Layers of a multi-edit request: telling a mask from an overlay, and placing an overlay on the base.
 *
 * Classification (documented in docs/local-edit.md; the client can override it with `layer_roles`):
 * - an image with real transparency (some pixels fully transparent, the alpha nearly two-tone) whose
 *   visible part is plain (black, white or grey) or is the base photo itself is an OpenAI-style mask:
 *   edit where transparent;
 * - an opaque, colourless image that is nearly two-tone (at least 85% of it near black or near white,
 *   with some white) is a Stability/IOPaint-style mask: edit where white;
 * - anything else is a picture: an overlay or a new background, depending on what the prompt asks.
 */

export interface LayerTraits {
  /** The mask convention the layer fits, or null when it looks like a picture. */
  maskConvention: MaskConvention | null;
  /** Whether the layer has any transparent pixels (used when a client forces the mask role). */
  hasTransparency: boolean;
  stats: LayerStats;
}

/**
 * Measures `layer` (comparing it with `base` when it has transparency) and says which mask convention,
 * if any, it fits.
 *
 * @example const { maskConvention } = await inspectLayer(images[1], images[0]);
 */
export async function inspectLayer(layer: RawImage, base: RawImage, work: PixelWork): Promise<LayerTraits> {
  const needsBase = layer.channels === 4;
  const baseAtLayerSize = needsBase ? await resizedTo(base, layer.width, layer.height) : null;
  const stats = await measureLayer(layer, baseAtLayerSize, work);
  return { maskConvention: maskConventionOf(stats, layer.channels === 4), hasTransparency: stats.transparent > 0, stats };
}

function maskConventionOf(stats: LayerStats, hasAlpha: boolean): MaskConvention | null {
  const hasHoles = hasAlpha && stats.transparent >= 0.001;
  if (hasHoles) {
    const plainOrBase = stats.colourful <= 0.02 || (stats.baseDifference !== null && stats.baseDifference <= 12);
    return stats.alphaTwoTone >= 0.95 && plainOrBase ? 'alpha' : null;
  }
  const twoTone = stats.colourful <= 0.02 && stats.lumaTwoTone >= 0.85 && stats.light >= 0.001;
  return twoTone ? 'luma' : null;
}

/** The convention to read a layer with when the client said it is a mask. */
export function forcedConvention(traits: LayerTraits): MaskConvention {
  return traits.maskConvention ?? (traits.hasTransparency ? 'alpha' : 'luma');
}

async function resizedTo(image: RawImage, width: number, height: number): Promise<RawImage> {
  if (image.width === width && image.height === height) return image;
  const data = await sharpFromRaw(image).resize(width, height, { fit: 'fill' }).raw().toBuffer();
  return { data, width, height, channels: image.channels };
}

export type Anchor = 'top-left' | 'top' | 'top-right' | 'left' | 'center' | 'right' | 'bottom-left' | 'bottom' | 'bottom-right';

export interface Placement {
  anchor: Anchor;
  /** Overlay width as a fraction of the base width; absent keeps its own size (shrunk to fit if needed). */
  widthFraction?: number;
  /** Place inside this box (a mask's bounds) instead of the whole picture, fitting it when no size is given. */
  within?: Rect;
}

/**
 * Where an overlay of `overlay`'s size goes on `base`: sized as asked, never larger than the area it is
 * placed in, aspect ratio kept, with a small margin from the edges for corner and edge positions.
 *
 * @example overlayRect({ width: 1000, height: 800 }, { width: 400, height: 200 },
 *   { anchor: 'top-right', widthFraction: 0.25 }) // { left: 726, top: 24, width: 250, height: 125 }
 */
export function overlayRect(
  base: { width: number; height: number },
  overlay: { width: number; height: number },
  placement: Placement,
): Rect {
  const area = placement.within ?? { left: 0, top: 0, width: base.width, height: base.height };
  const margin = placement.within ? 0 : Math.round(0.03 * Math.min(base.width, base.height));
  let scale = placement.widthFraction ? (placement.widthFraction * base.width) / overlay.width : 1;
  if (placement.within && !placement.widthFraction) scale = Infinity;
  const roomW =
    placement.anchor === 'center' || placement.anchor === 'top' || placement.anchor === 'bottom'
      ? area.width
      : area.width - margin;
  const roomH =
    placement.anchor === 'center' || placement.anchor === 'left' || placement.anchor === 'right'
      ? area.height
      : area.height - margin;
  scale = Math.min(scale, Math.max(1, roomW) / overlay.width, Math.max(1, roomH) / overlay.height);
  const width = Math.max(1, Math.min(area.width, Math.round(overlay.width * scale)));
  const height = Math.max(1, Math.min(area.height, Math.round(overlay.height * scale)));
  const [h, v] = anchorParts(placement.anchor);
  const left = area.left + align(h, area.width, width, margin);
  const top = area.top + align(v, area.height, height, margin);
  return { left, top, width, height };
}

function anchorParts(anchor: Anchor): ['start' | 'middle' | 'end', 'start' | 'middle' | 'end'] {
  const h = anchor.includes('left') ? 'start' : anchor.includes('right') ? 'end' : 'middle';
  const v = anchor.startsWith('top') ? 'start' : anchor.startsWith('bottom') ? 'end' : 'middle';
  return [h, v];
}

function align(where: 'start' | 'middle' | 'end', length: number, size: number, margin: number): number {
  const free = length - size;
  if (where === 'middle') return Math.floor(free / 2);
  const offset = Math.min(margin, Math.floor(free / 2));
  return where === 'start' ? offset : free - offset;
}

/**
 * Composites `overlay` over `base` in `rect`, honouring the overlay's own alpha and, when given, a
 * base-sized mask that limits where it may show. Pixels outside the rectangle are untouched.
 */
export async function compositeOverlay(
  base: RawImage,
  overlay: RawImage,
  rect: Rect,
  clip: Plane | undefined,
  work: PixelWork,
): Promise<RawImage> {
  const { data } = await sharpFromRaw(overlay)
    .ensureAlpha()
    .resize(rect.width, rect.height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { rgb, alpha } = await splitAlpha({ data, width: rect.width, height: rect.height, channels: 4 });
  let weight: Uint8Array = alpha;
  if (clip) {
    const clipped = await planeOut(sharpFromPlane(clip).extract(rect));
    weight = await multiplyWeights(alpha, clipped.data, work);
  }
  return blendWeighted(base, rgb, weight, rect, work);
}
