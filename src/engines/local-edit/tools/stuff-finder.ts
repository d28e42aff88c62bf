import type { Plane } from '../../../imaging/masks.js';
import type { RawImage } from '../../../imaging/raw-image.js';

/**
 * Finds "stuff" rather than things: the sky, grass, water, sand, snow, foliage, walls, the floor: regions
 * no object detector has, found from colour, texture and position. Each finder answers a soft mask (0..255,
 * edges graded) fit for colour and tone edits, and a short description of what it found for the response's
 * `x-retouch-found` header. StuffRegions (stuff-regions.ts) is the one local-edit has; the FinderChain asks
 * it after the parts of faces and before the object detector.
 */
export interface StuffFinder {
  /** Whether the phrase names stuff this finder looks for ("the sky", "the grass and bushes"). */
  canFind(phrase: string): boolean;
  /** The soft mask of the stuff; refuses (an ApiError 400 with the reason) when the picture has none of it. */
  find(image: RawImage, phrase: string, options: { signal: AbortSignal }): Promise<StuffMask>;
  /** The words it knows, for `describe()`'s can_find. */
  vocabulary(): string[];
}

export interface StuffMask {
  mask: Plane;
  /** What was found, for the header: "sky (bright, smooth, at the top)". */
  found: string;
}

/** Stuff words, so that the main-subject fallback never stands in for them (the sky is never "the subject"). */
export const STUFF_WORDS =
  /\b(?:sky|skies|clouds?|grass|lawn|field|meadow|water|sea|ocean|lake|river|sand|beach|snow|trees?|foliage|leaves|bush(?:es)?|hedges?|walls?|facade|floors?|flooring|carpet|ground|road|street|mountains?|hills?|background|backdrop|scenery)\b/;
