import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Engine, EngineRequest } from '../../../src/engines/engine.js';
import { ApiError } from '../../../src/errors.js';
import { localEditEngineFactory } from '../../../src/engines/local-edit/index.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { DETECTORS, type Detection } from '../../../src/resources/detectors/index.js';
import { runEncoded, testEngineContext } from '../../helpers/engine-context.js';
import { countChanged, decodePng, loadPhoto, meanChroma, rectMask } from '../../imaging/photo-fixtures.js';

/**
 * Named things found without a mask, end to end on real photos with the real detectors and segmentation
 * model. Each test checks a property of the result: the thing is gone (the detector no longer sees it)
 * or changed, and nothing outside it moved. The checks use the engine's own detectors (the same shared
 * resource), closed with the context when the file ends.
 */

const context = testEngineContext();
const engine: Engine = localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), context, 'local-edit');
const detectors = context.resources.get(DETECTORS);

async function edit(prompt: string, images: RawImage[], extra: Partial<EngineRequest> = {}): Promise<RawImage> {
  const result = await runEncoded(engine, {
    operation: images.length > 1 ? 'multi-edit' : 'edit',
    images,
    prompt,
    options: {},
    signal: AbortSignal.timeout(180_000),
    ...extra,
  });
  const { data, width, height, channels } = await decodePng(result.png);
  return { data, width, height, channels: channels as 3 | 4 };
}

const inBox =
  (b: { left: number; top: number; width: number; height: number }, margin = 0) =>
  (x: number, y: number) =>
    x >= b.left - margin && x < b.left + b.width + margin && y >= b.top - margin && y < b.top + b.height + margin;
const centre = (d: Detection) => ({ x: d.left + d.width / 2, y: d.top + d.height / 2 });

describe('faces', () => {
  for (const prompt of ['blur the faces', 'pixelate all faces']) {
    test(`"${prompt}": no face is left for the detector, and only the face area changed`, async () => {
      const photo = await loadPhoto('astronaut');
      const [face] = await detectors.faces.detect(photo);
      const out = await edit(prompt, [photo]);
      assert.deepEqual(await detectors.faces.detect(out), []);
      const changed = countChanged(photo, out, inBox(face, Math.round(face.width * 0.5)));
      assert.ok(changed.inside > face.width * face.height * 0.5, JSON.stringify(changed));
      assert.equal(changed.outside, 0);
    });
  }

  test('with a mask, only faces inside it are blurred; a mask with no face in it is blurred as sent', async () => {
    const photo = await loadPhoto('astronaut');
    const [face] = await detectors.faces.detect(photo);
    const around = { left: face.left - 40, top: face.top - 40, width: face.width + 80, height: face.height + 80 };
    const found = await edit('blur the faces', [photo, rectMask(photo.width, photo.height, around)]);
    const changed = countChanged(photo, found, inBox(face, Math.round(face.width * 0.4)));
    assert.ok(changed.inside > face.width * face.height * 0.5 && changed.outside === 0, JSON.stringify(changed));
    const empty = { left: 400, top: 300, width: 100, height: 100 };
    const masked = await edit('blur the faces', [photo, rectMask(photo.width, photo.height, empty)]);
    const inMask = countChanged(photo, masked, inBox(empty));
    assert.ok(inMask.inside > 0 && inMask.outside === 0, JSON.stringify(inMask));
  });
});

describe('text', () => {
  for (const prompt of ['remove the watermark', 'remove the text in the bottom right corner']) {
    test(`"${prompt}": the detector reads no text afterwards; nothing changed away from the lines`, async () => {
      const photo = await loadPhoto('watermarked');
      const lines = await detectors.text.detect(photo);
      assert.ok(lines.length > 0);
      const out = await edit(prompt, [photo]);
      assert.deepEqual(await detectors.text.detect(out), []);
      // The finder grows each line by a fifth of its height, and at least a quarter of the tallest line's.
      const tallest = Math.max(...lines.map((l) => l.height));
      const nearLine = (x: number, y: number) =>
        lines.some((l) => inBox(l, Math.ceil(Math.max(0.25 * l.height, 0.3 * tallest)))(x, y));
      const changed = countChanged(photo, out, nearLine);
      assert.ok(changed.inside > 0);
      assert.equal(changed.outside, 0);
    });
  }
});

describe('licence plates', () => {
  test('"blur the license plate": the lettering on the car is no longer text to the detector; nothing else changed', async () => {
    const photo = await loadPhoto('plate');
    const plate = { left: 598, top: 503, width: 64, height: 22 };
    const near = inBox(plate, 30);
    assert.ok((await detectors.text.detect(photo)).some((d) => near(d.left + d.width / 2, d.top + d.height / 2)));
    const out = await edit('blur the license plate', [photo]);
    const after = await detectors.text.detect(out);
    assert.ok(!after.some((d) => near(d.left + d.width / 2, d.top + d.height / 2)), JSON.stringify(after));
    const changed = countChanged(photo, out, inBox(plate, 40));
    assert.ok(changed.inside > plate.width * plate.height * 0.5, JSON.stringify(changed));
    assert.equal(changed.outside, 0);
  });
});

describe('objects', () => {
  test('"remove the person on the left": no person is left there, the person on the right is untouched', async () => {
    const photo = await loadPhoto('street');
    const people = (await detectors.objects.detect(photo)).filter((d) => d.label === 'person');
    const left = people.reduce((a, b) => (centre(a).x < centre(b).x ? a : b));
    let out: RawImage;
    try {
      out = await edit('remove the person on the left', [photo]);
    } catch (error) {
      // This person is cut by the left and bottom edges of the frame, 8% of the picture: the fill came out
      // as a hedge-coloured smear and a lumpy blob (bench/prompts/round-2/remove-all-people-smears.jpg), so
      // the erase refuses it before filling, saying why.
      assert.ok(error instanceof ApiError && error.status === 400, String(error));
      assert.match(error.message, /cut by the picture's frame/);
      return;
    }
    const after = (await detectors.objects.detect(out)).filter((d) => d.label === 'person');
    assert.ok(!after.some((d) => centre(d).x < left.left + left.width), JSON.stringify(after));
    assert.ok(
      after.some((d) => centre(d).x > 650),
      'the person on the right is still there',
    );
    const changed = countChanged(photo, out, inBox(left, Math.round(left.width * 0.1)));
    assert.ok(changed.inside > left.width * left.height * 0.3, JSON.stringify(changed));
    assert.equal(changed.outside, 0);
  });

  test('"make the car black and white": the car loses its colour, nothing outside its box changes', async () => {
    const photo = await loadPhoto('street');
    const car = (await detectors.objects.detect(photo)).find((d) => d.label === 'car')!;
    const out = await edit('make the car black and white', [photo]);
    assert.equal(countChanged(photo, out, inBox(car, Math.round(car.width * 0.05))).outside, 0);
    const crop = (image: RawImage) => {
      const data = Buffer.alloc(car.width * car.height * 3);
      for (let y = 0; y < car.height; y++)
        image.data.copy(
          data,
          y * car.width * 3,
          ((car.top + y) * image.width + car.left) * 3,
          ((car.top + y) * image.width + car.left + car.width) * 3,
        );
      return { data, channels: 3 };
    };
    assert.ok(meanChroma(crop(out)) < 0.6 * meanChroma(crop(photo)), `${meanChroma(crop(out))} vs ${meanChroma(crop(photo))}`);
  });
});

describe('a named class the detector confuses with another', () => {
  test('"brighten the cat": the cat the detector calls "dog" is found as the cat; the rest is untouched', async () => {
    const photo = await loadPhoto('chelsea');
    // The detector's confident reading of this cat is "dog"; "cat" is its second choice there (confusions.ts).
    const seen = await detectors.objects.detect(photo);
    assert.ok(!seen.some((d) => d.label === 'cat') && seen.some((d) => d.label === 'dog'));
    const animal = seen.find((d) => d.label === 'dog')!;
    const out = await edit('brighten the cat', [photo]);
    const changed = countChanged(photo, out, inBox(animal, Math.round(animal.width * 0.05)));
    assert.equal(changed.outside, 0);
    assert.ok(changed.inside > 0.3 * animal.width * animal.height, `${changed.inside} pixels changed`);
  });

  test('other guesses for that box stay refused: "the bed" (0.24 there) is in no group with "dog"', async () => {
    await assert.rejects(edit('brighten the bed', [await loadPhoto('chelsea')]), /Found no bed in the picture; found: dog/);
  });
});

describe('refusals name what was looked for and what was found', () => {
  test('"remove the spoon" on the coffee: the detector does not see the spoon, and says what it saw', async () => {
    await assert.rejects(edit('remove the spoon', [await loadPhoto('coffee')]), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'UNSUPPORTED_INSTRUCTION');
      assert.match(error.message, /^Found no spoon in the picture; found: cup, dining table\./);
      return true;
    });
  });

  test('"blur the license plate" with no lettering on the car: refused, naming the car', async () => {
    await assert.rejects(
      edit('blur the license plate', [await loadPhoto('street')]),
      /Found no licence plate in the picture .*found: .*car/,
    );
  });

  test('"remove the tree" still asks for a mask (trees are not among the things it can find)', async () => {
    await assert.rejects(edit('remove the tree', [await loadPhoto('street')]), /cannot find "the tree"/);
  });
});
