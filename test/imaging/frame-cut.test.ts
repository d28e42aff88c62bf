import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frameCutParts, frameCutProblem } from '../../src/imaging/frame-cut.js';

/** Holes cut by the frame: measured per part; large ones with much of their outline on the frame refused. */

const width = 400;
const height = 300;
const box = (left: number, top: number, w: number, h: number, hole = new Uint8Array(width * height)) => {
  for (let y = top; y < top + h; y++) for (let x = left; x < left + w; x++) hole[y * width + x] = 255;
  return hole;
};

test('a hole inside the picture is no frame-cut part at all', () => {
  assert.deepEqual(frameCutParts(box(100, 100, 80, 120), width, height), []);
  assert.equal(frameCutProblem(box(100, 100, 80, 120), width, height), null);
});

test('a person in the corner (8% of the picture, half its outline on the frame) is refused, naming the edges', () => {
  const hole = box(0, 140, 60, 160);
  const [part] = frameCutParts(hole, width, height);
  assert.equal(part.sides, 2);
  assert.ok(part.frameShare > 0.4, `frame share ${part.frameShare}`);
  assert.match(frameCutProblem(hole, width, height) ?? '', /cut by the picture's frame .*left and bottom edges/);
});

test('small things at the edge, and a large one standing on the bottom edge mid-picture, are left to the fill', () => {
  // A small corner (a torn corner, a bird at the edge): under 5% of the picture.
  assert.equal(frameCutProblem(box(0, 0, 40, 40), width, height), null);
  // 8% of the picture, touching only the bottom edge: context on three sides.
  const standing = box(170, 140, 60, 160);
  assert.ok(frameCutParts(standing, width, height)[0].frameShare < 0.3);
  assert.equal(frameCutProblem(standing, width, height), null);
});

test('two large parts cut by the frame are both counted', () => {
  const hole = box(width - 60, 140, 60, 160, box(0, 140, 60, 160));
  assert.match(frameCutProblem(hole, width, height) ?? '', /^2 of the areas to erase are large/);
});
