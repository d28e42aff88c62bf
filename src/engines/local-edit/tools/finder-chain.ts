import { ApiError } from '../../../errors.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import type { Detection, Detectors } from '../../../resources/detectors/detection.js';
import type { Segmenter } from '../../../resources/segmenter/segmenter.js';
import { findColouredPart, readColouredPart } from './coloured-part-finder.js';
import { DetectorThingFinder } from './detector-thing-finder.js';
import { findFacePart, readFacePart } from './face-part-finder.js';
import { frameFillingSubject, frameNoun, salientNoun, salientSubject, subjectView } from './salient-subject.js';
import type { StuffFinder } from './stuff-finder.js';
import type { FindOptions, FoundThing, ThingFinder } from './thing-finder.js';
import { foundText } from './tiled-look.js';

/**
 * local-edit's ThingFinder: every way it has to find what a prompt names, in order. Parts of faces (the
 * teeth, the eyes, the hair) from the face detector; stuff (the sky, the grass) from the stuff finders when
 * the server has them; things from the object, face and text detectors; and, for edits (never removals),
 * the salient main subject when the named thing was not found but is plainly the subject. Each find says
 * what it used (FoundThing.found), which the response names in `x-retouch-found`.
 */
export class FinderChain implements ThingFinder {
  private readonly detected: DetectorThingFinder;

  constructor(
    private readonly detectors: () => Detectors,
    private readonly segmenter: () => Segmenter,
    private readonly stuff?: StuffFinder,
  ) {
    this.detected = new DetectorThingFinder(detectors, segmenter);
  }

  canFind(phrase: string, purpose: FindOptions['purpose'] = 'edit'): boolean {
    // "the monkey's face" in a close-up: the whole frame, for a change of tone.
    if (purpose === 'adjust' && frameNoun(phrase) !== null) return true;
    // "the woman's red shirt": clothes by their colour, on the people found.
    if (purpose !== 'remove' && readColouredPart(phrase)) return true;
    // "the woman's hat": a part of a thing, which none of these finds (the woman is not her hat).
    if (/'s\s/.test(phrase)) return false;
    if (readFacePart(phrase) && purpose !== 'remove') return true;
    if (this.stuff?.canFind(phrase) && purpose !== 'remove') return true;
    return this.detected.canFind(phrase) || (purpose !== 'remove' && salientNoun(phrase) !== null);
  }

  vocabulary(): string[] {
    return [
      ...this.detected.vocabulary(),
      ...(this.stuff?.vocabulary() ?? []),
      'teeth, eyes, hair (around a detected face)',
      'clothes by their colour on a detected person ("the red shirt")',
      'the main subject, by any name',
    ];
  }

  async find(image: RawImage, phrase: string, options: FindOptions): Promise<FoundThing> {
    const part = readFacePart(phrase);
    if (part && options.purpose !== 'remove') {
      const { mask, found } = await findFacePart(image, part, this.detectors(), this.segmenter, options.signal);
      return { mask: clip(mask, options), boxes: [], found };
    }
    const coloured = options.purpose === 'remove' ? null : readColouredPart(phrase);
    if (coloured) {
      const { mask, found } = await findColouredPart(image, coloured, this.detectors(), this.segmenter(), options.signal);
      return { mask: clip(mask, options), boxes: [], found };
    }
    if (this.stuff?.canFind(phrase) && !this.detected.canFind(phrase)) {
      if (options.purpose === 'remove') {
        throw new ApiError(
          'UNSUPPORTED_INSTRUCTION',
          `"${phrase}" is found by its colour and texture, which is good for colour and tone edits but not for removing it; ` +
            'send a mask over the part to remove (choose Multi-edit and paint over it).',
        );
      }
      const stuff = await this.stuff.find(image, phrase, { signal: options.signal });
      return { mask: clip(stuff.mask, options), boxes: [], found: stuff.found };
    }
    const noun = options.purpose === 'remove' ? null : salientNoun(phrase);
    if (this.detected.canFind(phrase)) {
      try {
        const thing = await this.detected.find(image, phrase, options);
        return { ...thing, found: foundText(thing) };
      } catch (error) {
        const missed = error as { nothingFound?: boolean; seen?: Detection[] };
        if (!(error instanceof ApiError && missed.nothingFound)) throw error;
        const instead = await this.mainSubject(image, phrase, noun, options, missed.seen);
        if (!instead) throw error;
        return instead;
      }
    }
    const subject = await this.mainSubject(image, phrase, noun, options);
    if (subject) return subject;
    const name = noun ?? frameNoun(phrase) ?? phrase.replace(/^the /, '');
    throw new ApiError(
      'UNSUPPORTED_INSTRUCTION',
      `Found no ${name} in the picture: no detector knows it and it is not plainly the photo's main subject. Send a mask to mark it.`,
    );
  }

  /** The salient subject standing in for `noun`, or (for tone edits) the whole frame the named thing fills. */
  private async mainSubject(image: RawImage, phrase: string, noun: string | null, options: FindOptions, detected?: Detection[]) {
    const framed = options.purpose === 'adjust' ? frameNoun(phrase) : null;
    if (!noun && !framed) return null;
    const seen = subjectView(image, this.segmenter(), this.optionalDetectors(), options.signal, detected);
    const subject = noun ? await salientSubject(image, noun, seen) : null;
    const found = subject ?? (framed ? await frameFillingSubject(image, framed, seen) : null);
    return found ? { mask: clip(found.mask, options), boxes: [], found: found.found } : null;
  }

  private optionalDetectors(): Detectors | null {
    try {
      return this.detectors();
    } catch {
      // No detectors on this server: the matte's size and place alone decide.
      return null;
    }
  }
}

function clip(mask: FoundThing['mask'], options: FindOptions): FoundThing['mask'] {
  const within = options.within;
  return within ? { ...mask, data: mask.data.map((v, i) => Math.min(v, within.data[i])) } : mask;
}
