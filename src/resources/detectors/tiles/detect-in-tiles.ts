import type { RawImage } from '../../../imaging/raw-image.js';
import type { Detection, Detector } from '../detection.js';
import { OBJECT_INPUT_SIDE, OBJECT_THRESHOLD } from '../objects/calibration.js';
import { SECOND_CHOICE_FLOOR, secondChoices } from '../objects/confusions.js';
import { type MergedFinds, mergeTileFinds, type TileFinds } from './merge-tiles.js';
import { planTiles, type Tile } from './tile-grid.js';

/**
 * The tiled pass: a second, closer look for small things of the named classes ("get rid of the birds"
 * takes the distant ones too). The object detector sees every picture stretched to 512x512, so a bird 25
 * pixels wide in a 1 MP photo is 11 pixels wide to it and often scored under its threshold. Run on
 * overlapping tiles (tile-grid.ts) it sees the same bird 1.8x or 2.6x larger. Only the named classes are
 * kept, at the detector's calibrated threshold (or as the second choice of a confusable class, as the
 * whole-picture pass allows: confusions.ts), and merged with what the whole picture showed (merge-tiles.ts).
 *
 * Bounded: one pass, at most 9 detector runs (4 on a 1 MP photo, about 1 s on two cores), and none when
 * the picture is small enough that the whole-picture pass sees it near its own size.
 */

export interface TiledFinds extends MergedFinds {
  /** How many tiles were looked at (0: the picture is too small for tiling to help). */
  tiles: number;
}

/**
 * @param whole what the whole-picture pass took for the named classes (at or above the threshold); they
 *   come back as `widened`, fused with the tiles' views of them
 * @example const { added } = await detectInTiles(detectors.objects, photo, ['bird'], birds, signal);
 */
export async function detectInTiles(
  detector: Detector,
  image: RawImage,
  labels: readonly string[],
  whole: readonly Detection[],
  signal?: AbortSignal,
): Promise<TiledFinds> {
  const tiles = planTiles(image.width, image.height, OBJECT_INPUT_SIDE);
  if (!tiles) return { added: [], widened: [...whole], tiles: 0 };
  const finds: TileFinds[] = [];
  for (const tile of tiles) {
    // Down to the second-choice floor: a bird seen closer is often a confident "kite" (confusions.ts).
    const all = await detector.detect(cropTile(image, tile), signal, { minScore: SECOND_CHOICE_FLOOR });
    const named = all.filter((box) => box.score >= OBJECT_THRESHOLD && labels.includes(box.label));
    finds.push({ tile, boxes: [...named, ...secondChoices(all, labels, OBJECT_THRESHOLD)] });
  }
  return { ...mergeTileFinds(finds, whole), tiles: tiles.length };
}

/** The tile's pixels as an image of its own (rows copied; the detector pool copies them again anyway). */
function cropTile(image: RawImage, tile: Tile): RawImage {
  const { channels } = image;
  const row = tile.width * channels;
  const data = Buffer.allocUnsafe(row * tile.height);
  for (let y = 0; y < tile.height; y++) {
    const from = ((tile.top + y) * image.width + tile.left) * channels;
    image.data.copy(data, y * row, from, from + row);
  }
  return { data, width: tile.width, height: tile.height, channels };
}
