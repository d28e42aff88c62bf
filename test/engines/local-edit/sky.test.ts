import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findStuff } from '../../../src/imaging/stuff/find-stuff.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { loadPhoto } from '../../imaging/photo-fixtures.js';
import { editWithNotes, localEditEngine } from './edit-helpers.js';

/**
 * Sky edits end to end on real photos, checked by pixels: the guide's "replace the cloudy sky with a warm
 * sunrise while preserving the buildings" warms the sky, keeps the clouds' fine structure and the houses'
 * edges; "make the sky bluer" changes nothing outside the sky; a photo without a sky is refused with a
 * reason; the answer says what was found.
 */

const engine = localEditEngine();
const edit = (prompt: string, image: RawImage) => editWithNotes(engine, prompt, image);

const luma = (d: Uint8Array, i: number, c: number) => 0.299 * d[i * c] + 0.587 * d[i * c + 1] + 0.114 * d[i * c + 2];

/** Pearson correlation of two sequences. */
function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) ** 2;
    vb += (b[i] - mb) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

/** Fine detail (a pixel's lightness minus the mean of its 5x5 neighbourhood) and edge strength, per pixel. */
function structure(img: { data: Uint8Array; width: number; height: number; channels: number }) {
  const { width: w, height: h, channels: c, data } = img;
  const detail = new Float32Array(w * h);
  const edge = new Float32Array(w * h);
  for (let y = 2; y < h - 2; y++) {
    for (let x = 2; x < w - 2; x++) {
      const i = y * w + x;
      let sum = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) sum += luma(data, i + dy * w + dx, c);
      detail[i] = luma(data, i, c) - sum / 25;
      edge[i] = Math.abs(luma(data, i + 1, c) - luma(data, i - 1, c)) + Math.abs(luma(data, i + w, c) - luma(data, i - w, c));
    }
  }
  return { detail, edge };
}

describe('sky edits', () => {
  test('"replace the cloudy sky with a warm sunrise while preserving the buildings" on an overcast street', async () => {
    const photo = await loadPhoto('cloudyStreet');
    const sky = findStuff({ ...photo, kind: 'sky' });
    assert.ok(sky.mask);
    const { out, notes } = await edit('replace the cloudy sky with a warm sunrise while preserving the buildings', photo);
    assert.match(notes.found?.join() ?? '', /^sky \d+%$/);
    const before = structure(photo);
    const afterward = structure(out);
    const inSky: number[] = [];
    const outside: number[] = [];
    for (let i = 0; i < sky.mask.length; i++) {
      if (sky.mask[i] === 255) inSky.push(i);
      else if (sky.mask[i] === 0) outside.push(i);
    }
    // The sky turned warm: red well above blue where it was grey.
    const warmth = (img: { data: Uint8Array; channels: number }) =>
      inSky.reduce((s, i) => s + img.data[i * img.channels] - img.data[i * img.channels + 2], 0) / inSky.length;
    assert.ok(warmth(out) - warmth(photo) > 35, `sky warmth ${warmth(photo)} -> ${warmth(out)}`);
    // The clouds kept their structure: fine detail in the sky correlates with the original's.
    const cloud = correlation(
      inSky.map((i) => before.detail[i]),
      inSky.map((i) => afterward.detail[i]),
    );
    assert.ok(cloud > 0.6, `cloud detail correlation ${cloud}`);
    // The houses kept theirs: edges outside the sky are where they were, of nearly the same strength (relit only).
    const edges = correlation(
      outside.map((i) => before.edge[i]),
      outside.map((i) => afterward.edge[i]),
    );
    assert.ok(edges > 0.97, `edge correlation outside the sky ${edges}`);
  });

  test('"make the sky bluer" on a blue day changes only the sky, toward blue', async () => {
    const photo = await loadPhoto('skyTowers');
    const sky = findStuff({ ...photo, kind: 'sky' });
    assert.ok(sky.mask);
    const { out, notes } = await edit('make the sky bluer', photo);
    assert.ok(notes.found?.[0]?.startsWith('sky'));
    let changedOutside = 0;
    let blueBefore = 0;
    let blueAfter = 0;
    for (let i = 0; i < sky.mask.length; i++) {
      const j = i * 3;
      const k = i * out.channels;
      if (sky.mask[i] === 0) {
        if (photo.data[j] !== out.data[k] || photo.data[j + 2] !== out.data[k + 2]) changedOutside++;
      } else if (sky.mask[i] === 255) {
        blueBefore += photo.data[j + 2] - photo.data[j];
        blueAfter += out.data[k + 2] - out.data[k];
      }
    }
    assert.equal(changedOutside, 0, 'nothing outside the sky changed');
    assert.ok(blueAfter > blueBefore * 1.05, `blue over red ${blueBefore} -> ${blueAfter}`);
  });

  test('the dusk launch (rocket.jpg) takes a sunset, the rocket keeps its shape', async () => {
    const photo = await loadPhoto('rocket');
    const sky = findStuff({ ...photo, kind: 'sky' });
    assert.ok(sky.mask);
    const { out } = await edit('change the sky to sunset', photo);
    const before = structure(photo);
    const afterward = structure(out);
    // The rocket's body, a column in the middle of the frame below its nose.
    const column: number[] = [];
    for (let y = Math.round(photo.height * 0.45); y < photo.height * 0.85; y++) {
      for (let x = Math.round(photo.width * 0.46); x < photo.width * 0.54; x++) {
        // Pixels whose neighbours are not sky either: their edge measure reads only the rocket.
        const i = y * photo.width + x;
        const clear = [i - 1, i + 1, i - photo.width, i + photo.width, i].every((k) => sky.mask[k] === 0);
        if (clear) column.push(i);
      }
    }
    const kept = correlation(
      column.map((i) => before.edge[i]),
      column.map((i) => afterward.edge[i]),
    );
    assert.ok(kept > 0.9, `rocket edge correlation ${kept}`);
  });

  test('a photo without a sky is refused with the reason, and nothing is made up', async () => {
    const photo = await loadPhoto('chelsea');
    await assert.rejects(edit('make the sky bluer', photo), (error: Error) => {
      assert.match(error.message, /I could not find a sky in this photo: .+/);
      return true;
    });
    await assert.rejects(edit('replace the sky with a sunset', photo), /could not find a sky/);
  });

  test('"brighten the sky" is a tone edit on the found sky; "make the water bluer" on a cat is refused', async () => {
    const photo = await loadPhoto('skyTowers');
    const { notes } = await edit('brighten the sky', photo);
    assert.match(notes.found?.join() ?? '', /^sky \d+%$/);
    await assert.rejects(edit('darken the water', await loadPhoto('chelsea')), /could not find water in this photo/);
  });
});
