import type { CategoryRules } from '../rules.js';
import { BODY_PARTS, PEOPLE } from './people.js';

/**
 * Real-world violence: gore, killings, massacres, terrorist attacks, executions, self-harm, graphic injury.
 * Editing language is full of violent-sounding words ("shoot a portrait", "kill the highlights", "blow out
 * the whites", "execute the crop", "a cut of beef"), so single words are listed only when they have no
 * everyday editing sense; the rest need a person or body part nearby. Syntax: see ../patterns.ts.
 */

/** Phrases that name violence on their own. */
const VIOLENCE_ALONE: readonly string[] = [
  // Gore and graphic injury.
  'gore|gory|gorier|goriest|gorefest|gruesome|grisly|bloodbath|bloodbaths|bloodsoaked|bloodstained|bloodspattered|bloodsplattered|bloodsplatter|bloodspatter',
  'blood bath|baths|soaked|stained|spattered|splattered|splatter|splatters|spatter|spatters|spray|sprayed|drenched|smeared|dripping|gushing|spurting|pouring|everywhere',
  'pool|pools|puddle|puddles|river|rivers|trail|lake of blood',
  'covered|soaked|drenched|smeared|splattered|spattered|dripping|bathed|caked in|with blood',
  'severed head|heads|limb|limbs|arm|arms|leg|legs|hand|hands|finger|fingers|body|bodies|ear|ears',
  'dead|lifeless|mutilated|mangled|charred|decomposing|rotting|burning|burned|burnt body|bodies|corpse|corpses|victim|victims',
  'gunshot|stabbing|shooting|bombing|massacre victim|victims',
  'knife|knives|bullet|bullets|arrow|arrows|sword|blade|axe|machete in|through his|her|their back|chest|head|neck|throat|eye|stomach|skull',
  'corpse|corpses|cadaver|cadavers|entrails|viscera',
  'exposed|protruding bone|bones|brain|brains|intestines|organs',
  'spilled|spilling|hanging guts|intestines|entrails|brains',
  'guts|intestines|entrails|brains spilling|spilled|hanging|out',
  'blown|blew|blow|blowing _ brains out',
  'brains blown out',
  'stab|gunshot|bullet|shrapnel|knife|machete wound|wounds',
  'graphic violence|injury|injuries|wound|wounds|death|deaths|gore|killing',
  'open|gaping|bloody|bleeding wound|wounds|gash|gashes',

  // Killing and maiming.
  'behead*|decapitat*|dismember*|disembowel*|eviscerat*|mutilat*|massacre*|genocid*|assassinat*|bludgeon*|lynching|lynchings|lynched|slaughtered|strangled|strangling|strangulation|garrote|garroted|murder|murders|murdered|murderer|murdering|murderous|homicide|homicides|torture|tortured|torturing|tortures',
  'lynch mob|mobs',
  'slit|slits|slitting|slash|slashed|slashing|cut|cuts|cutting _ throat|throats',
  'slit|slashed|cut|cutting throat|throats',
  'throat|throats slit|slashed|cut',
  'shot|stabbed|beaten|hacked|bludgeoned|burned|burnt|kicked|tortured|starved to death',
  'shoot|shooting|shot him|her|them|people|someone|somebody|everyone|civilians|protesters in the head|face|chest|heart|neck',
  'burned|burnt|burning|buried|skinned|boiled alive',
  'killing|shooting|stabbing|murder|rampage spree|sprees',
  'blow|blew|blowing|blows him|her|them|everyone|people|civilians to pieces|bits|shreds',
  'shoot|shoots|shooting|firing at|into civilians|protesters|protestors|worshippers|crowds|pedestrians',
  'firing at|on|into people|children|kids|students',
  'firing into|at|on the|a crowd',
  'opened|open|opens fire on|at people|civilians|protesters|protestors|children|kids|students|worshippers|crowds|pedestrians',
  'opened|open|opens fire on|at the|a crowd',
  // "Kill" alone is everyday editing talk ("kill the highlights"); only a person as its object counts.
  'kill|kills him|them|everyone|everybody|someone|somebody|people|civilians|hostages|children|kids',
  'kill|kills her',
  'kill|kills the|a|that|this|those|these|all man|woman|men|women|boy|girl|boys|girls|child|children|kid|kids|baby|person|people|victim|victims|prisoner|prisoners|hostage|hostages|guard|guards|soldier|soldiers|officer|police|president|family|civilians|students|crowd',
  'mass shooting|shootings|shooter|shooters|murder|murders|killing|killings|grave|graves|execution|executions|casualty|casualties|stabbing|stabbings',
  'school|church|mosque|synagogue shooting|shootings|shooter|shooters|massacre|massacres',
  'terrorist|terror attack|attacks|bombing|bombings|bomber|bombers|atrocity|atrocities|act|acts',
  'suicide bomb*|vest|vests',
  'car bomb|bombs|bombing|bombings',
  'ethnic cleansing',
  'war crime|crimes',
  'atrocity|atrocities',
  'snuff film|films|movie|movies|video|videos',
  'gunned down',
  'firing squad|squads',
  'public|mass|summary|hostage execution|executions',
  'execution style|video|videos',
  'executionstyle',
  'execute|executes|executed|executing the|a|an prisoner|prisoners|hostage|hostages|captive|captives|man|woman|men|women|people|civilians|child|children|soldier|soldiers|victim|victims',
  'executed prisoner|prisoners|hostage|hostages|captive|captives|man|woman|men|women|people|civilians|child|children|soldier|soldiers|victim|victims',

  // Self-harm.
  'self harm|harming|harmed|injury|injuries|mutilation|mutilate|mutilating|inflicted',
  'selfharm|selfharming|selfinjury|selfmutilation|suicide|suicides|suicidal',
  'kill|killing|killed|kills|hang|hanging|hanged|hangs|stab|stabbing|stabbed himself|herself|themselves|myself|yourself|oneself',
  'noose around|round',
  'hanging|hanged|hangs from a noose',
  'slit|slitting|slashed|slash|slashing|cut|cutting her|his|my|their|your wrist|wrists',
  'slit|slashed|cut wrist|wrists',
  'wrist|wrists slit|slashed|cut',
];

/** Acts that are violence when done to a person: "stab him", "the murdered woman", "kill the hostages". */
const VIOLENT_ACTS: readonly string[] = [
  'killed|killing|stabbed|stabbing|strangle|strangles|slaughter|slaughters|slaughtering|maim|maims|maimed|maiming|decapitate|behead|beheads|impale|impaled|impaling|mauled|disfigured|strangled|murdered',
];

/** Violence to a body that needs a person nearby to mean one. */
const SHOOTINGS: readonly string[] = [
  'shot|shoot|shoots|shooting dead',
  'shot in the head|face|chest|heart|neck|back|stomach',
  'blown|blow|blew to pieces|bits|shreds',
];

/** Graphic injury words: on a person or body part, they show a real injury ("blood on his face"). */
const INJURIES: readonly string[] = [
  'blood|bloody|bloodied|bleeding|bled|wound|wounds|wounded|gash|gashes|gashed|laceration|lacerations|lacerated|stabbed|impaled|disfigured|maimed|mangled',
  'bullet|bullets|gunshot|shotgun holes|hole|wound|wounds',
  'broken|snapped|shattered bones|bone|skull|jaw|neck',
];

export const VIOLENCE_RULES: CategoryRules = {
  alone: VIOLENCE_ALONE,
  near: [
    { first: VIOLENT_ACTS, second: PEOPLE, window: 3 },
    // "Stab" alone is also "take a stab at it", so only right next to its victim.
    { first: ['stab|stabs'], second: PEOPLE, window: 2 },
    // "Shot dead leaves", "shot in the heart of Paris", "blown to bits" (a vase) are photography or things.
    { first: SHOOTINGS, second: PEOPLE, window: 3 },
    { first: INJURIES, second: [...PEOPLE, ...BODY_PARTS], window: 5 },
  ],
};
