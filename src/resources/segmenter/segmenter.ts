import type { RawImage } from '../../imaging/raw-image.js';
import type { Availability } from '../availability.js';
import type { SharedResource } from '../resource-registry.js';

/**
 * A foreground/background matte at the image's full resolution: one byte per pixel, 255 = foreground.
 */
export interface AlphaMatte {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Finds the salient foreground subject of a photo. Background removal uses it directly; local-edit uses it
 * for "blur the background", "replace the background", subject-aware cropping and the like.
 */
export interface Segmenter extends SharedResource {
  status(): Availability;
  /** The refined, full-resolution matte of `image`. Rejects with an AbortError when `signal` aborts. */
  segment(image: RawImage, signal?: AbortSignal): Promise<AlphaMatte>;
  close(): Promise<void>;
}
