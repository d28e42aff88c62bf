import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BandAccumulator } from '../../../src/resources/super-resolution/band-accumulator.js';
import { overlaps, rampWeights, spans } from '../../../src/resources/super-resolution/tiling.js';

describe('tile spans', () => {
  for (const [length, tile, overlap] of [
    [256, 192, 16],
    [300, 128, 16],
    [1000, 192, 16],
    [193, 192, 16],
    [100, 192, 16],
    [4099, 192, 24],
  ]) {
    test(`${length} pixels, tiles of ${tile}, overlap ${overlap}: covered, within size, overlapping enough`, () => {
      const list = spans(length, tile, overlap);
      assert.equal(list[0].start, 0);
      assert.equal(list.at(-1)!.end, length);
      for (const [i, span] of list.entries()) {
        assert.ok(span.end - span.start <= tile, `tile ${i} is ${span.end - span.start} pixels`);
        if (i > 0)
          assert.ok(list[i - 1].end - span.start >= Math.min(overlap, length), `overlap ${list[i - 1].end - span.start}`);
      }
    });
  }

  test('a small side is one tile; a side just over the tile size becomes two even tiles', () => {
    assert.deepEqual(spans(100, 192, 16), [{ start: 0, end: 100 }]);
    assert.deepEqual(spans(256, 192, 16), [
      { start: 0, end: 136 },
      { start: 120, end: 256 },
    ]);
  });

  test('ramps of two neighbours sum to one across their overlap, and are 1 on the borders', () => {
    const list = spans(300, 128, 16);
    const o = overlaps(list);
    const scale = 4;
    const sums = new Float32Array(300 * scale);
    for (const [i, span] of list.entries()) {
      for (const [k, w] of rampWeights(span, o[i].before, o[i].after, scale).entries()) sums[span.start * scale + k] += w;
    }
    for (const [i, s] of sums.entries()) assert.ok(Math.abs(s - 1) < 1e-6, `weight sum ${s} at ${i}`);
    assert.equal(rampWeights(list[0], 0, o[0].after, scale)[0], 1);
  });
});

describe('band accumulator', () => {
  test('blending tiles of a known enlargement reproduces the whole enlargement, band by band', () => {
    const [width, height, scale] = [53, 47, 2];
    const truth = (x: number, y: number, c: number) => ((x * 7 + y * 3 + c * 50) % 256) / 255;
    const output = new BandAccumulator(width * scale, height * scale);
    const rows = spans(height, 20, 6);
    const cols = spans(width, 20, 6);
    const [ro, co] = [overlaps(rows), overlaps(cols)];
    for (const [r, row] of rows.entries()) {
      output.startBand(row.start * scale, row.end * scale);
      const wy = rampWeights(row, ro[r].before, ro[r].after, scale);
      for (const [c, col] of cols.entries()) {
        const th = (row.end - row.start) * scale;
        const tw = (col.end - col.start) * scale;
        const tile = new Float32Array(3 * th * tw);
        for (let ch = 0; ch < 3; ch++)
          for (let y = 0; y < th; y++)
            for (let x = 0; x < tw; x++)
              tile[ch * th * tw + y * tw + x] = truth(col.start * scale + x, row.start * scale + y, ch);
        output.add(tile, row.start * scale, col.start * scale, th, tw, wy, rampWeights(col, co[c].before, co[c].after, scale));
      }
      output.finishRowsBefore(r + 1 < rows.length ? rows[r + 1].start * scale : height * scale);
    }
    const result = output.result();
    for (let y = 0; y < height * scale; y++)
      for (let x = 0; x < width * scale; x++)
        for (let c = 0; c < 3; c++)
          assert.equal(result[(y * width * scale + x) * 3 + c], Math.round(truth(x, y, c) * 255), `pixel ${x},${y}`);
  });

  test('refuses to hand out an unfinished image', () => {
    const output = new BandAccumulator(4, 4);
    output.startBand(0, 4);
    assert.throws(() => output.finishRowsBefore(2), /covered by no tile/);
  });
});
