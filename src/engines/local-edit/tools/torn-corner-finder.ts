import { ApiError } from '../../../errors.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import type { ImagingPool } from '../../../imaging/worker-pool.js';
import type { FindOptions, FoundThing, ThingFinder } from './thing-finder.js';

/** "the torn corner", "the missing corner of the photo", "the ripped edge": what a scanner shows of a damaged print. */
const TORN =
  /\b(?:torn|ripped|missing|damaged|cut|chipped|broken|folded)(?: off)? (?:corners?|edges?)\b|\bcorner (?:that is |that's )?(?:torn|missing|ripped)\b/;

/**
 * A ThingFinder that finds a torn or missing corner by itself (imaging/torn-corner.ts: a flat white,
 * paper, black or transparent region cut into a corner), so "restore the torn corner of the photo" needs
 * no mask; every other phrase goes to the detectors' finder it wraps.
 */
export class TornCornerFinder implements ThingFinder {
  constructor(
    private readonly next: ThingFinder,
    private readonly pool: () => ImagingPool,
  ) {}

  canFind(phrase: string, purpose?: FindOptions['purpose']): boolean {
    return TORN.test(phrase) || this.next.canFind(phrase, purpose);
  }

  vocabulary(): string[] {
    return [...this.next.vocabulary(), 'torn corner'];
  }

  async find(image: RawImage, phrase: string, options: FindOptions): Promise<FoundThing> {
    if (!TORN.test(phrase)) return this.next.find(image, phrase, options);
    const { data, width, height, channels } = image;
    const found = await this.pool().run('tornCorner', { data, width, height, channels }, { signal: options.signal });
    if (!found) {
      throw new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `Found no torn or missing corner: no flat white, paper-coloured, black or transparent area cut into a corner of the picture. Send a mask over the damage.`,
      );
    }
    return { mask: { data: found.mask, width, height }, boxes: [{ label: 'torn corner', score: 1, ...found.box }] };
  }
}
