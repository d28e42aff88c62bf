import type { Plane } from '../../../imaging/masks.js';
import type { RawImage } from '../../../imaging/raw-image.js';

/**
 * Finds what a prompt names ("the spoon", "all faces", "the person on the left", "the text in the bottom
 * right corner") and turns it into a mask, so that local-edit can edit named things without a mask layer.
 * The parser keeps the phrase as written (`Target` `{ kind: 'object', phrase }`); the finder reads the
 * noun and its qualifiers (left/right/top/bottom/centre, largest/smallest, all, "the second", a region)
 * and runs the detectors that can see it.
 */
export interface ThingFinder {
  /**
   * The mask of what `phrase` names in `image` (255 = the thing, grown slightly so no edge of it is left).
   * Throws an ApiError 400 that says what was looked for and what was found ("found no spoon in the
   * picture; found: cup, dining table, person") when nothing matches. `within`, when given, is the
   * user's mask: only things inside it are considered.
   */
  find(image: RawImage, phrase: string, options: FindOptions): Promise<FoundThing>;
  /** Whether the phrase names something a detector can look for (so the parser can tell "needs a mask"). */
  canFind(phrase: string, purpose?: FindOptions['purpose']): boolean;
  /** The nouns it can find, for `describe()` and docs/local-edit.md. */
  vocabulary(): string[];
}

export interface FindOptions {
  signal: AbortSignal;
  within?: Plane;
  /**
   * 'remove': the mask must cover every bit of the thing (inpainting fills whatever it covers, so a loose
   * mask costs nothing and a tight one leaves remnants); 'edit' (default): follow the thing's outline;
   * 'adjust': an edit of tone, colourfulness or sharpness, which may also take the whole picture when the
   * named thing fills the frame (a close-up of fruit, a monkey's face), as no recolour or removal may.
   */
  purpose?: 'remove' | 'edit' | 'adjust';
}

export interface FoundThing {
  mask: Plane;
  /** The boxes that were selected, in image pixels, with their labels, for tests and logs. */
  boxes: Array<{ label: string; score: number; left: number; top: number; width: number; height: number }>;
  /** What was used, for the response's `x-retouch-found` header ("salient subject (no apple found)"). */
  found?: string;
  /** When the tiled pass looked closer for small things (tiled-look.ts): how many chosen boxes only it saw. */
  tiledPass?: { found: number };
}
