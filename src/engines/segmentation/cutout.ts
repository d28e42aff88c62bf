import type { RawImage } from '../../imaging/raw-image.js';
import { sharpFromRaw } from '../../imaging/raw-image.js';
import type { AlphaMatte } from '../../resources/segmenter/index.js';

/**
 * The cutout: the photo's colour channels untouched, bit for bit, with the matte as alpha. The finishing
 * step of the request path turns it into a mask (`only_mask`) or a composite (`bg_color`) when asked.
 *
 * @example const rgba = await cutout(photo, await segmenter.segment(photo, signal));
 */
export async function cutout(image: RawImage, matte: AlphaMatte): Promise<RawImage> {
  const { width, height } = image;
  if (matte.width !== width || matte.height !== height) {
    throw new Error(`matte is ${matte.width}x${matte.height}, image ${width}x${height}`);
  }
  let colour = sharpFromRaw(image);
  // removeAlpha acts at output time, after joinChannel, so an old alpha is dropped in a pass of its own.
  if (image.channels === 4) colour = sharpFromRaw({ ...image, data: await colour.removeAlpha().raw().toBuffer(), channels: 3 });
  const alpha = Buffer.from(matte.data.buffer, matte.data.byteOffset, matte.data.byteLength);
  const data = await colour
    .joinChannel(alpha, { raw: { width, height, channels: 1 } })
    .raw()
    .toBuffer();
  return { data, width, height, channels: 4 };
}
