import type { Box, Detection, Detectors } from '../../../resources/detectors/detection.js';
import { SECOND_CHOICE_FLOOR, secondChoices } from '../../../resources/detectors/objects/confusions.js';
import { OBJECT_INPUT_SIDE, OBJECT_THRESHOLD } from '../../../resources/detectors/objects/calibration.js';
import { ApiError } from '../../../errors.js';
import type { Plane } from '../../../imaging/masks.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import type { Segmenter } from '../../../resources/segmenter/segmenter.js';
import { groupLines, signPlate } from '../../../imaging/sign-plate.js';
import { boxMask, ellipseMask, objectMask } from './thing-masks.js';
import { detectInTiles } from '../../../resources/detectors/tiles/detect-in-tiles.js';
import { wantsTiledLook } from './tiled-look.js';
import { selectThings } from './thing-selection.js';
import type { FindOptions, FoundThing, ThingFinder } from './thing-finder.js';
import { readThing, thingVocabulary, type ThingQuery } from './thing-words.js';

const VEHICLES = new Set(['car', 'truck', 'bus', 'motorcycle']);

/**
 * The ThingFinder on the CPU detectors: objects of the 80 COCO classes, faces and lines of text, with the
 * segmentation model for object outlines. "The licence plate" is lettering found on a detected vehicle
 * (COCO has no plate class): the text detector's lines whose centre lies in the lower part of a vehicle's
 * box. When nothing matches it refuses, naming what it looked for and what it did find.
 *
 * @example
 * const finder = new DetectorThingFinder(() => detectors, () => segmenter);
 * const { mask } = await finder.find(photo, 'the person on the left', { signal });
 */
export class DetectorThingFinder implements ThingFinder {
  constructor(
    private readonly detectors: () => Detectors,
    private readonly segmenter: () => Segmenter,
  ) {}

  canFind(phrase: string): boolean {
    return readThing(phrase) !== null;
  }

  vocabulary(): string[] {
    return thingVocabulary();
  }

  async find(image: RawImage, phrase: string, options: FindOptions): Promise<FoundThing> {
    const query = readThing(phrase);
    if (!query)
      throw new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `"${phrase}" is not something this server can find in a picture; send a mask.`,
      );
    const detectors = this.detectors();
    const { width, height } = image;
    let candidates: Detection[];
    // Every object seen, kept for the refusal's "found: ..." list so that the detector runs once.
    let objects: Detection[] | undefined;
    // What the tiled pass added (tiled-look.ts), when it ran.
    let tiled: Set<Detection> | undefined;
    if (query.wanted.detector === 'plate') ({ plates: candidates, vehicles: objects } = await this.plates(image, options.signal));
    else if (query.wanted.detector === 'sign') candidates = await this.signs(image, options.signal);
    else if (query.wanted.detector === 'objects') {
      // Weaker guesses too, for the named class's second chance (confusions.ts).
      const all = await detectors.objects.detect(image, options.signal, { minScore: SECOND_CHOICE_FLOOR });
      objects = all.filter((d) => d.score >= OBJECT_THRESHOLD);
      candidates = objects.filter((d) => query.wanted.labels.includes(d.label));
      if (candidates.length === 0) candidates = secondChoices(all, query.wanted.labels, OBJECT_THRESHOLD);
      if (wantsTiledLook(query, candidates)) {
        const closer = await detectInTiles(detectors.objects, image, query.wanted.labels, candidates, options.signal);
        if (closer.tiles > 0) tiled = new Set(closer.added);
        candidates = [...closer.widened, ...closer.added];
      }
    } else candidates = await detectors[query.wanted.detector].detect(image, options.signal);
    if (query.on) candidates = await this.onCarrier(image, candidates, query.on, options);
    const chosen = selectThings(candidates, query, image, options.within);
    if (chosen.length === 0) {
      objects ??= await detectors.objects.detect(image, options.signal);
      throw this.notFound(query, candidates.length, objects, options);
    }
    let mask: Plane;
    if (query.wanted.detector === 'faces') mask = ellipseMask(chosen, width, height);
    else if (query.wanted.detector === 'objects' && options.purpose !== 'remove')
      mask = await objectMask(image, chosen, this.segmenter(), options.signal);
    else if (query.wanted.detector === 'objects') {
      // A box's edges are only as sure as the detector's input pixels (long side / 512 of the picture's
      // each): a small thing's 3% is less than two of them, and left a wheel's rim behind in
      // tiled-pass.model.test.ts's street of small motorcycles.
      const floor = (2 * Math.max(width, height)) / OBJECT_INPUT_SIDE;
      mask = boxMask(chosen, width, height, (b) => Math.max(0.03 * b.height, floor));
    } else if (query.wanted.detector === 'sign') {
      // The plate is estimated from its text (sign-plate.ts) and can fall a few pixels short of a rim in
      // another colour; a removal that left a line of the rim would be a broken picture, so it takes a margin.
      const margin = options.purpose === 'remove' ? (b: Box) => Math.max(2, 0.05 * Math.min(b.width, b.height)) : () => 2;
      mask = boxMask(chosen, width, height, margin);
    } else {
      const tallest = Math.max(...chosen.map((b) => b.height));
      mask = boxMask(chosen, width, height, (b) => Math.max(0.2 * b.height, 0.25 * tallest));
    }
    if (options.within) mask = { ...mask, data: mask.data.map((v, i) => Math.min(v, options.within!.data[i])) };
    return {
      mask,
      boxes: chosen.map(({ label, score, left, top, width: w, height: h }) => ({ label, score, left, top, width: w, height: h })),
      ...(tiled ? { tiledPass: { found: chosen.filter((d) => tiled.has(d)).length } } : {}),
    };
  }

  /** Lines of text inside the lower 70% of a detected vehicle (and every object seen, for refusals). */
  private async plates(image: RawImage, signal: AbortSignal): Promise<{ plates: Detection[]; vehicles: Detection[] }> {
    const detectors = this.detectors();
    const seen = await detectors.objects.detect(image, signal);
    const vehicles = seen.filter((d) => VEHICLES.has(d.label));
    if (vehicles.length === 0) return { plates: [], vehicles: seen };
    const lines = await detectors.text.detect(image, signal);
    const plates = lines
      .filter((t) => {
        const cx = t.left + t.width / 2;
        const cy = t.top + t.height / 2;
        return vehicles.some((v) => cx > v.left && cx < v.left + v.width && cy > v.top + 0.3 * v.height && cy < v.top + v.height);
      })
      .map((t) => ({ ...t, label: 'licence plate' }));
    return { plates, vehicles: seen };
  }

  /**
   * The text lines on the named carrier ("from the sign", "on the car"): those whose centre lies in the
   * carrier's box, chosen as the carrier's own phrase would choose it. No carrier found, no such text.
   */
  private async onCarrier(image: RawImage, lines: Detection[], carrier: ThingQuery, options: FindOptions): Promise<Detection[]> {
    const { signal } = options;
    let boxes: Detection[];
    if (carrier.wanted.detector === 'sign') boxes = await this.signs(image, signal);
    else if (carrier.wanted.detector === 'objects' || carrier.wanted.detector === 'plate') {
      const labels = carrier.wanted.detector === 'plate' ? [...VEHICLES] : carrier.wanted.labels;
      boxes = (await this.detectors().objects.detect(image, signal)).filter((d) => labels.includes(d.label));
    } else boxes = await this.detectors()[carrier.wanted.detector].detect(image, signal);
    // "The sign" is one sign, chosen as "remove the sign" would choose it; "the signs", every one.
    boxes = selectThings(boxes, carrier, image, options.within);
    return lines.filter((line) => {
      const cx = line.left + line.width / 2;
      const cy = line.top + line.height / 2;
      return boxes.some((b) => cx >= b.left && cx <= b.left + b.width && cy >= b.top && cy <= b.top + b.height);
    });
  }

  /** Signs that carry text: each group of text lines with the plate around it (imaging/sign-plate.ts). */
  private async signs(image: RawImage, signal: AbortSignal): Promise<Detection[]> {
    const lines = await this.detectors().text.detect(image, signal);
    return groupLines(lines).map((group) => ({
      label: 'sign',
      score: Math.max(...group.map((line) => line.score)),
      ...signPlate(image, group),
    }));
  }

  /** "Found no spoon in the picture; found: cup, dining table." */
  private notFound(query: ThingQuery, matches: number, objects: Detection[], options: FindOptions): ApiError {
    const name = query.wanted.name;
    const where = options.within ? ' inside the mask' : '';
    if (matches > 0) {
      return new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `Found ${matches} ${name}${matches > 1 ? ' detections' : ''} in the picture, but none where the prompt says${where}; ` +
          'name it differently (e.g. "on the left", "the largest") or send a mask.',
      );
    }
    // What the object detector saw: distinct labels, most confident first.
    const seen = [...new Set([...objects].sort((a, b) => b.score - a.score).map((d) => d.label))];
    const listed = seen.length > 0 ? `found: ${seen.join(', ')}` : 'found nothing the detectors know';
    const hint =
      query.wanted.detector === 'plate'
        ? ' (a licence plate is found as lettering on a detected car, truck, bus or motorcycle)'
        : query.wanted.detector === 'sign'
          ? ' (a sign is found by the text it carries; a sign without text needs a mask)'
          : '';
    // Tagged: the finder chain may then try the main subject (tools/finder-chain.ts).
    return Object.assign(
      new ApiError(
        'UNSUPPORTED_INSTRUCTION',
        `Found no ${name} in the picture${where}${hint}; ${listed}. Send a mask to mark it.`,
      ),
      // What the detector saw, so that the main-subject check need not run it again.
      { nothingFound: true, seen: objects },
    );
  }
}
