import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { loadPhoto } from '../../imaging/photo-fixtures.js';
import { editWithNotes, localEditEngine, oklabPatch } from './edit-helpers.js';

/**
 * "make the trees look like autumn" on street.jpg end to end, checked by pixels at places looked at by eye:
 * the shaded canopy (dark purple-grey in this photo) turns red-brown with the sunlit leaves, not only the
 * lit flecks; the sign, the post, the car, the woman in red and the road are not changed at all.
 */

const engine = localEditEngine();
const edit = (prompt: string, image: RawImage) => editWithNotes(engine, prompt, image);

describe('autumn on a canopy in shade', () => {
  test('street.jpg: the shaded canopy turns with the lit leaves; the things in front of it do not', async () => {
    const photo = await loadPhoto('street');
    const { out, notes } = await edit('make the trees look like autumn', photo);
    const found = notes.found?.join() ?? '';
    const share = Number(/^foliage (\d+)%$/.exec(found)?.[1]);
    assert.ok(share >= 20, `the canopy is found, not only its lit leaves: ${found}`);
    for (const [fx, fy] of [
      [0.25, 0.25],
      [0.3, 0.1],
      [0.6, 0.1],
    ]) {
      const [L0, a0, b0] = oklabPatch(photo, fx, fy);
      const [L1, a1, b1] = oklabPatch(out, fx, fy);
      const hue0 = (Math.atan2(b0, a0) * 180) / Math.PI;
      const hue1 = (Math.atan2(b1, a1) * 180) / Math.PI;
      assert.ok(hue0 < 0, `the shade at ${fx},${fy} was purple-grey (OKLab hue ${hue0.toFixed(0)})`);
      assert.ok(hue1 > 10 && hue1 < 80, `the shade at ${fx},${fy} turned red-brown (OKLab hue ${hue1.toFixed(0)})`);
      assert.ok(Math.abs(L1 - L0) < 0.03, `its lightness is kept (${L0.toFixed(3)} -> ${L1.toFixed(3)})`);
    }
    for (const [fx, fy, what] of [
      [0.45, 0.6, 'the post'],
      [0.35, 0.3, 'the sign'],
      [0.6, 0.8, 'the car'],
      [0.92, 0.75, 'the woman in red'],
      [0.5, 0.97, 'the road'],
      [0.8, 0.5, "the building's wall"],
    ] as const) {
      const before = oklabPatch(photo, fx, fy);
      const after = oklabPatch(out, fx, fy);
      const moved = Math.hypot(after[0] - before[0], after[1] - before[1], after[2] - before[2]);
      assert.ok(moved < 0.01, `${what} is unchanged (OKLab distance ${moved.toFixed(3)})`);
    }
  });
});
