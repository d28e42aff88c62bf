import type { CategoryRules } from '../rules.js';
import { PEOPLE } from './people.js';

/**
 * Explicit sexual content: nudity, sex acts, genitals, pornography. Any one of these blocks a prompt for a
 * model that blocks `sexual`. Words that are often innocent ("erection" of a building, "cock" the rooster,
 * "ass" the donkey, "strap on" a helmet, "knockers" on a door) are left out or listed only inside
 * unambiguous phrases. Syntax: see ../patterns.ts.
 */
export const EXPLICIT_SEXUAL_TERMS: readonly string[] = [
  // Nudity.
  'nude|nudes|nudity|nudist|nudists|nudism|naked|nakedness|topless|bottomless|unclothed|undressed|undress|undresses|undressing|disrobe|disrobed|disrobing|nood|noods|noodz|nudez|nudz|nekkid',
  'nudify|nudified|nudifying|deepnude|deepnudes|unclothe|declothe|declothed',
  'birthday suit|suits',
  'private parts',
  'her|his|their privates',
  'wearing nothing',
  // Undressing someone: "remove her clothes", "take off her bra", "take her clothes off", "remove the woman's bikini".
  'remove|removes|removing|removed|strip|strips|stripping|stripped|delete|erase her|his|their clothes|clothing|underwear|panties|bra|bikini|lingerie|knickers|briefs|swimsuit',
  'remove|removes|removing|removed|strip|stripping|delete|erase her shirt|blouse|towel|robe|bathrobe|swimsuit',
  'take|takes|taking|took|rip|rips|ripping|ripped|tear|tearing|tore|pull|pulling|pulled off her|his|their clothes|clothing|underwear|panties|bra|bikini|lingerie|knickers',
  'take|takes|taking|took|rip|rips|ripping|ripped|tear|tearing|tore|pull|pulling|pulled off her shirt|blouse|towel|top',
  'take|takes|taking|took|rip|ripping|tear|tearing|pull|pulling her|his|their clothes|clothing|underwear|panties|bra|bikini|lingerie|knickers off',
  'take|takes|taking|took|rip|ripping|tear|tearing|pull|pulling her shirt|blouse|towel|top off',
  'remove|removing|strip|stripping|take|taking|erase the|all clothes|clothing|underwear|panties|bra|bikini|lingerie from|off her|him|them',
  'remove|removing|strip|stripping|take|taking|erase the|all clothes|clothing|underwear|panties|bra|bikini|lingerie from|off the woman|man|girl|boy|person|model|subject|lady|guy|people|women|men|couple',
  'remove|removing|strip|stripping|erase the|a womans|mans|girls|boys|persons|subjects|models|ladys|womens|mens|guys clothes|clothing|underwear|panties|bra|bikini|lingerie|knickers',

  // Sex and sex acts.
  'sex',
  'sexual intercourse|act|acts|activity|activities|position|positions|content|imagery|image|images|pose|poses|photo|photos|picture|pictures|scene|scenes',
  'sexually explicit|suggestive|aroused',
  'explicit sex|sexual|content|image|images|photo|photos|picture|pictures|nudity',
  'intercourse|copulat*|coitus|fornicat*|sodomy|sodomize|sodomise|sodomized|sodomised',
  'making|made love',
  'make love to|with',
  'porn*|hentai|rule34|nsfw|smut|smutty|xrated|xxxrated',
  'rule 34',
  'x|xxx rated',
  'adult film|films|movie|movies|video|videos|content|entertainment|actress',
  'erotic|erotica|eroticism|erotism|eroticize|eroticise|eroticized|eroticised',
  'sexualize|sexualise|sexualized|sexualised|sexualizing|sexualising',
  'blowjob|blowjobs|handjob|handjobs|rimjob|footjob|titjob|titfuck|boobjob|deepthroat|deepthroating',
  'blow|hand|rim job|jobs',
  'fellatio|cunnilingus|anilingus|masturbat*|orgasm*|ejaculat*|creampie|bukkake|gangbang|gangbanged|orgy|orgies|threesome|threesomes|foursome|sexting|sexted|fisting|bestiality|zoophilia',
  'gang bang|banged|banging',
  'cum|cums|cumshot|cumshots|cumming|jizz|jizzed|semen',
  'fuck|fucks|fucking|fucked|shagging|screwing|bonking|banging her|him|them|each|eachother',

  // Body parts named sexually.
  'penis|penises|penile|phallus|boner|boners|hardon|scrotum|testicle|testicles|testes|ballsack|dickpic|dickpics',
  'dick pic|pics',
  'erect penis|dick|cock|nipple|nipples',
  'vagina|vaginas|vaginal|vulva|vulvas|labia|clitoris|clit|clits|pussy|pussies|cunt|cunts',
  'genital|genitals|genitalia|pubic|pubes',
  'crotch shot|shots',
  'anus|anal|anally|butthole',
  'nipple|nipples|areola|areolas|areolae|areole',
  'boobs|boobies|tits|titties|titty',
  'bare|exposed|uncovered breast|breasts|nipple|nipples|buttocks|genitals|crotch',

  // Framing that is sexual whatever the subject.
  'upskirt|upskirts|downblouse|nipslip|cameltoe|voyeurism',
  'nip slip|slips',
  'camel toe',
  'wardrobe malfunction',
  'bdsm|bondage|dominatrix',
  'dildo|dildos|vibrator|vibrators|buttplug|buttplugs|strapon|strapons',
  'butt plug|plugs',
];

/** "A woman without clothes", "him with no clothing": undressing phrases that need a person nearby. */
export const UNCLOTHED: readonly string[] = [
  'without|minus clothes|clothing|underwear|panties',
  'without|minus any clothes|clothing|underwear|panties',
  'with no clothes|clothing|underwear|panties',
  'no clothes|clothing|underwear|panties on',
];

/**
 * Suggestive words: fine for adults, but sexualising when they describe a minor. Used only by the minors
 * category, together with the explicit terms. Words a family photo uses (swimsuit, bikini, kissing,
 * bedroom, "on all fours") are deliberately absent.
 */
export const SUGGESTIVE_TERMS: readonly string[] = [
  'sexy|sexier|sexiest|sexily|sexiness|sexual|sexually|seductive|seductively|seduce|seduces|seducing|seduced|seductress|sensual|sensuous|sultry|provocative|provocatively|titillating|raunchy|risque|kinky|horny|aroused|arousing|lewd|slutty|slut|sluts|whore|whores|hooker|hookers|stripper|strippers|striptease|burlesque|fetish*|flirtatious|alluring|lusty|lustful|busty|voluptuous|cleavage|lingerie|panties|thong|thongs|gstring|gstrings|onlyfans|playboy|boudoir',
  'strip tease|club|clubs',
  'lap dance|dancer|dancing',
  'pole dancer|dancing',
  'g string|strings',
  'hot body|bodied|pose|poses|girl|girls|boy|boys|teen|teens',
  'breast|breasts|buttocks|crotch',
  'spread|spreading her|his|their legs',
  'spread legs',
  'spread eagle',
  'bedroom eyes',
  'wet t shirt|shirts',
  'wet tshirt|tshirts',
  'grope|groping|groped|fondle|fondling|fondled|molest*',
  'touching herself|himself|themselves',
];

export const SEXUAL_RULES: CategoryRules = {
  alone: EXPLICIT_SEXUAL_TERMS,
  near: [{ first: UNCLOTHED, second: PEOPLE, window: 4 }],
};
