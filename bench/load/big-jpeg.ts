import sharp from 'sharp';

/** The largest legal picture (33 MP) as a small JPEG, for floods of large inputs. */
export async function bigJpeg(): Promise<Buffer> {
  // 7680x4320 = 33,177,600 pixels, the largest legal picture; smooth content keeps the file small.
  const shapes = [0, 1, 2, 3].map((i) => ({
    input: { create: { width: 1500, height: 1200, channels: 3 as const, background: { r: 60 * i, g: 200 - 40 * i, b: 90 } } },
    left: 300 + 1700 * i,
    top: 400 + 500 * i,
  }));
  return sharp({ create: { width: 7680, height: 4320, channels: 3, background: { r: 180, g: 170, b: 150 } } })
    .composite(shapes)
    .jpeg({ quality: 80 })
    .toBuffer();
}
