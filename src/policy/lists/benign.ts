/**
 * Benign phrases: ordinary editing, food, fashion and photography language that contains a word from a
 * blocked list. Each match is blanked before any category is checked, so "a bloody mary cocktail" or
 * "nude lipstick" cannot trip a rule, while the rest of the prompt is still checked ("nude lipstick on a
 * nude woman" is still blocked by its second "nude").
 *
 * Keep a phrase here only as long as it must be: every word masked is a word the filter no longer sees.
 * Syntax: see ../patterns.ts. Every entry should have a prompt in docs/content-policy.md's benign set.
 */
export const BENIGN_PHRASES: readonly string[] = [
  // Colour and fashion: "nude" and "naked" as a shade, a style or "bare".
  'nude|nudes lipstick|lipsticks|lip|lips|gloss|liner|colour|color|colours|colors|colored|coloured|tone|tones|toned|shade|shades|palette|palettes|heels|heel|shoes|shoe|pumps|sandals|boots|makeup|nail|nails|polish|manicure|beige|pink|peach|tan|brown|stockings|tights|hosiery|dress|gown|bra|fabric|leather|suede|background|wall|walls|paint|look|eyeshadow|blush|foundation|outfit|fashion|aesthetic|hue|hues',
  'in|a nude|nudes colour|color|shade|tone|palette',
  'nude to|and beige|pink|peach|brown|black|white',
  'naked eye|flame|flames|cake|cakes|wall|walls|tree|trees|branches|bulb|bulbs|wire|wires|truth|ambition',

  // Food, drink and nature.
  'bloody mary|marys|marie|caesar|caesars',
  'blood orange|oranges|moon|moons|red|type|types|pressure|bank|drive|donation|donor|donors|cell|cells|sugar|test|tests|vessel|vessels|brother|brothers|diamond|diamonds|sausage|pudding|lily|lilies',
  'bleeding heart|hearts|edge',
  'chicken|turkey|duck|goose|quail breast|breasts',
  'breast pocket|pockets|plate|stroke|cancer|feeding|feed|fed|milk|pump|pumps|cancer',
  'double|single breasted',
  'pussy willow|willows|cat|cats',
  'blue|great|coal|marsh|willow|crested|bearded tit|tits',
  'blue footed booby|boobies',
  'cum laude',
  'baby blue|pink|shower|showers|breath|oil|grand|powder|spinach|carrot|carrots|tomato|tomatoes|corn|bump|teeth|tooth|food|bottle|monitor|stroller|carriage|gate|face|faced|hair|fat|steps|boomers|boomer|back|ribs',
  'kid gloves|leather|goat',
  'child lock|locks|seat|seats|proof|friendly',

  // Photography, print and design.
  'colour|color|ink bleeding|bleed',
  'photo bomb|bombs|bombing|bomber',
  'shot glass|glasses',
  'murder of crows',
  'murder mystery|mysteries',
  'suicide squad|door|doors|squeeze|run|runs|lane',
  'sex pistols',
  // Names.
  'al|albert gore',
  'bonner',
  'kill|kills|killing the|this|that|those|these|any|her|his|their lights|light|highlights|highlight|shadows|shadow|glare|noise|shine|background|reflections|reflection|colour|color|colours|colors|contrast|redness|red|grain|blemishes|freckles|wrinkles|saturation|halo|halos|vignette|blue|yellow|green|orange|tint|cast|sheen|hotspot|hotspots',
  'killing|killed|kill it',

  // Retouching that removes an injury rather than adds one: "remove the blood from his face".
  'remove|removing|erase|erasing|clean|cleaning|heal|healing|hide|hiding|retouch|retouching|fix|fixing|reduce|soften|conceal|concealing|cover|covering|fade|blur|lighten the|any|all|a|that|this|those|these|some blood|wound|wounds|cut|cuts|scar|scars|bruise|bruises|scratch|scratches|scrape|scrapes|bleeding|gash|nosebleed',
  'remove|removing|erase|erasing|clean|cleaning|heal|healing|hide|hiding|retouch|retouching|fix|fixing|reduce|soften|conceal|concealing|cover|covering|fade|blur|lighten blood|wound|wounds|cut|cuts|scar|scars|bruise|bruises|scratch|scratches|scrape|scrapes|bleeding|gash|nosebleed',
  'clean|wipe|cover up|off|away the|any|all blood|wound|wounds|cut|cuts|scar|scars|bruise|bruises',
  'fake|stage|theatrical|halloween|costume|zombie|vampire blood',
  'wound around|round|up|tight|tightly|tighter|into|through|over|about',
];
