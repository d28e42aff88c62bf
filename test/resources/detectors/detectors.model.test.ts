import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDetectors, type Detection, type Detectors } from '../../../src/resources/detectors/index.js';
import { loadModelFile, MODEL_FILES } from '../../../src/resources/detectors/model-files.js';
import { ModelUnavailableError } from '../../../src/resources/onnx/model-unavailable.js';
import { loadPhoto } from '../../imaging/photo-fixtures.js';

/** The three detectors on real photos, through the worker pool, at their calibrated thresholds. */

let detectors: Detectors;
before(() => {
  detectors = createDetectors({ info() {}, error() {} });
});
after(async () => {
  await detectors.close();
});

const centre = (d: Detection) => ({ x: d.left + d.width / 2, y: d.top + d.height / 2 });

describe('detectors on real photos', () => {
  test('faces: the astronaut has one face, on her head; the cat has none', async () => {
    const faces = await detectors.faces.detect(await loadPhoto('astronaut'));
    assert.equal(faces.length, 1, JSON.stringify(faces));
    const c = centre(faces[0]);
    assert.ok(c.x > 180 && c.x < 270 && c.y > 80 && c.y < 180, JSON.stringify(faces[0]));
    assert.deepEqual(await detectors.faces.detect(await loadPhoto('chelsea')), []);
  });

  test('objects: the street has a car and a person on each side', async () => {
    const found = await detectors.objects.detect(await loadPhoto('street'));
    const people = found.filter((d) => d.label === 'person').map(centre);
    assert.ok(people.some((p) => p.x < 150) && people.some((p) => p.x > 650), JSON.stringify(found));
    const car = found.find((d) => d.label === 'car');
    assert.ok(car && centre(car).x > 450 && centre(car).x < 650, JSON.stringify(found));
  });

  test('text: the five lines of the parking sign are found, and the coffee has no text', async () => {
    const lines = await detectors.text.detect(await loadPhoto('street'));
    const onSign = lines.filter((d) => d.left > 260 && d.left + d.width < 445 && d.top > 25 && d.top + d.height < 265);
    assert.ok(onSign.length >= 5, JSON.stringify(lines));
    assert.deepEqual(await detectors.text.detect(await loadPhoto('coffee')), []);
  });

  test('the pixels of the caller are kept (a copy goes to the worker)', async () => {
    const photo = await loadPhoto('astronaut');
    const before = Buffer.from(photo.data);
    await detectors.faces.detect(photo);
    assert.ok(before.equals(photo.data));
  });
});

describe('weights', () => {
  test('a model file whose digest differs is refused as unavailable', async () => {
    const file = { ...MODEL_FILES.faces.weights, sha256: '0'.repeat(64) };
    await assert.rejects(
      loadModelFile(file),
      (error: unknown) => error instanceof ModelUnavailableError && /integrity/.test((error as ModelUnavailableError).reason),
    );
  });

  test('the shipped files pass their size and digest checks', async () => {
    for (const kind of ['objects', 'faces', 'text'] as const) {
      for (const file of Object.values(MODEL_FILES[kind])) assert.equal((await loadModelFile(file)).length, file.size);
    }
  });
});
