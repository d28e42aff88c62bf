import { ApiError } from '../../errors.js';
import { addTransform, transformPlane, type Transform } from '../../imaging/geometry.js';
import {
  constantPlane,
  featherInward,
  featherRadius,
  invertPlane,
  maskFromLayer,
  type MaskConvention,
  type Plane,
} from '../../imaging/masks.js';
import { boundsOf, multiplyWeights } from '../../imaging/worker-ops.js';
import { sharpFromRaw, type RawImage } from '../../imaging/raw-image.js';
import { materialize } from '../../imaging/tone.js';
import type { Segmenter } from '../../resources/segmenter/index.js';
import type { PixelWork } from '../../imaging/worker-pool.js';
import type { Region } from './plan.js';

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
  ) {}

  get signal(): AbortSignal {
    return this.work.signal;
  }

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
      throw new ApiError('MODEL_UNAVAILABLE', 'This edit needs the subject segmentation model, which is unavailable on this server.');
    }
    const matte = await segmenter.segment(this.image, this.signal);
    this.matte = { data: matte.data, width: matte.width, height: matte.height };
    return this.matte;
  }

  /** The matte, refusing a picture in which the model found no subject (nothing to tell apart). */
  async requireSubject(): Promise<Plane> {
    const matte = await this.subjectMatte();
    if (!(await boundsOf(matte, 127, this.work))) {
      throw new ApiError('INVALID_IMAGE', 'No foreground subject was found in the picture, so subject and background cannot be told apart.');
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
    if (region === 'mask') plane = this.featheredMask ??= await featherInward(this.mask(), featherRadius(width, height), this.work);
    else if (region === 'subject') plane = await this.requireSubject();
    else plane = await invertPlane(await this.requireSubject());
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
