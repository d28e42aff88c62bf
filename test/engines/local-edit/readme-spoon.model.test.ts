import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { localEditEngineFactory } from '../../../src/engines/local-edit/index.js';
import { runEncoded, testEngineContext } from '../../helpers/engine-context.js';
import { countChanged, decodePng, loadPhoto } from '../../imaging/photo-fixtures.js';

/**
 * The README's "edit with a mask" example, run as written: its shell command draws the mask, and
 * "remove the spoon" must erase the spoon and leave the cup whole. The example used to mask two boxes,
 * which covered the cup's right side as well; the fill then continued the saucer there and cut the cup
 * along a straight line. The mask is now a stroke along the spoon, as one would paint it. (With a mask
 * over the cup's side, the fill still cannot know the cup goes on there: see bench/inpaint/NOTES.md#seams-where-a-mask-covers-part-of-an-outline.)
 */

const engine = localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), testEngineContext(), 'local-edit');
const scratch = mkdtempSync(path.join(tmpdir(), 'retouch-readme-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The README's mask command, writing into the scratch folder instead of out/. */
function readmeMaskCommand(): string {
  const readme = readFileSync(path.resolve('README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.startsWith('node -e') && l.includes("toFile('out/mask.png')"));
  assert.ok(line, 'the README has no mask command writing out/mask.png');
  return line.replace("'out/mask.png'", `'${path.join(scratch, 'mask.png')}'`);
}

/** Mean RGB over the pixels where `keep` holds. */
function meanColour(image: { data: Uint8Array; width: number; channels: number }, keep: (x: number, y: number) => boolean) {
  const sum = [0, 0, 0];
  let n = 0;
  for (let p = 0; p < image.data.length / image.channels; p++) {
    if (!keep(p % image.width, Math.floor(p / image.width))) continue;
    n++;
    for (let c = 0; c < 3; c++) sum[c] += image.data[p * image.channels + c];
  }
  return sum.map((v) => v / n);
}

test("the README's mask example erases the spoon and nothing else", async () => {
  execFileSync('sh', ['-c', readmeMaskCommand()], { cwd: path.resolve('.') });
  const { data, info } = await sharp(path.join(scratch, 'mask.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const coffee = await loadPhoto('coffee');
  assert.deepEqual([info.width, info.height], [coffee.width, coffee.height]);
  const masked = (x: number, y: number) => data[(y * info.width + x) * 3] > 127;

  const result = await runEncoded(engine, {
    operation: 'multi-edit',
    images: [coffee, { data, width: info.width, height: info.height, channels: 3 }],
    prompt: 'remove the spoon',
    options: {},
    signal: AbortSignal.timeout(120_000),
  });
  const out = await decodePng(result.png);
  assert.equal(countChanged(coffee, out, masked).outside, 0, 'pixels outside the mask changed');

  // The spoon's bowl (the ellipse of the mask, its edge left out) must now look like what surrounds
  // it (saucer and shadow), where the polished steel stood out: its mean colour was 58 from the ring's.
  const bowl = (grow: number) => (x: number, y: number) => ((x - 367) / (44 + grow)) ** 2 + ((y - 276) / (52 + grow)) ** 2 <= 1;
  const ring = (x: number, y: number) => bowl(22)(x, y) && !bowl(8)(x, y);
  const distance = (image: { data: Uint8Array; width: number; channels: number }) => {
    const [a, b] = [meanColour(image, bowl(-12)), meanColour(image, ring)];
    return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  };
  assert.ok(distance(coffee) > 45, `the spoon stood out by ${distance(coffee)}`);
  assert.ok(distance(out) < 30, `the filled bowl still stands out from its surroundings by ${distance(out)}`);

  // The cup stays whole: every row that crosses the cup's white rim in the photo (rows 40 to 200 near
  // the spoon) still does. The two-box mask lost the rim in 47 of these rows, cut by a straight edge.
  const rowsWithoutRim = (image: { data: Uint8Array; channels: number }) => {
    let missing = 0;
    for (let y = 40; y <= 200; y++) {
      let found = false;
      for (let x = 330; x < 450 && !found; x++) {
        const i = (y * coffee.width + x) * image.channels;
        const [r, g, b] = [image.data[i], image.data[i + 1], image.data[i + 2]];
        found = 0.299 * r + 0.587 * g + 0.114 * b > 165 && Math.max(r, g, b) - Math.min(r, g, b) < 70;
      }
      if (!found) missing++;
    }
    return missing;
  };
  assert.equal(rowsWithoutRim(coffee), 0);
  assert.equal(rowsWithoutRim(out), 0, 'the fill cut the cup: rows near the spoon lost its white rim');
});
