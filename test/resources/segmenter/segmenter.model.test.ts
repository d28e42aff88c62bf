import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/config/load.js';
import { createSegmenter } from '../../../src/resources/segmenter/index.js';
import { catOnFur, maskIoU } from './mask-metrics.js';

/**
 * The real ISNet model on photos with a known foreground. One segmenter (one worker, one session) serves
 * the whole file; each segment call is one 1024x1024 inference, a few seconds on this machine.
 */
describe('ISNet segmenter', () => {
  const segmenter = createSegmenter(loadConfig({ env: {} }), { info() {}, error() {} }, { workers: 1 });
  after(() => segmenter.close());

  test('is online with the data package installed', () => {
    assert.deepEqual(segmenter.status(), { online: true });
    assert.equal(segmenter.model, 'isnet-int8');
  });

  test('finds a pasted foreground: IoU >= 0.9 with the known mask', async () => {
    const photo = await catOnFur(640, 480);
    const matte = await segmenter.segment({ data: photo.pixels, width: photo.width, height: photo.height, channels: 3 });
    assert.equal(matte.width, 640);
    assert.equal(matte.height, 480);
    assert.equal(matte.data.length, 640 * 480);
    const iou = maskIoU(matte.data, photo.mask);
    assert.ok(iou >= 0.9, `IoU ${iou.toFixed(3)}`);
    // A matte, not a binary mask: the edge has intermediate values, the inside and outside are clean.
    assert.equal(matte.data[240 * 640 + 320], 255);
    assert.equal(matte.data[5 * 640 + 5], 0);
  });

  test('photos larger than the model go through guided upsampling and keep the same accuracy', async () => {
    const photo = await catOnFur(1920, 1440);
    const matte = await segmenter.segment({ data: photo.pixels, width: photo.width, height: photo.height, channels: 3 });
    assert.equal(matte.data.length, 1920 * 1440);
    const iou = maskIoU(matte.data, photo.mask);
    assert.ok(iou >= 0.9, `IoU ${iou.toFixed(3)}`);
  });

  test('an aborted request is refused before any work', async () => {
    const photo = await catOnFur(320, 240);
    const controller = new AbortController();
    controller.abort(new Error('client went away'));
    await assert.rejects(
      segmenter.segment({ data: photo.pixels, width: 320, height: 240, channels: 3 }, controller.signal),
      /client went away/,
    );
  });
});
