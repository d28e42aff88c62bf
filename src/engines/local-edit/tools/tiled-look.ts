import type { Detection } from '../../../resources/detectors/detection.js';
import type { FoundThing } from './thing-finder.js';
import type { ThingQuery } from './thing-words.js';

/**
 * When a named class is worth a second, closer look in tiles (resources/detectors/tiles/): "get rid of
 * the birds" means the distant ones too, which the whole-picture pass sees a few pixels wide. The look
 * costs one detector run a tile (4 on a 1 MP photo), so it is taken only where it can change the answer:
 * - every thing of the class is asked for ("the birds", "all the cars", "every bird");
 * - the smallest one is asked for ("the smallest boat");
 * - or the whole picture showed none of it ("remove the bird" where the only bird is far away).
 * Objects only: faces and text have detectors of their own that see small things at their own sizes.
 */
export function wantsTiledLook(query: ThingQuery, wholePicture: readonly Detection[]): boolean {
  if (query.wanted.detector !== 'objects') return false;
  return query.all || query.size === 'smallest' || wholePicture.length === 0;
}

/**
 * The `x-retouch-found` text for found things: their labels, and when the tiled pass looked, how many it
 * alone saw ("bird (9 found, 4 of them by the tiled pass)").
 */
export function foundText(thing: Pick<FoundThing, 'boxes' | 'tiledPass'>): string {
  const labels = [...new Set(thing.boxes.map((b) => b.label))].join(', ');
  if (!thing.tiledPass) return labels;
  return `${labels} (${thing.boxes.length} found, ${thing.tiledPass.found} of them by the tiled pass)`;
}
