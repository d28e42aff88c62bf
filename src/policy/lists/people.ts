/**
 * Words for people and their bodies, shared by rules that need a person near another word ("stabbed
 * him", "blood on her face", "a woman without clothes"). Syntax: see ../patterns.ts.
 */

/** People: pronouns and nouns for a person or a group of people. */
export const PEOPLE: readonly string[] = [
  'he|she|him|her|hers|his|them|their|theirs|himself|herself|themselves|someone|somebody|everyone|everybody|anyone',
  'man|men|mans|mens|woman|women|womans|womens|person|persons|people|peoples|guy|guys|lady|ladies|gentleman|girl|girls|girls|boy|boys|child|children|childs|kid|kids|baby|babies|toddler|teen|teens|teenager|teenagers',
  'victim|victims|body|bodies|corpse|corpses|prisoner|prisoners|hostage|hostages|captive|captives|civilian|civilians|soldier|soldiers|protester|protesters|protestor|protestors|officer|officers|policeman|policemen|cop|cops|student|students|teacher|worker|workers|passenger|passengers|pedestrian|pedestrians|refugee|refugees',
  'model|models|subject|subjects|couple|family|families|wife|husband|mother|father|mom|mum|dad|son|daughter|brother|sister|friend|friends|neighbor|neighbour|president|politician|celebrity|actor|actress',
];

/** Parts of a body, where an injury would be shown. */
export const BODY_PARTS: readonly string[] = [
  'face|faces|head|heads|neck|throat|chest|torso|stomach|belly|abdomen|back|arm|arms|leg|legs|wrist|wrists|hand|hands|mouth|nose|eye|eyes|skull|skin|forehead|cheek|cheeks|lip|lips|shoulder|shoulders|knee|knees',
];
