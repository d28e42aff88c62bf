import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp, { type Sharp } from 'sharp';
import { ApiError } from '../../src/errors.js';
import { decodeImage } from '../../src/inputs/decode-image.js';
import { MAX_INPUT_PIXELS, MIN_INPUT_PIXELS, type RawImage } from '../../src/imaging/raw-image.js';
import { fixture, greyAlphaPng, greyPng, jpegWithOrientation, PDF, png16, solid, SVG, twoFrameGif } from './make-images.js';

async function refused(bytes: Buffer, message: RegExp, code = 'INVALID_IMAGE'): Promise<void> {
  await assert.rejects(decodeImage(bytes, 'images[2]'), (error: unknown) => {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, 400);
    assert.match(error.message, /^images\[2\] /, 'the message names the field');
    assert.match(error.message, message);
    return true;
  });
}

function pixel(image: RawImage, x: number, y: number): number[] {
  const offset = (y * image.width + x) * image.channels;
  return [...image.data.subarray(offset, offset + image.channels)];
}

describe('decodeImage: formats', () => {
  test('decodes the fixture photos to 8-bit RGB at their size', async () => {
    for (const [name, width, height] of [
      ['chelsea.png', 451, 300],
      ['rocket.jpg', 640, 427],
    ] as const) {
      const image = await decodeImage(fixture(name), 'image');
      assert.deepEqual([image.width, image.height, image.channels], [width, height, 3], name);
      assert.equal(image.data.length, width * height * 3);
    }
  });

  for (const [name, encode] of [
    ['JPEG', (image: Sharp) => image.jpeg()],
    ['PNG', (image: Sharp) => image.png()],
    ['WebP', (image: Sharp) => image.webp()],
    ['AVIF', (image: Sharp) => image.avif({ effort: 0 })],
    ['TIFF', (image: Sharp) => image.tiff()],
    ['GIF', (image: Sharp) => image.gif()],
  ] as const) {
    test(`accepts ${name}`, async () => {
      const image = await decodeImage(await solid(320, 240, encode, '#ff0000'), 'image');
      assert.deepEqual([image.width, image.height, image.channels], [320, 240, 3]);
      const [r, g, b] = pixel(image, 100, 100);
      assert.ok(r > 200 && g < 50 && b < 50, `${name} pixel is red: ${[r, g, b]}`);
    });
  }

  test('a GIF with transparency keeps its alpha channel', async () => {
    const gif = await sharp({ create: { width: 300, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: await solid(100, 100, (image) => image.png(), '#00ff00'), left: 0, top: 0 }])
      .gif()
      .toBuffer();
    const image = await decodeImage(gif, 'image');
    assert.equal(image.channels, 4);
    assert.equal(pixel(image, 200, 200)[3], 0);
    assert.deepEqual(pixel(image, 50, 50), [0, 255, 0, 255]);
  });

  test('an animated GIF yields its first frame only', async () => {
    const image = await decodeImage(await twoFrameGif(), 'image');
    assert.deepEqual([image.width, image.height], [300, 300]);
    assert.deepEqual(pixel(image, 150, 150).slice(0, 3), [255, 0, 0]);
  });

  test('refuses SVG, even though sharp would render it', async () => {
    await refused(SVG, /is an SVG, XML or HTML document; only JPEG, PNG, WebP, AVIF, GIF or TIFF images are accepted/);
    await refused(Buffer.from(`\ufeff  \n${SVG.toString()}`), /SVG/);
  });

  test('refuses PDF and other document or unlisted formats', async () => {
    await refused(PDF, /is a PDF document/);
    await refused(Buffer.from('%!PS-Adobe-3.0\n'), /PostScript/);
    await refused(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]), /gzip/);
    await refused(Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]), /BMP/);
    await refused(Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1'), /HEIC/);
    await refused(Buffer.from('hello, this is just text'), /not a recognised image/);
  });

  test('refuses a file whose signature lies about its content', async () => {
    const png = await solid(300, 300);
    const fakeGif = Buffer.concat([Buffer.from('GIF89a'), png.subarray(6)]);
    await refused(fakeGif, /corrupt|not a recognised image/);
  });
});

describe('decodeImage: pixels', () => {
  test('applies EXIF orientation 6: width and height swap, the top-left corner moves to the top right', async () => {
    const jpeg = await jpegWithOrientation(6);
    assert.equal((await sharp(jpeg).metadata()).orientation, 6, 'the fixture carries the tag');
    const image = await decodeImage(jpeg, 'image');
    assert.deepEqual([image.width, image.height], [300, 400]);
    const [r, , b] = pixel(image, 290, 10);
    assert.ok(r > 200 && b < 60, `top-right is the red marker: ${pixel(image, 290, 10)}`);
    assert.ok(pixel(image, 10, 10)[2] > 200, 'top-left is blue');
  });

  test('16-bit PNG becomes 8-bit', async () => {
    const bytes = await png16();
    assert.equal((await sharp(bytes).metadata()).depth, 'ushort');
    const image = await decodeImage(bytes, 'image');
    assert.equal(image.channels, 3);
    assert.equal(image.data.length, 300 * 300 * 3);
    assert.deepEqual(pixel(image, 5, 5), [0x33, 0x66, 0x99]);
  });

  test('greyscale becomes RGB and grey+alpha becomes RGBA', async () => {
    const grey = await decodeImage(await greyPng(), 'image');
    assert.equal(grey.channels, 3);
    const [r, g, b] = pixel(grey, 1, 1);
    assert.ok(r === g && g === b);

    const greyAlpha = await decodeImage(await greyAlphaPng(), 'image');
    assert.equal(greyAlpha.channels, 4);
    const rgba = pixel(greyAlpha, 1, 1);
    assert.ok(rgba[0] === rgba[1] && rgba[1] === rgba[2]);
    assert.ok(Math.abs(rgba[3] - 128) <= 1, `alpha kept: ${rgba[3]}`);
  });

  test('an RGBA image keeps its alpha channel', async () => {
    const rgba = await sharp({ create: { width: 300, height: 300, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0 } } })
      .webp({ lossless: true })
      .toBuffer();
    const image = await decodeImage(rgba, 'image');
    assert.equal(image.channels, 4);
    assert.equal(pixel(image, 0, 0)[3], 0);
  });
});

describe('decodeImage: limits and broken files', () => {
  test(`accepts exactly ${MIN_INPUT_PIXELS} pixels and refuses one fewer`, async () => {
    const image = await decodeImage(await solid(256, 256), 'image');
    assert.equal(image.width * image.height, MIN_INPUT_PIXELS);
    await refused(
      await solid(255, 257),
      /is 255x257 \(65,535 pixels\); each image must have between 65,536 and 33,177,600 pixels/,
    );
  });

  test(`accepts exactly ${MAX_INPUT_PIXELS} pixels and refuses one column more`, async () => {
    const image = await decodeImage(await solid(7680, 4320), 'image');
    assert.equal(image.width * image.height, MAX_INPUT_PIXELS);
    assert.equal(image.data.length, MAX_INPUT_PIXELS * 3);
    await refused(await solid(7681, 4320), /is 7681x4320 \(33,181,920 pixels\); each image must have between/);
  });

  test('the pixel-limit message gives the oriented size', async () => {
    const jpeg = await sharp({ create: { width: 4000, height: 10, channels: 3, background: '#fff' } })
      .jpeg()
      .withMetadata({ orientation: 8 })
      .toBuffer();
    await refused(jpeg, /is 10x4000 \(40,000 pixels\)/);
  });

  test('a 1x1 image is refused', async () => {
    await refused(await solid(1, 1), /is 1x1 \(1 pixel\)/);
  });

  test('a zero-byte file is refused', async () => {
    await refused(Buffer.alloc(0), /is empty/);
  });

  test('truncated files are refused, not half-decoded', async () => {
    const png = await fixture('chelsea.png');
    await refused(png.subarray(0, Math.floor(png.length / 2)), /could not be (read|decoded): the file is corrupt or truncated/);
    const jpeg = fixture('rocket.jpg');
    await refused(jpeg.subarray(0, jpeg.length - 500), /corrupt or truncated/);
    await refused(png.subarray(0, 20), /corrupt or truncated/);
  });

  test('a corrupt file is refused', async () => {
    const jpeg = Buffer.from(fixture('baboon.jpg'));
    let seed = 1;
    for (let i = 2000; i < 6000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      jpeg[i] = seed >> 16; // scribble pseudo-random bytes over the entropy-coded data
    }
    await refused(jpeg, /corrupt or truncated/);
    const png = Buffer.from(fixture('coffee.png'));
    png.fill(0, 100, 400); // breaks a chunk's CRC
    await refused(png, /corrupt or truncated/);
  });

  test('messages carry no internals', async () => {
    const png = fixture('chelsea.png');
    await assert.rejects(decodeImage(png.subarray(0, 1000), 'image'), (error: ApiError) => {
      assert.doesNotMatch(error.message, /vips|libpng|spng|sharp|\/work|\.ts|\.js/i);
      return true;
    });
  });
});
