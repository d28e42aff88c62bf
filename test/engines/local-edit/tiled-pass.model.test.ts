import { writeFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import type { Engine, EngineNotes } from '../../../src/engines/engine.js';
import { localEditEngineFactory } from '../../../src/engines/local-edit/index.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { iou } from '../../../src/resources/detectors/boxes.js';
import { type Box, DETECTORS } from '../../../src/resources/detectors/index.js';
import { detectInTiles } from '../../../src/resources/detectors/tiles/detect-in-tiles.js';
import { defaultSegmenterResource } from '../../../src/resources/segmenter/index.js';
import { runEncoded, testEngineContext } from '../../helpers/engine-context.js';
import { countChanged, decodePng, PHOTOS } from '../../imaging/photo-fixtures.js';
import { smallThingsScene } from './small-things-scene.js';

/**
 * The tiled pass, on real pixels with the real detector: "remove all the motorcycles" on a street with
 * far (small) and near motorcycles pasted on it (small-things-scene.ts), and "get rid of the birds" on a
 * real photo of birds over a palace.
 */

const context = testEngineContext();
const engine: Engine = localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), context, 'local-edit');
const detectors = context.resources.get(DETECTORS);
const scene = smallThingsScene(detectors, context.resources.get(defaultSegmenterResource(context.config)));

async function edit(prompt: string, image: RawImage): Promise<{ out: RawImage; found: string[] }> {
  const notes: EngineNotes = {};
  const result = await runEncoded(engine, {
    operation: 'edit',
    images: [image],
    prompt,
    options: {},
    notes,
    signal: AbortSignal.timeout(180_000),
  });
  const { data, width, height, channels } = await decodePng(result.png);
  if (process.env.TILED_PICTURES) await writeFile(`/tmp/tiled-${prompt.replace(/\W+/g, '-')}.png`, result.png);
  return { out: { data, width, height, channels: channels as 3 | 4 }, found: notes.found ?? [] };
}

/** The boxes of `boxes` that are the pasted thing at `place`. */
const on = (place: Box, boxes: Box[]) => boxes.filter((b) => iou(b, place) > 0.3);

/**
 * How far `picture` is from the street under the pasted thing at `place`: the mean absolute difference
 * (all channels) over the pixels where the scene differs from the street by more than 40 in some channel,
 * i.e. the thing itself and not the transparent margin of its rectangle.
 */
function distanceFromStreet(picture: RawImage, pasted: RawImage, street: RawImage, place: Box): number {
  let sum = 0;
  let count = 0;
  const at = (image: RawImage, x: number, y: number, c: number) => image.data[(y * image.width + x) * image.channels + c];
  for (let y = place.top; y < place.top + place.height; y++) {
    for (let x = place.left; x < place.left + place.width; x++) {
      if (![0, 1, 2].some((c) => Math.abs(at(pasted, x, y, c) - at(street, x, y, c)) > 40)) continue;
      for (let c = 0; c < 3; c++) sum += Math.abs(at(picture, x, y, c) - at(street, x, y, c));
      count += 3;
    }
  }
  return sum / count;
}

describe('small things seen closer, in tiles', () => {
  test('the whole-picture pass misses the far motorcycles; the tiled pass finds each of them once, and nothing else', async () => {
    const { image, pasted, label } = await scene;
    const whole = (await detectors.objects.detect(image)).filter((d) => d.label === label);
    const far = pasted.filter((p) => p.width === 100);
    const missed = far.filter((p) => on(p, whole).length === 0);
    assert.ok(missed.length >= 4, `the whole picture saw ${far.length - missed.length} of the ${far.length} far ones`);
    const closer = await detectInTiles(detectors.objects, image, [label], whole);
    assert.equal(closer.tiles, 4);
    const all = [...closer.widened, ...closer.added];
    for (const place of pasted)
      assert.equal(on(place, all).length, 1, `one box on ${JSON.stringify(place)}: ${JSON.stringify(all)}`);
    assert.equal(all.length, pasted.length, 'no box off the pasted motorcycles');
    // The one cut by the seam between the tiles comes back whole (its box as wide as the thing).
    const cut = pasted.find((p) => p.left < 712 && p.left + p.width > 712)!;
    assert.ok(on(cut, all)[0].width > 0.9 * cut.width, JSON.stringify(on(cut, all)));
  });

  test('"remove all the motorcycles": every one is gone, the header says how many the tiled pass found, nothing far away changed', async (t) => {
    const { image, background, pasted, label } = await scene;
    const whole = (await detectors.objects.detect(image)).filter((d) => d.label === label);
    const seenWhole = pasted.filter((p) => on(p, whole).length > 0).length;
    const { out, found } = await edit('remove all the motorcycles', image);
    assert.deepEqual(found, [`motorcycle (${pasted.length} found, ${pasted.length - seenWhole} of them by the tiled pass)`]);
    for (const place of pasted) {
      const before = distanceFromStreet(image, image, background, place);
      const after = distanceFromStreet(out, image, background, place);
      t.diagnostic(`${JSON.stringify(place)}: ${after.toFixed(1)} from the street, was ${before.toFixed(1)}`);
      assert.ok(after < 0.4 * before, `${JSON.stringify(place)}: ${after.toFixed(1)} from the street, was ${before.toFixed(1)}`);
    }
    // Nor does the detector see any, on the whole picture or closer.
    const left = (await detectors.objects.detect(out)).filter((d) => d.label === label);
    assert.deepEqual([...left, ...(await detectInTiles(detectors.objects, out, [label], left)).added], []);
    const margin = 16;
    const near = (x: number, y: number) =>
      pasted.some(
        (p) => x >= p.left - margin && x < p.left + p.width + margin && y >= p.top - margin && y < p.top + p.height + margin,
      );
    const changed = countChanged(image, out, near);
    assert.equal(changed.outside, 0);
    assert.ok(changed.inside > 0);
  });

  test('"get rid of the birds" on a 1 MP photo looks in tiles and finds birds only they saw; a small photo is not tiled', async () => {
    const load = async (width: number, height: number): Promise<RawImage> => {
      const { data, info } = await sharp(PHOTOS.skyTowers)
        .resize(width, height)
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, channels: 3 };
    };
    const large = await edit('get rid of the birds', await load(1155, 866));
    const [, total, tiled] = /^bird \((\d+) found, (\d+) of them by the tiled pass\)$/.exec(large.found.join()) ?? [];
    assert.ok(Number(tiled) >= 1 && Number(total) > Number(tiled), large.found.join());
    const small = await edit('get rid of the birds', await load(512, 384));
    assert.deepEqual(small.found, ['bird']);
  });
});
