import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { int8Model } from '../../../src/resources/onnx/int8-model.js';
import { sessionOptions } from '../../../src/resources/onnx/session-options.js';
import { loadSrModel } from '../../../src/resources/super-resolution/model-files.js';
import { srCalibrationInputs } from '../../../src/resources/super-resolution/sr-calibration.js';
import { SR_MODELS } from '../../../src/resources/super-resolution/sr-models.js';

/**
 * Every super-resolution network's int8 version against its float original, on real photos the ranges
 * were not calibrated on (test/fixtures; calibration uses assets/calibration): the outputs, in 8-bit
 * levels, may differ by at most the mean measured for each network plus a margin
 * (bench/upscale/NOTES.md#int8-against-float). The faithful networks stay within about a level;
 * Real-ESRGAN's 34 layers of 64 channels with PReLU between them accumulate more (about 3.4 levels; no
 * single layer kept in float helps), which costs it 0.008 SSIM at 4x.
 */
const LIMITS: Record<string, number> = {
  'esrgan-medium-x2': 1.5,
  'esrgan-medium-x4': 1.5,
  'esrgan-thick-x2': 1.5,
  'esrgan-thick-x4': 1.5,
  'realesrgan-x4fast': 5,
};
const PHOTOS = ['astronaut.png', 'baboon.jpg', 'coffee.png', 'rocket.jpg'];
const SIDE = 48;
const options = sessionOptions({ workers: 1, intraOpThreads: 2 });

async function tiles(): Promise<Float32Array[]> {
  return Promise.all(
    PHOTOS.map(async (name) => {
      const image = sharp(`test/fixtures/${name}`).removeAlpha();
      const meta = await image.metadata();
      const left = Math.round((meta.width! - SIDE) / 2);
      const top = Math.round((meta.height! - SIDE) / 2);
      const rgb = await image.extract({ left, top, width: SIDE, height: SIDE }).raw().toBuffer();
      const plane = SIDE * SIDE;
      const out = new Float32Array(3 * plane);
      for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[c * plane + i] = rgb[i * 3 + c] / 255;
      return out;
    }),
  );
}

const level = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);

describe('int8 super-resolution networks against float', () => {
  for (const spec of Object.values(SR_MODELS)) {
    test(`${spec.name}: mean difference within ${LIMITS[spec.name]} levels on real photos`, async () => {
      const float = await loadSrModel(spec);
      const { bytes } = await int8Model(
        float,
        {
          name: spec.name,
          keepFloat: spec.int8.keepFloat,
          biasCorrection: spec.int8.biasCorrection,
          inputs: srCalibrationInputs,
        },
        undefined,
        options,
      );
      assert.ok(bytes.length < float.length * 0.5, `int8 model ${bytes.length} bytes, float ${float.length}`);
      const sessions = await Promise.all([float, bytes].map((m) => ort.InferenceSession.create(m, options)));
      for (const [i, input] of (await tiles()).entries()) {
        const [a, b] = await Promise.all(
          sessions.map(async (s) => {
            const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, SIDE, SIDE]) });
            return out[s.outputNames[0]].data as Float32Array;
          }),
        );
        let sum = 0;
        for (let j = 0; j < a.length; j++) sum += Math.abs(level(a[j]) - level(b[j]));
        const mean = sum / a.length;
        assert.ok(mean <= LIMITS[spec.name], `${spec.name} on ${PHOTOS[i]}: mean difference ${mean.toFixed(2)} levels`);
      }
      await Promise.all(sessions.map((s) => s.release()));
    });
  }
});
