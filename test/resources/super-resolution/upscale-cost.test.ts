import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faithfulNetworks, SR_MODELS } from '../../../src/resources/super-resolution/sr-models.js';
import {
  checkUpscaleTime,
  estimateUpscaleSeconds,
  UPSCALE_TIME_LIMIT_S,
  type UpscaleNetworks,
} from '../../../src/resources/super-resolution/upscale-cost.js';
import type { UpscaleScale } from '../../../src/resources/super-resolution/upscale-scale.js';

const faithful = faithfulNetworks()!;
const generative = SR_MODELS['realesrgan-x4fast'];
const networks =
  (mix: number, precision: 'int8' | 'float' = 'int8') =>
  (scale: UpscaleScale): UpscaleNetworks => ({ faithful: faithful[scale], generative, mix, precision });

test('the estimate grows with the pixels and with each network the mix runs', () => {
  const one = estimateUpscaleSeconds(1e6, networks(0)(2));
  assert.ok(Math.abs(estimateUpscaleSeconds(2e6, networks(0)(2)) - 2 * one) < 1e-9);
  assert.ok(estimateUpscaleSeconds(1e6, networks(0.5)(2)) > one);
  assert.ok(estimateUpscaleSeconds(1e6, networks(0, 'float')(2)) > one);
});

test('what the targets need is admitted: 1 MP at 2x by default, 2400x1600 at 4x (served at 2x) at creativity 0', () => {
  checkUpscaleTime(1000, 1000, 2, networks(0.5));
  checkUpscaleTime(2400, 1600, 4, networks(0));
  checkUpscaleTime(512, 512, 4, networks(0.5));
});

test('what would pass the limit is refused with 413, the estimate, and what would fit', () => {
  // 4x of 1024 x 1024 with both networks: thick x4 and Real-ESRGAN on a full megapixel.
  assert.throws(
    () => checkUpscaleTime(1024, 1024, 4, networks(0.5)),
    (e: Error & { status?: number; body?: Record<string, unknown> }) => {
      assert.equal(e.status, 413);
      assert.match(e.message, /1024x1024 image 4x would take about \d+ s/);
      assert.match(e.message, new RegExp(`more than the ${UPSCALE_TIME_LIMIT_S} s`));
      assert.match(e.message, /scale 2 with this image/);
      assert.match(e.message, /creativity 0 with this image/);
      assert.match(e.message, /an image of at most \d+x\d+ at 4x/);
      assert.ok(Number(e.body?.estimated_seconds) > UPSCALE_TIME_LIMIT_S);
      return true;
    },
  );
  // Float networks on the largest 2x input: only a smaller image fits, and the size offered does.
  assert.throws(
    () => checkUpscaleTime(2048, 2048, 2, networks(0.5, 'float')),
    (e: Error) => {
      const [, w, h] = /at most (\d+)x(\d+) at 2x/.exec(e.message)!;
      checkUpscaleTime(Number(w), Number(h), 2, networks(0.5, 'float'));
      return !/scale 2 with this image/.test(e.message);
    },
  );
});

test('a network without a measurement is costed as the slowest measured one', () => {
  const unknown = { ...generative, name: 'not-measured' };
  const seconds = estimateUpscaleSeconds(1e6, { faithful: unknown, generative, mix: 0, precision: 'int8' });
  assert.ok(
    seconds >= estimateUpscaleSeconds(1e6, { faithful: SR_MODELS['esrgan-thick-x4'], generative, mix: 0, precision: 'float' }),
  );
});
