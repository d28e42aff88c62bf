import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/load.js';
import { inferenceUnderWay } from '../../../src/resources/onnx/inference-pool.js';
import { createSegmenter } from '../../../src/resources/segmenter/index.js';
import { catOnFur } from '../segmenter/mask-metrics.js';

const residentMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
const threads = () => readdirSync('/proc/self/task').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A model's threads end after `workers.unloadIdleSeconds` without work, and give back the memory their
 * session held (ISNet: weights plus ONNX Runtime's arena, several hundred MB); the next request loads the
 * model again and is answered as before. Issue 23: RSS stayed at 2.6 to 2.9 GB after a flood had ended.
 */
test('idle inference threads end and give their memory back; the next request loads the model again', async () => {
  const config = loadConfig({ env: {}, overrides: { workers: { unloadIdleSeconds: 1 } } });
  const segmenter = createSegmenter(config, { info() {}, error() {} }, { workers: 1 });
  try {
    const photo = await catOnFur(640, 480);
    const image = { data: photo.pixels, width: photo.width, height: photo.height, channels: 3 as const };
    const [threadsBefore, rssBefore] = [threads(), residentMb()];
    const first = await segmenter.segment(image);
    const [threadsLoaded, rssLoaded] = [threads(), residentMb()];
    // The worker thread, its ONNX Runtime intra-op thread, and whatever else the process starts on first use
    // (libuv's pool for reading the model): the worker and its session's thread must end when idle.
    assert.ok(threadsLoaded >= threadsBefore + 2, `${threadsBefore} -> ${threadsLoaded} threads`);
    assert.equal(inferenceUnderWay.count(), 0);
    await sleep(3000);
    const [threadsIdle, rssIdle] = [threads(), residentMb()];
    assert.ok(
      threadsIdle <= threadsLoaded - 2,
      `the worker thread and its session's thread have ended: ${threadsBefore} -> ${threadsLoaded} -> ${threadsIdle}`,
    );
    const given = rssLoaded - rssIdle;
    assert.ok(given > 0.5 * (rssLoaded - rssBefore), `RSS ${rssBefore} -> ${rssLoaded} -> ${rssIdle} MB`);
    const again = await segmenter.segment(image);
    assert.deepEqual(again.data, first.data);
  } finally {
    await segmenter.close();
  }
});
