import path from 'node:path';
import sharp from 'sharp';

/**
 * The benchmark's 12-megapixel JPEG: a 4 x 3 mosaic of the test photos, each tile 1000 x 1000 (the
 * photos enlarged about twice), so the picture has real detail everywhere rather than the smooth ramps
 * of a single upscaled photo, which PNG would compress unrealistically well.
 */

const TILES = ['astronaut.png', 'chelsea.png', 'coffee.png', 'motorcycle_left.png', 'rocket.jpg', 'fruits.jpg', 'baboon.jpg'];
const SIDE = 1000;

export async function makeBenchJpeg(): Promise<{ jpeg: Buffer; width: number; height: number }> {
  const width = 4 * SIDE;
  const height = 3 * SIDE;
  const tiles = await Promise.all(
    Array.from({ length: 12 }, async (_, i) => ({
      input: await sharp(path.resolve('test/fixtures', TILES[i % TILES.length]))
        .rotate()
        .removeAlpha()
        .resize(SIDE, SIDE, { fit: 'cover', kernel: 'lanczos3' })
        .toBuffer(),
      left: (i % 4) * SIDE,
      top: Math.floor(i / 4) * SIDE,
    })),
  );
  const jpeg = await sharp({ create: { width, height, channels: 3, background: '#000000' } })
    .composite(tiles)
    .jpeg({ quality: 90 })
    .toBuffer();
  return { jpeg, width, height };
}
