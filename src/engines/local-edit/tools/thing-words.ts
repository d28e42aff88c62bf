import { COCO_LABELS } from '../../../resources/detectors/objects/coco-labels.js';
import type { DetectorKind } from '../../../resources/detectors/detection.js';

/**
 * Reads the phrase of a named thing ("the person on the left", "all faces", "the text in the bottom right
 * corner") into what to look for and how to choose among what is found. Words only; no detection here.
 */

/**
 * What a noun asks for: a detector and the labels of it that count. `plate` is the licence-plate rule,
 * `sign` the plate around a group of text lines (imaging/sign-plate.ts).
 */
export interface Wanted {
  /** The noun as the refusal names it ("spoon", "face", "licence plate"). */
  name: string;
  detector: DetectorKind | 'plate' | 'sign';
  labels: string[];
}

export type Side = 'left' | 'right' | 'top' | 'bottom' | 'centre';

export interface ThingQuery {
  wanted: Wanted;
  /** "all", "every", or a plural noun: every match rather than one. */
  all: boolean;
  /** "the second person" (1-based), counted along `side` (default left to right). */
  ordinal?: number;
  /** "on the left", "leftmost", "at the top": the one furthest that way (or, with `all`, those on that half). */
  side?: Side;
  size?: 'largest' | 'smallest';
  /** "in the top left corner", "bottom right", "in the top half": only things whose centre is there. */
  region?: { x?: 'left' | 'right'; y?: 'top' | 'bottom' };
  /** "the text from the sign", "the writing on the car": text lines only on that thing. */
  on?: ThingQuery;
}

const VEHICLES = ['car', 'truck', 'bus', 'motorcycle'];

/** Extra words for things, each to COCO labels (or another detector). Plurals are derived. */
const SYNONYMS: Record<string, Wanted> = {};
const add = (words: string[], wanted: Wanted) => {
  for (const word of words) SYNONYMS[word] = wanted;
};
for (const label of COCO_LABELS) add([label], { name: label, detector: 'objects', labels: [label] });
add(
  [
    'people',
    'persons',
    'man',
    'men',
    'woman',
    'women',
    'guy',
    'guys',
    'girl',
    'boy',
    'child',
    'children',
    'kid',
    'lady',
    'ladies',
    'gentleman',
    'pedestrian',
    'human',
    'figure',
    'passerby',
    'passersby',
    'stranger',
    'photobomber',
    'tourist',
  ],
  { name: 'person', detector: 'objects', labels: ['person'] },
);
add(['face', 'head'], { name: 'face', detector: 'faces', labels: ['face'] });
add(
  [
    'text',
    'words',
    'word',
    'writing',
    'caption',
    'captions',
    'watermark',
    'lettering',
    'letters',
    'date stamp',
    'timestamp',
    'time stamp',
    'signature',
    'subtitle',
    'subtitles',
    'logo text',
    'inscription',
    'label text',
    'sign text',
    'graffiti text',
  ],
  { name: 'text', detector: 'text', labels: ['text'] },
);
add(['license plate', 'licence plate', 'number plate', 'registration plate', 'plate number', 'registration'], {
  name: 'licence plate',
  detector: 'plate',
  labels: ['text'],
});
add(['sign', 'road sign', 'street sign', 'traffic sign', 'signboard', 'placard', 'notice board', 'plaque'], {
  name: 'sign',
  detector: 'sign',
  labels: ['text'],
});
add(['vehicle', 'vehicles'], { name: 'vehicle', detector: 'objects', labels: VEHICLES });
const synonym = (words: string[], label: string) => add(words, { name: label, detector: 'objects', labels: [label] });
synonym(['telly', 'television', 'tv set', 'tv screen'], 'tv');
synonym(['phone', 'cellphone', 'mobile phone', 'smartphone', 'mobile'], 'cell phone');
synonym(['sofa', 'settee'], 'couch');
synonym(['table'], 'dining table');
synonym(['motorbike', 'scooter'], 'motorcycle');
synonym(['bike', 'cycle', 'pushbike'], 'bicycle');
synonym(['plane', 'aeroplane', 'aircraft', 'jet'], 'airplane');
synonym(['plant', 'houseplant', 'pot plant'], 'potted plant');
synonym(['ball', 'football', 'soccer ball', 'basketball'], 'sports ball');
synonym(['hair dryer', 'hairdryer'], 'hair drier');
synonym(['fridge'], 'refrigerator');
synonym(['mug', 'coffee cup', 'teacup'], 'cup');
synonym(['glass', 'wineglass'], 'wine glass');
synonym(['doughnut'], 'donut');
synonym(['teddy'], 'teddy bear');
synonym(['remote control', 'tv remote'], 'remote');
synonym(['bag', 'purse'], 'handbag');
synonym(['rucksack'], 'backpack');
synonym(['puppy', 'doggy', 'hound'], 'dog');
synonym(['kitten', 'kitty'], 'cat');
synonym(['lorry', 'pickup'], 'truck');
synonym(['coach'], 'bus');
synonym(['ship'], 'boat');
synonym(['pony'], 'horse');
synonym(['computer', 'notebook'], 'laptop');

const IRREGULAR: Record<string, string> = {
  knives: 'knife',
  mice: 'mouse',
  skis: 'skis',
  scissors: 'scissors',
  'sports balls': 'sports ball',
};

/** The noun (singular form) and whether it was plural. */
function lookup(words: string): { wanted: Wanted; plural: boolean } | null {
  if (SYNONYMS[words])
    return {
      wanted: SYNONYMS[words],
      plural: /(?:people|men|women|children|guys|ladies|kids|persons|captions|subtitles|words|letters|passersby)$/.test(words),
    };
  const singulars = [
    IRREGULAR[words],
    words.replace(/ies$/, 'y'),
    words.replace(/(s|x|ch|sh)es$/, '$1'),
    words.replace(/s$/, ''),
  ];
  for (const s of singulars) if (s && s !== words && SYNONYMS[s]) return { wanted: SYNONYMS[s], plural: true };
  return null;
}

const ORDINALS: Record<string, number> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  fifth: 5,
  '5th': 5,
};

/**
 * @example readThing('the second person from the right') // { wanted: person, all: false, ordinal: 2, side: 'right' }
 * @example readThing('the clouds') // null: not something the detectors know
 */
export function readThing(phrase: string): ThingQuery | null {
  const text = phrase
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const tokens = text.split(' ');
  // The longest run of words that names a thing (so "license plate" wins over "plate", "cell phone" over "phone").
  let found: { wanted: Wanted; plural: boolean } | null = null;
  for (let length = 3; length >= 1 && !found; length--) {
    for (let i = 0; i + length <= tokens.length && !found; i++) found = lookup(tokens.slice(i, i + length).join(' '));
  }
  if (!found) return null;
  const query: ThingQuery = { wanted: found.wanted, all: found.plural || /\b(?:all|every|each|both)\b/.test(text) };
  const ordinal = tokens.find((t) => ORDINALS[t] !== undefined);
  if (ordinal) query.ordinal = ORDINALS[ordinal];
  if (/\b(?:largest|biggest|big|large|main)\b/.test(text)) query.size = 'largest';
  if (/\b(?:smallest|little|small|tiny)\b/.test(text)) query.size = 'smallest';
  const y = /\b(?:top|upper)\b/.test(text) ? 'top' : /\b(?:bottom|lower)\b/.test(text) ? 'bottom' : undefined;
  const x = /\b(?:left|leftmost)\b/.test(text) ? 'left' : /\b(?:right|rightmost)\b/.test(text) ? 'right' : undefined;
  if ((x && y) || /\b(?:corner|half|side of the (?:picture|photo|image))\b/.test(text)) {
    query.region = { x, y };
  } else if (x || y) {
    query.side = x ?? y;
  } else if (/\b(?:centre|center|middle|central)\b/.test(text)) {
    query.side = 'centre';
  }
  if (query.ordinal && !query.side) query.side = 'left';
  if (query.ordinal) query.all = false;
  if (found.wanted.detector === 'text') {
    // "the text from the sign": the thing that carries the text, when it is another thing the finder knows.
    const carrier = /\b(?:from|on|off|of|in)\s+(?:the |this |that |a |an )?(.+)$/.exec(text)?.[1];
    const on = carrier ? readThing(carrier) : null;
    if (on && on.wanted.detector !== 'text') query.on = on;
  }
  return query;
}

/** Every word of every name of a thing (synonyms included), for the prompt's spelling correction. */
export function thingNameWords(): string[] {
  return [...new Set(Object.keys(SYNONYMS).flatMap((name) => name.split(' ')))];
}

/** Every noun the finder knows, for describe() and docs/local-edit.md. */
export function thingVocabulary(): string[] {
  return [
    ...COCO_LABELS,
    'face',
    'text (words, caption, watermark, date stamp, signature)',
    'licence plate (text on a detected vehicle)',
    'sign (the plate around a group of text lines)',
  ];
}
