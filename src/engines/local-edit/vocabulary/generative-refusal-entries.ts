import { ClauseRefusal } from './pattern-entry.js';
import type { VocabularyEntry } from './entry-types.js';

/**
 * What only a generative model can do: invent a sky, weather, a new object, a new face, age, expression,
 * hair or clothes, a painted style, a new scene behind the subject, the world past the frame, colours of
 * a black-and-white photo. These entries recognise such clauses and refuse them with that reason (the
 * parser adds which generative models this server has), instead of "not understood" or, worse, a plan
 * that paints a flat colour over someone's shirt.
 *
 * PEOPLE_VOCABULARY comes first in matching order ("make her hair blonde" must not reach the fill
 * entries); GENERATIVE_VOCABULARY comes last, so everything the engine can do honestly is tried first.
 */

function refusing(id: string, instruction: string, examples: string[], what: string, patterns: string[]): VocabularyEntry {
  const compiled = patterns.map((p) => new RegExp(`^(?:${p})$`));
  return {
    id,
    group: 'refused',
    instruction,
    examples,
    description: `Refused: ${what} needs a generative model (such as qwen-edit); the answer lists the generative models this server has, if any.`,
    match(clause) {
      if (compiled.some((pattern) => pattern.test(clause))) throw new ClauseRefusal(what, 'needs-generative-model');
      return null;
    },
  };
}

const PERSON =
  "(?:him|her|them|me|us|he|she|they|his|her|their|my|the (?:man|woman|person|guy|girl|boy|kid|child|baby|people|model|bride|groom|subject)(?:'s)?)";
const TRAIT =
  '(?:hair(?: color)?|hairstyle|haircut|beard|mustache|moustache|eye color|expression|smile|facial expression|makeup|make up|lipstick|' +
  'clothes|clothing|outfit|dress|shirt|t shirt|tshirt|top|jacket|coat|suit|tie|hat|shoes|pants|trousers|jeans|skirt|uniform|age|body|pose|weight|tattoos?)';
const ANY = "(?:[a-z0-9' ]+)";

export const PEOPLE_VOCABULARY: VocabularyEntry[] = [
  refusing(
    'refuse-people',
    'Change a face, age, hair or clothes (refused)',
    ['make him look younger', 'change her dress to red', 'make her smile', 'give him a beard'],
    "changing a person's face, expression, age, hair or clothes, or an animal's expression",
    [
      `(?:make|turn|change|swap|replace|switch|dye|color|recolor|alter|edit|fix|modify|redo) (?:the color of )?(?:${PERSON} )?${TRAIT}${ANY}?`,
      `make ${PERSON}(?: look)? (?:\\d+ years? |a (?:few|lot|bit|little) |much |way |ten years |years )?(?:younger|older|happier|sadder|thinner|slimmer|fatter|taller|shorter|smile|smiling|laugh|blonde|blond|bald|muscular|prettier|handsome|more attractive|tanned)${ANY}?`,
      // An animal's expression is as generative as a person's ("make the squirrel look happier").
      `make (?:the |this |that |my |our )?(?!(?:the|a|an|it|this|that|my|our|photo|image|picture|scene|shot|colors?|sky|mood)\\b)[a-z]+(?: [a-z]+)? look (?:a (?:bit|little|lot) )?(?:happier|happy|sadder|sad|angrier|angry|surprised|scared|smiling|cuter|friendlier)${ANY}?`,
      `(?:age|de ?age)(?: ${PERSON})?${ANY}?`,
      `give ${PERSON} (?:a |an |some )?(?:beard|mustache|moustache|smile|haircut|tan|makeup|hat|glasses|sunglasses|tattoo|new ${TRAIT})${ANY}?`,
      `(?:open|close) ${PERSON} eyes`,
      `(?:make|turn|change|color|recolor) (?:the color of )?${PERSON} eyes${ANY}?`,
      `(?:swap|replace|change) (?:the |his |her |their )?faces?${ANY}?`,
      '(?:colorize|colourise|recolorize|add color to|bring back the colors?|restore the colors?|make it (?:in )?color|turn it into color)(?: it| the photo| the image| this)?(?: old)?(?: photo| picture| image)?',
    ],
  ),
];

export const GENERATIVE_VOCABULARY: VocabularyEntry[] = [
  refusing(
    'refuse-sky-weather',
    'Change the sky, weather or time of day (refused)',
    ['add snow', 'make it look like winter', 'change the sky to a starry night', 'add a rainbow'],
    'changing the weather, the season or the time of day, or painting stars, a moon or a rainbow into the sky',
    [
      `${ANY}?\\b(?:sky|skies|clouds?|cloudy|sunset|sunrise|dusk|dawn|snow|snowy|snowing|snowfall|rain|rainy|raining|fog|foggy|mist|misty|storm|stormy|lightning|rainbow|stars|starry|moon|moonlight|night ?time|night|daytime|day time|winter|summer|autumn|spring|weather|season|golden hour)\\b${ANY}?`,
    ],
  ),
  refusing(
    'refuse-style',
    'Repaint in a style (refused)',
    ['turn it into a watercolor', 'make it look like a pixar movie', 'anime style'],
    'repainting the picture in a new style',
    [
      `(?:turn|make|convert|transform|render|redo|change|redraw|restyle)${ANY}? (?:into|to|as|like|in the style of|look like)(?: an?| the)? ${ANY}?(?:painting|oil|watercolor|cartoon|anime|manga|sketch|drawing|comic|pixar|disney|van gogh|ghibli|3d|lego|clay|illustration|vector|pop art|cyberpunk|fantasy|art|artwork|portrait painting)${ANY}?`,
      `${ANY}?(?:painting|watercolor|cartoon|anime|manga|pencil sketch|comic book|pixar|ghibli|van gogh|cyberpunk|pop art) (?:style|look|effect|filter|version)`,
      '(?:cartoonify|animefy|stylize|stylise)(?: it)?',
    ],
  ),
  refusing(
    'refuse-scene',
    'Put the subject in a new scene (refused)',
    ['put me on a beach', 'change the background to a forest', 'replace the background with a city skyline at night'],
    'a new scene behind the subject',
    [
      `(?:replace|change|swap|switch|set|turn|make|convert) (?:the |its |my |their )?(?:background|backdrop|bg|scene|setting|location|surroundings)(?: (?:with|to|into|for|by|as))? ${ANY}`,
      `(?:put|place|move|show|set|transport|take) ${ANY}? (?:on|in|at|onto|into|in front of|under|inside|by|near|next to) (?:a|an|the|some) ${ANY}`,
      `(?:new|different|another) (?:background|backdrop|scene|location) (?:of|with|showing)? ?${ANY}`,
    ],
  ),
  refusing(
    'refuse-extend',
    'Extend past the frame (refused)',
    ['extend the image to the left', 'zoom out', 'outpaint'],
    'extending the picture past its edges (outpainting)',
    [
      `(?:extend|expand|outpaint|uncrop|widen|zoom out|pull back)${ANY}?`,
      `(?:make|fill) ${ANY}?(?:canvas|edges|borders)${ANY}?(?:bigger|wider|in)?`,
    ],
  ),
  refusing(
    'refuse-add',
    'Add new things (refused)',
    ['add a dog', 'put a hat on the cat', 'add some flowers in the foreground'],
    'adding things that are not in the picture',
    [
      `(?:add|insert|put|place|draw|paint in|generate|create|include|give (?:it|him|her|them|the [a-z]+)) (?:a|an|some|the|more|two|three|four|five|few|a few|another|lots of|many)? ?[a-z][a-z' ]*`,
      `(?:replace|swap|change|turn) ${ANY} (?:with|for|into|to) (?:a|an|some|another|the) ${ANY}`,
    ],
  ),
];
