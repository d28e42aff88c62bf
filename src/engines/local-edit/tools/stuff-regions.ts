import { ApiError } from '../../../errors.js';
import type { Plane } from '../../../imaging/masks.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import { findStuffIn } from '../../../imaging/stuff/stuff-ops.js';
import { STUFF_KINDS, STUFF_WORDS, type StuffKind } from '../../../imaging/stuff/stuff-rules.js';
import type { ImagingPool } from '../../../imaging/worker-pool.js';

/**
 * Finds stuff, what no object detector has because it has no outline of its own: sky, grass, water, sand,
 * snow, trees and foliage, walls and floors (src/imaging/stuff/), as a soft mask traced to the photo's edges, good for colour
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

  /**
   * "the grass and bushes": every kind named, found one by one and joined; refused only when none is there
   * (the refusal gives each kind's reason), so a street with hedges but no lawn still gets its greens.
   */
  async find(image: RawImage, phrase: string, options: { signal: AbortSignal }): Promise<{ mask: Plane; found: string }> {
    const kinds = readStuffKinds(phrase);
    if (kinds.length === 0)
      throw new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `"${phrase}" is not sky, grass, water, sand, snow, foliage, a wall or a floor; send a mask.`,
      );
    const found: Array<{ kind: StuffKind; mask: Plane; share: number }> = [];
    const missing: string[] = [];
    for (const kind of kinds) {
      const result = await findStuffIn(image, kind, { pool: this.pool(), signal: options.signal });
      if (result.mask) found.push({ kind, mask: result.mask, share: result.share });
      else missing.push(`I could not find ${nameOf(kind)} in this photo: ${result.reason}`);
    }
    if (found.length === 0) throw new ApiError('UNSUPPORTED_INSTRUCTION', `${missing.join('; ')}. Send a mask to mark it.`);
    const mask = found[0].mask;
    for (const other of found.slice(1))
      for (let i = 0; i < mask.data.length; i++) mask.data[i] = Math.max(mask.data[i], other.mask.data[i]);
    return {
      mask,
      found: found.map(({ kind, share }) => `${kind} ${Math.round(100 * share)}%`).join(', '),
    };
  }
}

/** "the sky" -> 'sky', "the lawn on the left" -> 'grass', "the car" -> null. */
export function readStuff(phrase: string): StuffKind | null {
  return readStuffKinds(phrase)[0] ?? null;
}

/** Every kind the phrase names: "the grass and bushes" -> ['grass', 'foliage']. */
export function readStuffKinds(phrase: string): StuffKind[] {
  const text = ` ${phrase
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
  return STUFF_KINDS.filter((kind) => STUFF_WORDS[kind].some((word) => text.includes(` ${word} `)));
}

function nameOf(kind: StuffKind): string {
  return kind === 'sky' || kind === 'wall' || kind === 'floor' ? `a ${kind}` : kind;
}
