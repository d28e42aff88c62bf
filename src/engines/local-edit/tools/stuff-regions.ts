import { ApiError } from '../../../errors.js';
import type { Plane } from '../../../imaging/masks.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import { findStuffIn } from '../../../imaging/stuff/stuff-ops.js';
import { STUFF_KINDS, STUFF_WORDS, type StuffKind } from '../../../imaging/stuff/stuff-rules.js';
import type { ImagingPool } from '../../../imaging/worker-pool.js';

/**
 * Finds stuff, what no object detector has because it has no outline of its own: sky, grass, water, sand,
 * snow, trees and foliage (src/imaging/stuff/), as a soft mask traced to the photo's edges, good for colour
 * and tone edits. `found` names it for the `x-retouch-found` header ("sky 38%"). When the picture has none,
 * `find` refuses with the reason ("I could not find a sky in this photo: nothing smooth and blue, grey or
 * white reaches the top edge of the picture").
 *
 * @example
 * const stuff = new StuffRegions(() => pool);
 * if (stuff.canFind('the lawn')) ({ mask, found } = await stuff.find(photo, 'the lawn', { signal }));
 */
export class StuffRegions {
  constructor(private readonly pool: () => ImagingPool) {}

  /** Whether the phrase names stuff ("the sky", "the lawn on the left", "the sea"). */
  canFind(phrase: string): boolean {
    return readStuff(phrase) !== null;
  }

  /** The words it knows, for `describe()`'s can_find. */
  vocabulary(): string[] {
    return STUFF_KINDS.flatMap((kind) => STUFF_WORDS[kind]);
  }

  async find(image: RawImage, phrase: string, options: { signal: AbortSignal }): Promise<{ mask: Plane; found: string }> {
    const kind = readStuff(phrase);
    if (!kind)
      throw new ApiError('UNSUPPORTED_INSTRUCTION', `"${phrase}" is not sky, grass, water, sand, snow or foliage; send a mask.`);
    const result = await findStuffIn(image, kind, { pool: this.pool(), signal: options.signal });
    if (!result.mask) {
      throw new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `I could not find ${nameOf(kind)} in this photo: ${result.reason}. Send a mask to mark it.`,
      );
    }
    return { mask: result.mask, found: `${kind} ${Math.round(100 * result.share)}%` };
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
  return kind === 'sky' ? 'a sky' : kind;
}
