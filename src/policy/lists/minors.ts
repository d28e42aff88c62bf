import type { CategoryRules } from '../rules.js';
import { EXPLICIT_SEXUAL_TERMS, SUGGESTIVE_TERMS, UNCLOTHED } from './sexual.js';

/**
 * Sexualised minors. A minor term alone is fine ("kids' birthday cake", "child seat", "teen room décor"),
 * and so is a suggestive word alone ("a sexy red dress"); the two within a few words of each other are not
 * ("sexy schoolgirl", "a nude child", "a 12 year old in lingerie"). A few terms need no companion.
 * Syntax: see ../patterns.ts.
 */

/** Words that on their own name sexual content involving minors. */
const MINORS_ALONE: readonly string[] = [
  'loli|lolis|lolicon|shota|shotacon|jailbait|pedo|pedos|pedobear|pedophil*|paedophil*|paedo|paedos|csam|hebephil*|ephebophil*',
  'child|children|kid|kids|kiddie|kiddy|underage|teen|teens|preteen|preteens|minor|minors|infant|toddler porn*',
  'child|children|kid|kids|underage|infant|toddler|preteen|preteens|minor|minors sex|sexual|sexualised|sexualized|nudity|erotica',
  'child|children sexual abuse|exploitation',
];

/** Words for a person under 18. "Minor" alone is not one: "minor adjustments" is everyday editing talk. */
const MINOR_TERMS: readonly string[] = [
  'child|children|childs|childrens|kid|kids|kiddie|kiddies|kiddo|kiddos|toddler|toddlers|infant|infants|baby|babies|newborn|newborns|preteen|preteens|tween|tweens|teen|teens|teenager|teenagers|teenage|teenaged|underage|underaged|minors|juvenile|juveniles|schoolgirl|schoolgirls|schoolboy|schoolboys|schoolkid|schoolkids|youngster|youngsters|adolescent|adolescents|pubescent|prepubescent|kindergarten*|jailbait|loli|shota',
  'pre teen|teens',
  'under age|aged|18|eighteen',
  'school girl|girls|boy|boys|kid|kids|child|children|uniform|uniforms',
  'little|young|small|baby girl|girls|boy|boys',
  'girl|boy scout|scouts',
  'elementary|primary|middle|junior|high school student|students|girl|girls|boy|boys|kid|kids|child|children',
  '<age> year|years|yr|yrs old',
  '<age> year|years|yr|yrs of age',
  '<age> yo|yr|yrs|y|yrsold|yearold|yearsold',
  '<age-yo>',
  'aged|age <age>',
];

export const MINORS_RULES: CategoryRules = {
  alone: MINORS_ALONE,
  near: [{ first: MINOR_TERMS, second: [...EXPLICIT_SEXUAL_TERMS, ...SUGGESTIVE_TERMS, ...UNCLOTHED], window: 6 }],
};
