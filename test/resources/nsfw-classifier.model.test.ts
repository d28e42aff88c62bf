import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { NSFW_CLASSIFIER, isFlagged } from '../../src/resources/nsfw-classifier.js';

/**
 * The real classifier (nsfwjs MobileNetV2 on TensorFlow.js's WebAssembly backend, in its worker thread)
 * on real photos: ordinary pictures are not flagged, and the probabilities are a distribution. No
 * explicit picture is kept in the repository, so the flagging side is checked on the rule itself.
 */
const classifier = NSFW_CLASSIFIER.create({} as never);
after(() => classifier.close());

async function photo(name: string): Promise<RawImage> {
  const { data, info } = await sharp(`test/fixtures/${name}`).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

describe('NSFW classifier (model)', () => {
  for (const name of ['chelsea.png', 'coffee.png', 'astronaut.png', 'rocket.jpg', 'baboon.jpg', 'fruits.jpg']) {
    test(`${name}: classified, not flagged`, async () => {
      const p = await classifier.classify(await photo(name));
      const total = Object.values(p).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(total - 1) < 1e-3, `probabilities sum to ${total}`);
      assert.ok(p.Porn + p.Hentai < 0.2, JSON.stringify(p));
      assert.equal(await classifier.isExplicit(await photo(name)), false);
    });
  }

  test('the rule: explicit classes past one half, or strongly suggestive', () => {
    const base = { Drawing: 0, Hentai: 0, Neutral: 0, Porn: 0, Sexy: 0 };
    assert.equal(isFlagged({ ...base, Porn: 0.3, Hentai: 0.25, Neutral: 0.45 }), true);
    assert.equal(isFlagged({ ...base, Sexy: 0.85, Neutral: 0.15 }), true);
    assert.equal(isFlagged({ ...base, Sexy: 0.6, Porn: 0.1, Neutral: 0.3 }), false);
  });
});
