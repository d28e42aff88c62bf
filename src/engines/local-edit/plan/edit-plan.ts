import type { BackdropSpec } from '../../../imaging/backdrop.js';
import type { Rgb } from '../../../imaging/colors.js';
import type { Ratio } from '../../../imaging/geometry.js';
import type { Anchor } from '../../../imaging/layers.js';
import type { RecolourOp } from '../../../imaging/recolour.js';
import type { SkyLook } from '../../../imaging/stuff/sky-look.js';
import type { ToneOp } from '../../../imaging/tone.js';

/**
 * The edit plan: what the parser understood from a prompt, as data. The parser builds it from the words
 * alone; `resolve/resolve-plan.ts` then binds it to the request's layers (which one is the mask, the overlay, the
 * new background) and refuses what cannot be done honestly; the executor carries it out step by step.
 */

/** Where a step applies, as the prompt said it. */
export type Target =
  /** Nothing named: the whole picture, or the masked area when the request has a mask layer. */
  | { kind: 'default' }
  /** "it", "the photo", "the whole image". */
  | { kind: 'all' }
  /** "the background": everything but the subject found by the segmentation model. */
  | { kind: 'background' }
  /** "the subject", "the person", "the foreground". */
  | { kind: 'subject' }
  /** "the masked area", "inside the mask". */
  | { kind: 'mask' }
  /** A thing named by the user ("the tree"): only a mask layer can say where it is. */
  | { kind: 'object'; phrase: string };

/** What replaces a background: a generated backdrop, the client's second image, or transparency. */
export type NewBackground = BackdropSpec | { kind: 'layer' } | { kind: 'transparent' };

/** Where a crop centres: the middle, the segmented subject, or a thing the ThingFinder looks for ("around the cat"). */
export type CropFocus = 'center' | 'subject' | { kind: 'thing'; phrase: string };

/**
 * `clause` is the prompt text the step came from (quoted in errors); `entry` the vocabulary entry that
 * matched it. For tone steps, `strength` < 1 mixes the result with the original, `regionOnly` refuses
 * to run on the whole picture, and `outside` runs it everywhere but the target ("black and white except the
 * red shirt").
 */
export type EditStep = {
  clause: string;
  entry: string;
} & (
  | { op: 'tone'; tone: ToneOp; target: Target; strength: number; regionOnly?: boolean; outside?: boolean }
  | { op: 'rotate'; degrees: 90 | 180 | 270 }
  | { op: 'flip'; axis: 'horizontal' | 'vertical' }
  | { op: 'crop'; ratio: Ratio; focus: CropFocus }
  | { op: 'background'; background: NewBackground }
  /** Remove / erase / restore: fill the region with texture from the rest of the picture. */
  | { op: 'inpaint'; target: Target }
  /** Fill the region with a colour, or with the colour that surrounds it ("a blank sign"). */
  | { op: 'fill'; fill: { kind: 'color'; color: Rgb } | { kind: 'surrounding' }; target: Target }
  /** A colour change that keeps the thing's shading and texture (OKLab hue and chroma; see imaging/recolour.ts). */
  | { op: 'recolour'; recolour: RecolourOp; target: Target }
  | { op: 'overlay'; anchor?: Anchor; widthFraction?: number }
  /** Level the horizon: rotate by the small angle of the dominant near-horizontal line, crop to upright. */
  | { op: 'straighten' }
  /** Text drawn over the picture ("add the text SALE in the top left corner"). */
  | { op: 'text'; text: string; anchor: Anchor; color?: Rgb; widthFraction?: number }
  /** Super-resolution by `factor` (2 or 4), with the server's networks, after every other step (planUpscale). */
  | { op: 'upscale'; factor: number }
  /** The sky, found by itself: tinted, deepened or replaced by a graded sky that keeps the clouds (run/sky-step.ts). */
  | { op: 'sky'; look: SkyLook }
);

/** A "while preserving ..." tail or a "keep ... intact" clause: what the user wants left alone. */
export interface Constraint {
  clause: string;
  /** The things named, e.g. ["the subject pose", "facial features", "clothing"]. */
  items: string[];
}

export interface EditPlan {
  steps: EditStep[];
  constraints: Constraint[];
}

/** A region once the request's layers are known. 'found': the named thing, found by the detectors (within the mask, if any). */
export type Region = 'all' | 'background' | 'subject' | 'mask' | 'found';

/**
 * What a step on a named thing asks of the finder: 'remove' needs every bit of the thing (a loose mask),
 * 'adjust' (tone, colourfulness, sharpness) may take the whole picture when the thing fills the frame, and
 * 'edit' (a recolour, a fill) follows the thing's own outline.
 */
export type FindPurpose = 'remove' | 'edit' | 'adjust';

export function findPurpose(step: EditStep): FindPurpose {
  if (step.op === 'inpaint') return 'remove';
  // "Black and white except X" must find X itself: the whole frame standing in for it would leave nothing to grey.
  return step.op === 'tone' && !step.outside ? 'adjust' : 'edit';
}
