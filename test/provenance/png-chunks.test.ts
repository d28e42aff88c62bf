import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { joinImageData } from '../../src/provenance/png-chunks.js';

const idatCount = (png: Buffer) => {
  let count = 0;
  for (let offset = 8; offset < png.length; offset += 12 + png.readUInt32BE(offset)) {
    if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT') count++;
  }
  return count;
};

test('the image data of a PNG is joined into one chunk: same pixels, valid CRCs', async () => {
  const png = await sharp('test/fixtures/fruits.jpg')
    .resize(800)
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>')
    .png()
    .toBuffer();
  assert.ok(idatCount(png) > 10, 'libvips writes many chunks');
  const joined = joinImageData(png);
  assert.equal(idatCount(joined), 1);
  // failOn 'warning' makes libpng's CRC and stream checks fatal.
  const [a, b] = await Promise.all([png, joined].map((bytes) => sharp(bytes, { failOn: 'warning' }).raw().toBuffer()));
  assert.ok(a!.equals(b!));
  assert.equal((await sharp(joined).metadata()).xmp?.length, (await sharp(png).metadata()).xmp?.length, 'other chunks kept');
});

test('a PNG with one chunk, or a truncated one, is returned as it is', async () => {
  const small = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } })
    .png()
    .toBuffer();
  assert.equal(joinImageData(small), small);
  const big = await sharp('test/fixtures/fruits.jpg').png().toBuffer();
  const truncated = big.subarray(0, big.length - 5000);
  assert.equal(joinImageData(truncated), truncated);
});
