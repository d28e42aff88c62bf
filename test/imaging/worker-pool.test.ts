import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, test } from 'node:test';
import { ApiError } from '../../src/errors.js';
import { imagingPoolSize } from '../../src/imaging/worker-pool.js';
import { testImagingPool } from '../helpers/engine-context.js';

const shared = testImagingPool();

/** An inpainting image: a pattern with a disc-shaped hole, or a hole covering everything. */
function image(size: number, holeAll = false) {
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 251;
  const hole = new Uint8Array(size * size);
  const r = size / 5;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (holeAll || (x - size / 2) ** 2 + (y - size / 2) ** 2 < r * r) hole[y * size + x] = 255;
  }
  return { width: size, height: size, channels: 3 as const, data, hole };
}

describe('imaging worker pool', () => {
  test("is sized to the cores unless configured; each pool is its caller's", async () => {
    assert.equal(imagingPoolSize(0), availableParallelism());
    assert.equal(imagingPoolSize(3), 3);
    assert.equal(shared.size, 2);
    const one = testImagingPool(1);
    assert.equal(one.size, 1, 'a later pool gets the size it asks for');
    await one.run('inpaintPrepare', { image: image(48) });
  });

  test('runs named tasks, moving listed buffers to the worker and results back', async () => {
    const pool = shared;
    const input = image(64);
    const plan = await pool.run('inpaintPrepare', { image: input }, { transferList: [input.data.buffer] });
    assert.equal(input.data.byteLength, 0, 'the input was moved to the worker, not copied');
    assert.ok(plan.levels.length >= 1);
    assert.ok(plan.levels[0].pixels.buffer instanceof SharedArrayBuffer, 'levels come back as shared memory');

    const again = image(64);
    const { data } = await pool.run('inpaintFinish', { level: plan.levels[0], image: again, withAlpha: false });
    assert.equal(data.length, again.data.length);
    for (let i = 0; i < again.hole.length; i++) {
      if (again.hole[i]) continue;
      for (let c = 0; c < 3; c++) assert.equal(data[i * 3 + c], again.data[i * 3 + c]);
    }
  });

  test('brings an ApiError back with its code and message', async () => {
    await assert.rejects(shared.run('inpaintPrepare', { image: image(32, true) }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.code, 'INVALID_IMAGE');
      assert.match(error.message, /too little of the image/);
      return true;
    });
  });

  test('rejects an unknown task', async () => {
    await assert.rejects(shared.run('constructor' as 'inpaintPrepare', { image: image(16) }), /unknown imaging task/);
  });

  test('aborting running and queued tasks rejects with the reason, and the pool keeps working', async () => {
    const pool = testImagingPool(1);
    const controller = new AbortController();
    const running = pool.run('inpaintPrepare', { image: image(2500) }, { signal: controller.signal });
    const queued = pool.run('inpaintPrepare', { image: image(2500) }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await assert.rejects(running, /stop/);
    await assert.rejects(queued, /stop/);
    const plan = await pool.run('inpaintPrepare', { image: image(48) });
    assert.equal(plan.levels[0].width, 48);
  });
});
