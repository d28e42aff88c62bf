import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { loadPhoto } from '../../imaging/photo-fixtures.js';
import { editWithNotes, localEditEngine, oklabPatch } from './edit-helpers.js';

/**
 * Walls and floors edited end to end, checked by pixels at places looked at by eye: "paint the wall light
 * blue" turns the astronaut's backdrop light blue with its mottled shading kept and leaves her alone;
 * "make the floor darker" darkens the garage floor and not the motorcycle; "make the floor darker" on
 * the coffee cup, which stands on a table, not a floor, is refused with the reason and a way on, and so is
 * the facade's wall, which the hazy leaves in front of it break into too many pieces to repaint.
 */

const engine = localEditEngine();
const edit = (prompt: string, image: RawImage) => editWithNotes(engine, prompt, image);

const moved = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('walls and floors', () => {
  test('"paint the wall light blue" on astronaut.png: the backdrop turns light blue, she does not', async () => {
    const photo = await loadPhoto('astronaut');
    const { out, notes } = await edit('paint the wall light blue', photo);
    assert.match(notes.found?.join() ?? '', /^wall \d+%$/);
    for (const [fx, fy] of [
      [0.15, 0.1],
      [0.3, 0.1],
    ]) {
      const before = oklabPatch(photo, fx, fy);
      const after = oklabPatch(out, fx, fy);
      const hue = (Math.atan2(after[2], after[1]) * 180) / Math.PI;
      assert.ok(hue < -90 && hue > -150, `the backdrop at ${fx},${fy} is blue (OKLab hue ${hue.toFixed(0)})`);
      assert.ok(
        after[0] > 0.55 && after[0] >= before[0] - 0.01,
        `and light, not darkened (L ${before[0].toFixed(2)} -> ${after[0].toFixed(2)})`,
      );
      assert.ok(after[0] - before[0] < 0.12, 'its lightness moved only part of the way: the shading is kept');
    }
    for (const [fx, fy, what] of [
      [0.45, 0.25, 'her face'],
      [0.5, 0.7, 'the suit'],
      [0.1, 0.4, 'the flag'],
    ] as const)
      assert.ok(moved(oklabPatch(photo, fx, fy), oklabPatch(out, fx, fy)) < 0.01, `${what} is unchanged`);
  });

  test('"make the floor darker" on motorcycle_left.png: the floor darkens, the motorcycle does not', async () => {
    const photo = await loadPhoto('motorcycle');
    const { out, notes } = await edit('make the floor darker', photo);
    assert.match(notes.found?.join() ?? '', /^floor \d+%$/);
    for (const [fx, fy] of [
      [0.1, 0.9],
      [0.5, 0.95],
    ]) {
      const [L0] = oklabPatch(photo, fx, fy);
      const [L1] = oklabPatch(out, fx, fy);
      assert.ok(L1 < L0 - 0.03, `the floor at ${fx},${fy} is darker (${L0.toFixed(3)} -> ${L1.toFixed(3)})`);
    }
    for (const [fx, fy, what] of [
      [0.4, 0.5, 'the motorcycle'],
      [0.8, 0.3, 'the shelves'],
    ] as const)
      assert.ok(moved(oklabPatch(photo, fx, fy), oklabPatch(out, fx, fy)) < 0.01, `${what} is unchanged`);
  });

  test('"paint the wall light blue" on building-facade.jpg: refused, the leaves in front break the wall up', async () => {
    const photo = await loadPhoto('facade');
    await assert.rejects(edit('paint the wall light blue', photo), (error: Error) => {
      assert.match(
        error.message,
        /I could not find a wall in this photo: what looks like one is broken up by \d+ patches.*Send a mask/,
      );
      return true;
    });
  });

  test('"make the floor darker" on coffee.png: refused, the cup stands on a table', async () => {
    const photo = await loadPhoto('coffee');
    await assert.rejects(edit('make the floor darker', photo), (error: Error) => {
      assert.match(error.message, /I could not find a floor in this photo: .*bottom edge.*Send a mask/);
      return true;
    });
  });
});
