import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Detection } from '../../../src/resources/detectors/detection.js';
import { mergeTileFinds, type TileFinds } from '../../../src/resources/detectors/tiles/merge-tiles.js';
import { planTiles, TILE_OVERLAP, type Tile } from '../../../src/resources/detectors/tiles/tile-grid.js';

describe('planTiles', () => {
  test('no tiles while the whole-picture pass already sees the picture near its own size', () => {
    assert.equal(planTiles(600, 400, 512), null);
    assert.equal(planTiles(665, 665, 512), null);
  });

  test('a 1 MP photo gets 2 x 2 tiles that cover it, overlapping by a fifth of a tile', () => {
    const tiles = planTiles(1155, 866, 512)!;
    assert.equal(tiles.length, 4);
    for (const t of tiles) {
      assert.ok(t.left >= 0 && t.top >= 0 && t.left + t.width <= 1155 && t.top + t.height <= 866, JSON.stringify(t));
    }
    const [a, b, c] = tiles;
    assert.equal(b.left + b.width, 1155, 'the right column reaches the right edge');
    assert.equal(c.top + c.height, 866, 'the bottom row reaches the bottom edge');
    assert.ok(a.left + a.width - b.left >= Math.floor(TILE_OVERLAP * a.width), 'columns overlap');
    assert.ok(a.top + a.height - c.top >= Math.floor(TILE_OVERLAP * a.height), 'rows overlap');
    assert.deepEqual(a.seams, { left: false, top: false, right: true, bottom: true });
    assert.deepEqual(tiles[3].seams, { left: true, top: true, right: false, bottom: false });
  });

  test('each side gets its own count, at most 3 (9 detector runs)', () => {
    assert.equal(planTiles(800, 600, 512)!.length, 2);
    assert.equal(planTiles(1920, 1080, 512)!.length, 6);
    assert.equal(planTiles(4000, 3000, 512)!.length, 9);
    assert.equal(planTiles(12000, 800, 512)!.length, 6);
  });
});

describe('mergeTileFinds', () => {
  // Two tiles side by side over a 1000 x 500 picture, overlapping from x 400 to 600.
  const left: Tile = { left: 0, top: 0, width: 600, height: 500, seams: { left: false, top: false, right: true, bottom: false } };
  const right: Tile = {
    left: 400,
    top: 0,
    width: 600,
    height: 500,
    seams: { left: true, top: false, right: false, bottom: false },
  };
  const bird = (l: number, t: number, w = 30, h = 20, score = 0.5): Detection => ({
    label: 'bird',
    score,
    left: l,
    top: t,
    width: w,
    height: h,
  });
  const finds = (a: Detection[], b: Detection[]): TileFinds[] => [
    { tile: left, boxes: a },
    { tile: right, boxes: b },
  ];

  test('a bird only the tiles saw is added, in picture pixels', () => {
    const { added } = mergeTileFinds(finds([], [bird(300, 100)]), []);
    assert.deepEqual(added, [bird(700, 100)]);
  });

  test('a bird inside the overlap, seen whole by both tiles, is one bird', () => {
    const { added } = mergeTileFinds(finds([bird(480, 100, 30, 20, 0.6)], [bird(82, 101, 30, 20, 0.5)]), []);
    assert.equal(added.length, 1);
    assert.equal(added[0].score, 0.6);
  });

  test('a bird cut by a seam is taken from the tile that saw it whole', () => {
    // The left tile's box stops 4 pixels short of its right edge: cut all the same.
    const { added } = mergeTileFinds(finds([bird(570, 100, 26, 20, 0.7)], [bird(170, 100, 60, 20, 0.45)]), []);
    assert.deepEqual(added, [bird(570, 100, 60, 20, 0.45)]);
  });

  test('a part seen only cut, in one tile, is dropped; parts cut in both tiles are joined', () => {
    assert.deepEqual(mergeTileFinds(finds([bird(560, 100, 40, 20)], []), []).added, []);
    const big = mergeTileFinds(finds([bird(350, 100, 250, 80)], [bird(0, 100, 220, 80)]), []).added;
    assert.deepEqual(big, [{ ...bird(350, 100, 270, 80) }]);
  });

  test('what the whole picture saw is not added again; its box takes in the closer view', () => {
    const whole = [bird(100, 100, 40, 30, 0.6)];
    const { added, widened } = mergeTileFinds(finds([bird(98, 102, 46, 30, 0.5)], []), whole);
    assert.deepEqual(added, []);
    assert.deepEqual(widened, [{ ...whole[0], left: 98, width: 46, height: 32 }]);
  });

  test('a seam-cut part of a thing the whole picture saw is dropped, and does not widen it', () => {
    const whole = [bird(500, 100, 200, 100, 0.6)];
    const { added, widened } = mergeTileFinds(finds([bird(500, 100, 98, 100)], []), whole);
    assert.deepEqual(added, []);
    assert.deepEqual(widened, whole);
  });

  test('two birds side by side stay two; a box larger than half a tile is not a small thing', () => {
    const pair = mergeTileFinds(finds([bird(100, 100, 30, 20, 0.6), bird(125, 100, 30, 20, 0.5)], []), []).added;
    assert.equal(pair.length, 2);
    assert.deepEqual(mergeTileFinds(finds([bird(10, 10, 320, 100)], []), []).added, []);
  });

  test('labels are kept apart', () => {
    const kite: Detection = { ...bird(300, 100), label: 'kite' };
    assert.equal(mergeTileFinds(finds([bird(300, 100), kite], []), [kite]).added.length, 1);
  });
});
