import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { iou } from '../../src/resources/detectors/boxes.js';
import { OBJECT_THRESHOLD } from '../../src/resources/detectors/objects/calibration.js';
import { SECOND_CHOICE_FLOOR, secondChoices } from '../../src/resources/detectors/objects/confusions.js';
import { detectObjects } from '../../src/resources/detectors/objects/centernet.js';

/**
 * The named class's second chance (src/resources/detectors/objects/confusions.ts) on the hand-labelled
 * photos: for every class of the confusable groups that the detector did not see with confidence, would a
 * prompt naming it ("brighten the cat") now find something, and is that thing really there (IoU >= 0.5
 * with a labelled box of that class)? Every such find on a photo without that class is a false one.
 *
 * Run: node --import tsx bench/detection/second-choice.ts
 */

// The classes of the groups, and those tried as groups and dropped (vehicles, tableware, furniture), to show none is found now.
const GROUPS = [
  'cat',
  'dog',
  'horse',
  'sheep',
  'cow',
  'car',
  'truck',
  'bus',
  'cup',
  'bowl',
  'vase',
  'wine glass',
  'couch',
  'chair',
  'bench',
  'bed',
];
const { photos } = JSON.parse(readFileSync('bench/detection/labelled.json', 'utf8')) as {
  photos: Array<{ file: string; objects: Array<{ label: string; box: [number, number, number, number] }> }>;
};
let right = 0;
let wrong = 0;
for (const photo of photos) {
  const { data, info } = await sharp(photo.file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const all = await detectObjects(
    { pixels: new Uint8Array(data), width: info.width, height: info.height, channels: 3 },
    SECOND_CHOICE_FLOOR,
  );
  const confident = all.filter((d) => d.score >= OBJECT_THRESHOLD);
  for (const label of GROUPS) {
    if (confident.some((d) => d.label === label)) continue;
    for (const found of secondChoices(all, [label], OBJECT_THRESHOLD)) {
      const truth = photo.objects
        .filter((o) => o.label === label)
        .map(({ box: [l, t, r, b] }) => ({ left: l, top: t, width: r - l, height: b - t }));
      const isRight = truth.some((box) => iou(box, found) >= 0.5);
      if (isRight) right++;
      else wrong++;
      console.log(`${photo.file.split('/').pop()}: "${label}" -> ${isRight ? 'right' : 'WRONG'} (${found.score.toFixed(2)})`);
    }
  }
}
console.log(
  `second-choice finds: ${right} right, ${wrong} wrong, over ${photos.length} photos and ${GROUPS.length} classes each`,
);
