import { ApiError } from '../../../errors.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import type { StuffRegions } from './stuff-regions.js';
import type { FindOptions, FoundThing, ThingFinder } from './thing-finder.js';

/**
 * The ThingFinder local-edit uses: stuff (sky, grass, water, ...) by colour and texture first, then every
 * other thing with the finder it wraps (the detectors). Stuff is found for edits only: removing a whole lawn
 * or sky is not something a fill can do, so a removal of stuff asks for a mask.
 *
 * @example
 * const finder = new StuffThenThings(new StuffRegions(() => pool), new DetectorThingFinder(detectors, segmenter));
 */
export class StuffThenThings implements ThingFinder {
  constructor(
    private readonly stuff: StuffRegions,
    private readonly things: ThingFinder,
  ) {}

  canFind(phrase: string, purpose?: FindOptions['purpose']): boolean {
    if (this.things.canFind(phrase, purpose)) return true;
    return purpose !== 'remove' && this.stuff.canFind(phrase);
  }

  vocabulary(): string[] {
    return [...this.things.vocabulary(), ...this.stuff.vocabulary()];
  }

  async find(image: RawImage, phrase: string, options: FindOptions): Promise<FoundThing> {
    if (this.things.canFind(phrase) || !this.stuff.canFind(phrase)) {
      const thing = await this.things.find(image, phrase, options);
      return { ...thing, found: thing.found ?? [...new Set(thing.boxes.map((b) => b.label))].join(', ') };
    }
    if (options.purpose === 'remove') {
      throw new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `"${phrase}" is found by its colour and texture, which is good for colour and tone edits but not for removing it; ` +
          'send a mask over the part to remove (choose Multi-edit and paint over it).',
      );
    }
    const { mask, found } = await this.stuff.find(image, phrase, options);
    const within = options.within;
    const clipped = within ? { ...mask, data: mask.data.map((v, i) => Math.min(v, within.data[i])) } : mask;
    return { mask: clipped, boxes: [], found };
  }
}
