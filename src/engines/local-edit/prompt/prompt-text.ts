import { COLOR_PATTERN } from '../../../imaging/colors.js';
import type { Modifiers } from '../vocabulary/entry-types.js';

/**
 * The text side of prompt parsing: normalising spelling and punctuation, splitting sentences and clauses,
 * and pulling amounts ("by 20%", "slightly", "10px", "4 levels") out of a clause.
 */

const SPELLINGS: Array<[RegExp, string]> = [
  [/colour/g, 'color'],
  [/grey/g, 'gray'],
  [/\bcentred\b/g, 'centered'],
  [/centre/g, 'center'],
  [/\bgray ?scale\b/g, 'grayscale'],
  [/\b(posteri|pixeli|anonymi|normali|decolori|stylis)s(e|ed|ing)\b/g, '$1z$2'],
  [/\bmono ?chrome\b/g, 'monochrome'],
  [/\bback ground\b/g, 'background'],
  [/\bde ?noise\b/g, 'denoise'],
  [/\b(?:colourful|colorful)\b/g, 'colorful'],
  [/\bsaturat(?:e|ion) levels?\b/g, 'saturation'],
  [/\bb ?g\b/g, 'bg'],
  [/\bpic\b/g, 'picture'],
  [/\bphotos?graph\b/g, 'photo'],
  [/\bwhite ?balance\b/g, 'white balance'],
  [/\bup ?scale\b/g, 'upscale'],
  [/\bhigh ?lights\b/g, 'highlights'],
  [/\bsky ?line\b/g, 'skyline'],
  [/\bhori[sz]on(?:tal)? line\b/g, 'horizon'],
];

/** Phrases that contain a separator ("and", "&") but are one idea; they become one token before splitting. */
const TOKENS: Array<[RegExp, string]> = [
  [/\bb ?(?:&|\/|\+|and|n) ?w\b/g, 'black-and-white'],
  [/\bblack ?(?:&|\/|\+|and|n|'n'|n') ?white\b/g, 'black-and-white'],
  [/\bsalt ?(?:and|&) ?pepper\b/g, 'salt-and-pepper'],
];

/** Sentence-level rewrites into wordings the vocabulary has. */
const SENTENCE_REWRITES: Array<[RegExp, string]> = [
  [/\bbetween ([a-z#0-9]+(?: [a-z]+)?) and ([a-z#0-9]+(?: [a-z]+)?)\b/g, 'from $1 to $2'],
  // "a duotone in navy and orange": one instruction with two colours, not two clauses.
  [
    new RegExp(
      `\\b(duotone(?: effect| filter| look| style)?) (?:in|with|of|using) (${COLOR_PATTERN}) and (${COLOR_PATTERN})\\b`,
      'g',
    ),
    '$1 from $2 to $3',
  ],
  [new RegExp(`\\b(${COLOR_PATTERN}) and (${COLOR_PATTERN}) duotone\\b`, 'g'), '$1 to $2 duotone'],
  // "an old 70s photo, faded and warm": the 70s look is faded and warm; the words describe it, not two more edits.
  [
    /\b((?:'|19)?(?:70s|70's|seventies)\b(?: [a-z]+){0,2}?),? (?:(?:and |but )?(?:faded|warm|warmer|washed out|muted)(?:,? |$))+/g,
    '$1 ',
  ],
  // "with the subject in colour" is the "keep the subject in colour" constraint said another way.
  [
    /\b(?:with|and|but) (?:only )?(?:the )?(subject|person|foreground|people)(?: still| kept| left)? in (?:full )?color\b/g,
    'while keeping the $1 in color',
  ],
  [/^keep(?:ing)? only (?:the )?(?:subject|person|foreground|people) in color$/, 'color splash'],
  // "keep only the red shirt in color": not a constraint on some other edit, but the colour splash itself.
  [/^(?:keep|leave)(?:ing)? only (.+?) in (?:its |their )?(?:own )?colors?$/, 'black-and-white except $1'],
  // "black and white with a vignette": the vignette is a second instruction.
  [/ with (?:a |an |some )?((?:subtle |strong |soft |slight |light |heavy )?(?:vignette|vignetting))\b/g, ' and add a $1'],
];

/**
 * Lower case, American spelling, "black and white" as one token, degrees and percent signs spelled
 * consistently, and no punctuation but sentence ends, commas, `%`, `:` (ratios) and `#` (hex colours).
 *
 * @example normalizePrompt('Make it B&W, please!') // 'make it black-and-white, please.'
 */
export function normalizePrompt(prompt: string): string {
  let text = prompt.normalize('NFKC').toLowerCase();
  text = text.replace(/[\u2018\u2019\u02bc`]/g, "'").replace(/[\u201c\u201d"«»]/g, ' ');
  text = text
    .replace(/°/g, ' degrees ')
    .replace(/\bdeg\b/g, 'degrees')
    .replace(/\s*(?:%|percent\b)/g, '%');
  for (const [pattern, replacement] of SPELLINGS) text = text.replace(pattern, replacement);
  text = text.replace(/([a-z])-(?=[a-z])/g, '$1 ');
  for (const [pattern, replacement] of TOKENS) text = text.replace(pattern, replacement);
  text = text
    .replace(/&/g, ' and ')
    .replace(/[!?\n\r]+/g, '.')
    .replace(/[^a-z0-9%:#.,;' -]+/g, ' ');
  return text.replace(/\s+/g, ' ').trim();
}

/** Sentences end at `.` (not inside a number) and `;`. */
export function splitSentences(text: string): string[] {
  return text
    .split(/;|\.(?![0-9])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Applies the rewrites that depend on a whole sentence (e.g. "keep only the subject in color"). */
export function rewriteSentence(sentence: string): string {
  let text = sentence;
  for (const [pattern, replacement] of SENTENCE_REWRITES) text = text.replace(pattern, replacement);
  return text;
}

const SEPARATOR =
  /\s*,\s*(?:and then |then |and |also |plus )?|\s+(?:and then|and also|and|then|also|plus|as well as|after that|afterwards)\s+/;

/** Splits a sentence into clauses at commas, "and", "then", "also". */
export function splitClauses(sentence: string): string[] {
  return sentence
    .split(SEPARATOR)
    .map((c) => stripFiller(c))
    .filter(Boolean);
}

const FILLER = new RegExp(
  '\\b(?:please|pls|plz|kindly|can you|could you|can u|could u|would you mind|would you|will you|i want you to|i would like you to|' +
    "i'd like you to|i need you to|i want to|i'd like to|i would like to|i would like|i'd like|i want|i need|i wanna|" +
    '(?:can|could|may) i (?:get|have)|' +
    "i'd love (?:it )?if you could|i'd love you to|i'd love|i would love|would it be possible to|is it possible to|" +
    "(?:i was|i'm) (?:wondering|hoping) (?:if|whether) you (?:could|can)|do you think you could|help me|you should|" +
    "go ahead and|try to|let's|lets|just|for me|if you would|" +
    'thanks(?: a lot| so much| in advance)?|thank you(?: so much)?|thx|cheers|if possible|if you can|when you get a chance|quickly|for me please|' +
    // How it is to be done, which the engine's way of doing it already is.
    'automatically|auto ?magically|digitally|' +
    // Whom or what it is for: "for my shop", "for instagram", "for the website".
    "(?:so it is |so it's |so that it is |to make it )?(?:ready |good |nice |suitable |perfect )?for (?:my |our |the |a |an |his |her |their )?(?:online |etsy |ebay |amazon |new )?" +
    '(?:shop|store|website|web ?site|site|blog|listing|listings|ebay|etsy|amazon|instagram|insta|ig|facebook|fb|twitter|linkedin|tiktok|' +
    'profile|portfolio|client|customer|boss|presentation|catalog|product page|ad|advert|post|story|thumbnail|banner|printing|print|' +
    'business|brand|menu|flyer|newsletter|email|social media|social|web|online store|marketplace|wall|frame|album|cv|resume)' +
    '(?: (?:page|post|posts|profile|listing|account|feed|story|photo|picture|shot|banner|header|cover|thumbnail|pic))?)\\b',
  'g',
);

/** Removes politeness and sequencing words that carry no instruction. */
export function stripFiller(clause: string): string {
  const tidy = (text: string) => text.replace(/\s+/g, ' ').replace(/^[\s,]+|[\s,]+$/g, '');
  const text = tidy(
    clause
      .replace(FILLER, ' ')
      .replace(
        /^\s*(?:(?:now|first|firstly|next|then|finally|lastly|also|and|afterwards|after that|second|third|hey|hi|hello|ok|okay|so|um|oh|well|alright|yes|maybe|perhaps)\b\s*)+/,
        '',
      ),
  );
  return tidy(
    text
      .replace(/ (?:if you can|if possible|when you can|for me|thanks|thank you|please|ok|okay)$/, '')
      // Purposes that add nothing to the instruction: "so the subject stands out", "so it looks more professional".
      .replace(
        / so (?:that )?(?:the |it |my |this )?[a-z ]{0,30}?(?:stands? out|pops?|looks? (?:better|nicer|good|great|cleaner|more professional|professional)|is the focus)$/,
        '',
      )
      // Scene-setting with no instruction: "so I have this photo", "I need it", "here is my picture".
      .replace(
        /^(?:so )?(?:i (?:have|got|took|shot) (?:this|a|the) (?:photo|picture|image|shot)(?: of [a-z ]+)?|here is (?:my|the|a) (?:photo|picture|image)|(?:i need|need) it|it|this|that)$/,
        '',
      )
      .replace(/ (?:too|as well)$/, ''),
  );
}

const WORD_NUMBERS: Record<string, number> = {
  one: 1,
  a: 1,
  an: 1,
  two: 2,
  three: 3,
  'half a': 0.5,
  'half an': 0.5,
  'a half': 0.5,
};

const SLIGHT =
  /\b(?:a (?:little |tiny |small )?(?:bit|touch|tad|hint|dash|smidge)(?: of)?|a little(?: bit)?|slightly|somewhat|subtly|subtle|mildly|gently|lightly|barely|softly|a tiny bit|just a bit)\b/;
const STRONG =
  /\b(?:much|very|a lot|lots|really|way|heavily|strongly|significantly|dramatically|extremely|super|highly|hugely|intensely|considerably|greatly|seriously|a great deal|strong|heavy|intense)\b/;

/**
 * Pulls amounts out of a clause; what is left is matched against the vocabulary.
 *
 * @example extractModifiers('brighten the photo slightly') // { text: 'brighten the photo', modifiers: { intensity: 0.5 } }
 */
export function extractModifiers(clause: string): { text: string; modifiers: Modifiers } {
  const modifiers: Modifiers = {};
  let text = ` ${clause} `;
  const take = (pattern: RegExp, read: (m: RegExpExecArray) => void) => {
    const found = pattern.exec(text);
    if (!found) return;
    read(found);
    text = `${text.slice(0, found.index)} ${text.slice(found.index + found[0].length)}`;
  };
  take(
    / (?:by |of )?(?:about |around |roughly |some )?(\d+(?:\.\d+)?)%(?! of)(?: (?:more|less))?(?= )/,
    (m) => (modifiers.percent = Number(m[1])),
  );
  take(
    / (?:by |of |with |at |to )?(?:a )?(?:(?:radius|sigma|block size|blocks?|size|strength) (?:of )?)?(\d+(?:\.\d+)?) ?(?:px|pixels?)(?: (?:radius|blocks?|wide|squares?|sigma))?(?= )/,
    (m) => (modifiers.pixels = Number(m[1])),
  );
  take(/ (?:to |with |into |in )?(\d+) (?:levels?|colors|tones|shades|steps)(?= )/, (m) => (modifiers.levels = Number(m[1])));
  take(
    / (?:by |of )?(?:about |around )?(-?\d+(?:\.\d+)?|one|a|an|two|three|half an?|a half|1\/2) (?:full )?(?:stops?|ev|exposure values?)(?= )/,
    (m) => {
      modifiers.stops = WORD_NUMBERS[m[1]] ?? Number(m[1].replace('1/2', '0.5'));
    },
  );
  take(/(?<=(?:exposure|ev) (?:by |to |of )?)(-?\d+(?:\.\d+)?)(?= )/, (m) => (modifiers.stops = Number(m[1])));
  take(
    / (?:by |to |at )?(?:a factor of )?(\d+(?:\.\d+)?) ?(?:x|times)(?! ?\d)(?: (?:the )?(?:size|resolution))?(?= )/,
    (m) => (modifiers.factor = Number(m[1])),
  );
  // "by a lot", "by a little": the "by" goes with the amount.
  if (SLIGHT.test(text)) take(new RegExp(`(?:\\bby )?${SLIGHT.source}`), () => (modifiers.intensity = 0.5));
  else if (STRONG.test(text)) take(new RegExp(`(?:\\bby )?${STRONG.source}`), () => (modifiers.intensity = 2));
  return { text: text.replace(/\s+/g, ' ').trim(), modifiers };
}

/** Puts the user's spelling back into a clause quoted in an error message. */
export function quoteClause(clause: string): string {
  return clause.replace(/black-and-white/g, 'black and white').replace(/salt-and-pepper/g, 'salt and pepper');
}
