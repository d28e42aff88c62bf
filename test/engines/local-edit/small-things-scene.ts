import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import type { Box, Detectors } from '../../../src/resources/detectors/index.js';
import type { Segmenter } from '../../../src/resources/segmenter/index.js';
import { loadPhoto, PHOTOS } from '../../imaging/photo-fixtures.js';

/**
 * A test picture of small things made from real photos: a thing the detector finds confidently at full
 * size (the motorcycle of motorcycle_left.png) is cut out by its own detector box and the segmenter's
 * matte, shrunk, and pasted several times onto a larger real photo (the cobbled street of
 * cloudy-street.jpg, enlarged to 1280 x 960, 1.2 MP). Far away things are small: the whole-picture pass of
 * the detector sees the small ones 40 pixels wide and misses them; the tiled pass sees them closer.
 */

export interface Scene {
  /** The street with the things pasted on it. */
  image: RawImage;
  /** The street alone, enlarged the same way: what a removal should bring back. */
  background: RawImage;
  /** Where each copy was pasted (its whole rectangle, matte included), in scene pixels. */
  pasted: Box[];
  /** The label the detector gives the thing at full size. */
  label: string;
}

export const SCENE_WIDTH = 1280;
export const SCENE_HEIGHT = 960;

/**
 * Where the copies go, as [left, top, width] in scene pixels: along the street and the low walls, far (100
 * pixels wide) and near (150). Two of the far ones sit across the seam between the left and right columns
 * of the 2 x 2 tiles (x 568 to 712): one inside the overlap, which both tiles see whole, one cut by the
 * left tile's edge.
 */
const PLACES: ReadonlyArray<readonly [number, number, number]> = [
  [60, 600, 100],
  [300, 770, 100],
  [590, 560, 100],
  [660, 800, 100],
  [900, 600, 100],
  [1120, 760, 100],
  [80, 760, 150],
  [950, 790, 150],
];

export async function smallThingsScene(detectors: Detectors, segmenter: Segmenter): Promise<Scene> {
  const label = 'motorcycle';
  const source = await loadPhoto('motorcycle');
  const [box] = (await detectors.objects.detect(source)).filter((d) => d.label === label).sort((a, b) => b.score - a.score);
  if (!box) throw new Error(`the detector no longer finds the ${label} of ${PHOTOS.motorcycle}`);
  const raw = { width: source.width, height: source.height, channels: source.channels };
  const crop = await sharp(source.data, { raw }).extract(box).raw().toBuffer();
  const matte = await segmenter.segment({ data: crop, width: box.width, height: box.height, channels: 3 });
  const cutOut = Buffer.alloc(box.width * box.height * 4);
  for (let i = 0; i < box.width * box.height; i++) {
    crop.copy(cutOut, i * 4, i * 3, i * 3 + 3);
    cutOut[i * 4 + 3] = matte.data[i];
  }
  const background = await sharpRaw(sharp(PHOTOS.cloudyStreet).resize(SCENE_WIDTH, SCENE_HEIGHT, { fit: 'fill' }).removeAlpha());
  const pasted: Box[] = [];
  const layers: OverlayOptions[] = [];
  for (const [left, top, width] of PLACES) {
    const height = Math.round((width * box.height) / box.width);
    const input = await sharp(cutOut, { raw: { width: box.width, height: box.height, channels: 4 } })
      .resize(width, height, { fit: 'fill' })
      .png()
      .toBuffer();
    layers.push({ input, left, top });
    pasted.push({ left, top, width, height });
  }
  const png = await sharp(background.data, { raw: { width: SCENE_WIDTH, height: SCENE_HEIGHT, channels: 3 } })
    .composite(layers)
    .png()
    .toBuffer();
  // Composited in a step of its own: sharp adds alpha while compositing, which a raw read would keep.
  const image = await sharpRaw(sharp(png).removeAlpha());
  return { image, background, pasted, label };
}

async function sharpRaw(pipeline: Sharp): Promise<RawImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}
