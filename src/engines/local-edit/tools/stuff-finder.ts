import { ApiError } from '../../../errors.js';
import type { Plane } from '../../../imaging/masks.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import { findStuffIn } from '../../../imaging/stuff/stuff-ops.js';
import { STUFF_KINDS, STUFF_WORDS, type StuffKind } from '../../../imaging/stuff/stuff-rules.js';
import type { ImagingPool } from '../../../imaging/worker-pool.js';
import type { FindOptions, FoundThing, ThingFinder } from './thing-finder.js';

/**
 * Finds stuff, the things no object detector has because they have no outline of their own: sky, grass,
 * water, sand, snow, trees and foliage (src/imaging/stuff/). Any other phrase goes to the
 * finder of things it wraps (the detectors). What it finds is good for colour and tone edits (a soft mask
 * traced to the photo's edges); removing a whole lawn or sky is not something a fill can do, so a
 * removal asks for a mask instead.
 *
 * @example
 * const finder = new StuffFinder(() => pool, new DetectorThingFinder(detectors, segmenter));
 * const { mask, label } = await finder.find(photo, 'the grass', { signal }); // label: 'grass 23%'
 */
export class StuffFinder implements ThingFinder {
  constructor(
    private readonly pool: () => ImagingPool,
    private readonly things?: ThingFinder,
  ) {}

  canFind(phrase: string): boolean {
    return readStuff(phrase) !== null || (this.things?.canFind(phrase) ?? false);
  }

  vocabulary(): string[] {
    return [...(this.things?.vocabulary() ?? []), ...STUFF_KINDS.flatMap((kind) => STUFF_WORDS[kind])];
  }

  async find(image: RawImage, phrase: string, options: FindOptions): Promise<FoundThing> {
    const kind = this.things?.canFind(phrase) ? null : readStuff(phrase);
    if (!kind) {
      if (!this.things)
        throw new ApiError(
          'UNSUPPORTED_INSTRUCTION',
          `"${phrase}" is not something this server can find in a picture; send a mask.`,
        );
      return this.things.find(image, phrase, options);
    }
    if (options.purpose === 'remove') {
      throw new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `The ${kind} is found by its colour and texture, which is good for colour and tone edits but not for removing it; ` +
          'send a mask over the part to remove (choose Multi-edit and paint over it).',
      );
    }
    const found = await findStuffIn(image, kind, { pool: this.pool(), signal: options.signal });
    if (!found.mask) {
      throw new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `I could not find ${nameOf(kind)} in this photo: ${found.reason}. Send a mask to mark it.`,
      );
    }
    let mask: Plane = found.mask;
    if (options.within) mask = { ...mask, data: mask.data.map((v, i) => Math.min(v, options.within!.data[i])) };
    return {
      mask,
      boxes: [{ label: kind, score: found.share, left: 0, top: 0, width: image.width, height: image.height }],
      label: `${kind} ${Math.round(100 * found.share)}%`,
    };
  }
}

/** "the sky" -> 'sky', "the lawn on the left" -> 'grass', "the car" -> null. */
export function readStuff(phrase: string): StuffKind | null {
  const text = ` ${phrase
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
  for (const kind of STUFF_KINDS) {
    if (STUFF_WORDS[kind].some((word) => text.includes(` ${word} `))) return kind;
  }
  return null;
}

function nameOf(kind: StuffKind): string {
  return kind === 'grass' || kind === 'water' || kind === 'sand' || kind === 'snow' || kind === 'foliage' ? kind : `a ${kind}`;
}
