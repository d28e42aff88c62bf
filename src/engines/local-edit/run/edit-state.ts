import { ApiError } from '../../../errors.js';
import { addTransform, transformPlane, type Transform } from '../../../imaging/geometry.js';
import {
  constantPlane,
  featherInward,
  featherRadius,
  invertPlane,
  maskFromLayer,
  type MaskConvention,
  type Plane,
} from '../../../imaging/masks.js';
import { boundsOf, multiplyWeights } from '../../../imaging/worker-ops.js';
import { sharpFromRaw, type RawImage } from '../../../imaging/raw-image.js';
import { materialize } from '../../../imaging/tone.js';
import type { Segmenter } from '../../../resources/segmenter/index.js';
import type { PixelWork } from '../../../imaging/worker-pool.js';
import type { FindPurpose, Region } from '../plan/edit-plan.js';
import type { FoundThing, ThingFinder } from '../tools/thing-finder.js';

/**
 * The picture being edited, with the planes that go with it: the client's mask and the subject matte,
 * both kept aligned with the picture through rotations, flips and crops. The matte is computed once, on
 * first need, and reused by every later step.
 */
export class EditState {
  private maskPlane: Plane | null = null;
  private featheredMask: Plane | null = null;
  private matte: Plane | null = null;

  constructor(
    public image: RawImage,
    private readonly segmenter: () => Segmenter,
    /** The imaging pool and the request's signal, passed to every worker call. */
    readonly work: PixelWork & { signal: AbortSignal },
    private readonly finder?: ThingFinder,
  ) {}

  get signal(): AbortSignal {
    return this.work.signal;
  }

  /**
   * Runs `run` with the mask set to the thing `phrase` names, found in the current picture (inside the
   * client's mask when there is one), then puts the client's mask back. Steps on a found thing thus run
   * exactly as masked steps do: nothing outside the thing's mask changes. With a client mask in which the
   * detectors find nothing, the client's mask itself is used, as it was before things could be found: the
   * client has already said where the thing is, and the detectors miss things it can see.
   */
  async withFound<T>(phrase: string, purpose: FindPurpose, run: () => Promise<T>, outside = false): Promise<T> {
    if (!this.finder) {
      throw new ApiError('UNSUPPORTED_INSTRUCTION', `This server cannot find "${phrase}" in the picture by itself; send a mask.`);
    }
    const within = this.maskPlane ?? undefined;
    const found = await this.finder.find(this.image, phrase, { signal: this.signal, within, purpose }).catch((error: unknown) => {
      if (within && error instanceof ApiError && error.code === 'UNSUPPORTED_INSTRUCTION') return null;
      throw error;
    });
    if (!found) return run();
    // A mask drawn around the thing to remove holds what the finder's outline misses (a sign's rim, a
    // shadow): it is erased whole. A mask over a wider area ("the birds in this part") is narrowed.
    if (within && purpose === 'remove' && coverShare(found.mask, within) >= MASK_AROUND_THING) {
      if (found.found && !this.found.includes(found.found)) this.found.push(found.found);
      return run();
    }
    const saved = [this.maskPlane, this.featheredMask] as const;
    if (found.found && !this.found.includes(found.found)) this.found.push(found.found);
    // "Everything except the red shirt": the step runs on the rest of the picture.
    this.maskPlane = outside ? await invertPlane(found.mask) : found.mask;
    this.featheredMask = null;
    this.onFoundThing = true;
    this.foundBoxes = found.boxes;
    try {
      return await run();
    } finally {
      [this.maskPlane, this.featheredMask] = saved;
      this.onFoundThing = false;
      this.foundBoxes = [];
    }
  }

  /** What the finder used for each named thing so far, for the response's `x-retouch-found` header. */
  found: string[] = [];

  /** Whether the mask is, for the current step, a found thing rather than the client's mask. */
  onFoundThing = false;

  /** The detector's boxes of the found thing, for the current step (empty for stuff, faces' parts, masks). */
  foundBoxes: FoundThing['boxes'] = [];

  /** Reads the mask layer in its convention, at the picture's size. */
  async setMask(layer: RawImage, convention: MaskConvention): Promise<void> {
    const plane = await maskFromLayer(layer, convention, this.image.width, this.image.height);
    if (!(await boundsOf(plane, 0, this.work))) {
      throw new ApiError(
        'INVALID_IMAGE',
        convention === 'alpha'
          ? 'The mask layer has no transparent pixels, so it marks nothing to edit (OpenAI convention: transparent = edit).'
          : 'The mask layer has no white pixels, so it marks nothing to edit (white = edit, black = keep).',
      );
    }
    this.maskPlane = plane;
  }

  /** Whether the request carried a mask layer. */
  hasMask(): boolean {
    return this.maskPlane !== null;
  }

  /** The mask as sent (grey = partial strength), at the picture's current geometry. */
  mask(): Plane {
    if (!this.maskPlane) throw new Error('no mask layer');
    return this.maskPlane;
  }

  /** The subject matte of the current picture (255 = subject), segmenting on first use. */
  async subjectMatte(): Promise<Plane> {
    if (this.matte) return this.matte;
    const segmenter = this.segmenter();
    const status = segmenter.status();
    if (!status.online) {
      throw new ApiError(
        'MODEL_UNAVAILABLE',
        'This edit needs the subject segmentation model, which is unavailable on this server.',
      );
    }
    const matte = await segmenter.segment(this.image, this.signal);
    this.matte = { data: matte.data, width: matte.width, height: matte.height };
    return this.matte;
  }

  /** The matte, refusing a picture in which the model found no subject (nothing to tell apart). */
  async requireSubject(): Promise<Plane> {
    const matte = await this.subjectMatte();
    if (!(await boundsOf(matte, 127, this.work))) {
      throw new ApiError(
        'INVALID_IMAGE',
        'No foreground subject was found in the picture, so subject and background cannot be told apart.',
      );
    }
    return matte;
  }

  /** Forgets the matte after an edit that moves or removes the subject. */
  invalidateMatte(): void {
    this.matte = null;
  }

  /**
   * How strongly each pixel is edited for a region: the mask feathered inward, the subject matte, or its
   * complement for the background; `strength` < 1 scales it ("slightly sepia").
   */
  async weight(region: Region, strength = 1): Promise<Plane> {
    const { width, height } = this.image;
    let plane: Plane;
    if (region === 'all') return constantPlane(width, height, Math.round(255 * Math.min(1, strength)));
    if (region === 'mask')
      plane = this.featheredMask ??= await featherInward(this.mask(), featherRadius(width, height), this.work);
    else if (region === 'subject') plane = await this.requireSubject();
    else {
      plane = await invertPlane(await this.requireSubject());
      // "The background" is found too (the segmenter's complement), and the answer says so.
      if (!this.found.includes('background')) this.found.push('background');
    }
    if (strength >= 1) return plane;
    const scale = constantPlane(width, height, Math.round(255 * strength));
    return { ...plane, data: await multiplyWeights(plane.data, scale.data, this.work) };
  }

  /** Applies a geometry change to the picture and to every plane that goes with it. */
  async transform(transform: Transform): Promise<void> {
    this.image = await materialize({ kind: 'pipeline', pipeline: addTransform(sharpFromRaw(this.image), transform) });
    const move = (plane: Plane | null) => (plane ? transformPlane(plane, transform) : Promise.resolve(null));
    [this.maskPlane, this.featheredMask, this.matte] = await Promise.all([
      move(this.maskPlane),
      move(this.featheredMask),
      move(this.matte),
    ]);
  }
}

/**
 * From this share of the client's mask covered by the found thing on, the mask was drawn around that thing
 * (a mask drawn over a region where several things lie is covered much less).
 */
const MASK_AROUND_THING = 0.5;

/** The share of the client's mask (above 127) that the found thing's mask (above 127) covers. */
function coverShare(found: Plane, within: Plane): number {
  let inside = 0;
  let covered = 0;
  for (let i = 0; i < within.data.length; i++) {
    if (within.data[i] <= 127) continue;
    inside++;
    if (found.data[i] > 127) covered++;
  }
  return inside === 0 ? 0 : covered / inside;
}
