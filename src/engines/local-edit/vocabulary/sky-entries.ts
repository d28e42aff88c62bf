import type { Rgb } from '../../../imaging/colors.js';
import type { SkyPreset } from '../../../imaging/stuff/sky-presets.js';
import type { VocabularyEntry } from './entry-types.js';
import { COLOR_PATTERN } from '../../../imaging/colors.js';
import { readColor } from './grammar.js';
import { entry } from './pattern-entry.js';

/**
 * The sky, the most asked-for edit in photo apps: recolour it (bluer, deeper, more dramatic, any colour)
 * or replace it with a graded sky made for the purpose (sunset, sunrise, clear blue, blue hour, stormy)
 * that keeps the clouds' own shapes and relights the scene below. The sky is found by itself (run/sky-step.ts);
 * a photo without one is refused, naming why. These entries come before the refusal of weather and time
 * of day, which still takes what needs invented content (stars, rain, snow, a moon).
 */

/** "the sky", "the cloudy sky", "the dull grey skies". */
const SKY =
  '(?:the |its |this |that |our |my |your )?(?:(?:cloudy|overcast|gray|dull|blue|boring|flat|pale|white|hazy|clear|bright|washed out|plain|empty|evening|morning|current|existing|original|whole) )*(?:sky|skies)';
const TINT_BLUE: Rgb = [44, 110, 214];
const DEEP_BLUE: Rgb = [26, 74, 178];

const bluer = (strength = 1) => ({
  kind: 'tint' as const,
  color: TINT_BLUE,
  amount: Math.min(0.9, 0.55 * strength),
  deepen: 0.05 * strength,
  drama: 0,
});

export const SKY_VOCABULARY: VocabularyEntry[] = [
  entry(
    'sky-tint',
    'region',
    'Recolour the sky (bluer, deeper, dramatic)',
    [
      'make the sky bluer',
      'make the sky more blue',
      'deepen the sky',
      'make the sky more dramatic',
      'make the sky pink',
      'a bluer sky',
    ],
    'Finds the sky by itself (bright, smooth, blue or grey, reaching the top edge; traced around buildings, trees and towers) and moves its colour toward blue, a deeper blue or the colour named, keeping its lightness; clouds keep most of their white. "More dramatic" also darkens it and brings out the clouds. A photo with no sky is refused.',
    [
      `(?:make|turn|get|render) ${SKY} (?:look |a )?(?:a lot |even )?(?<how>bluer|more blue|blue|deeper|deep blue|a deeper blue|darker blue|richer|more vivid|more dramatic|dramatic|moodier|more intense|more moody)`,
      `(?:an? )?(?<how>bluer|deeper|more dramatic|dramatic|moodier) (?:blue )?(?:sky|skies)`,
      `(?<verb>deepen|intensify|enhance|boost|enrich|add drama to|dramatize|dramatise)(?: the blue of)? ${SKY}`,
      `(?:more|add|boost|increase) (?:the )?blue (?:in|of|to) ${SKY}`,
      `(?:make|turn|change|color|paint|tint|recolor) ${SKY} (?:to |into |in )?(?:a |an )?(?:(?:light|pale|deep|dark|soft|bright|pastel) )?(?<color>${COLOR_PATTERN})(?: color| colored| tones?)?`,
    ],
    (g, modifiers) => {
      const strength = modifiers.intensity ?? 1;
      const how = g.how ?? '';
      if (g.color) {
        const color = readColor(g.color);
        if (!color) return null;
        return { op: 'sky', look: { kind: 'tint', color, amount: Math.min(0.95, 0.7 * strength), deepen: 0, drama: 0 } };
      }
      if (/dramatic|moodier|moody|intense|add drama|dramati/.test(how) || /drama|dramati/.test(g.verb ?? '')) {
        return {
          op: 'sky',
          look: { kind: 'tint', color: DEEP_BLUE, amount: 0.45 * strength, deepen: 0.22 * strength, drama: 1.2 * strength },
        };
      }
      if (/deep|darker|richer/.test(how) || /deepen|enrich|intensify/.test(g.verb ?? '')) {
        return {
          op: 'sky',
          look: { kind: 'tint', color: DEEP_BLUE, amount: Math.min(0.9, 0.6 * strength), deepen: 0.15 * strength, drama: 0 },
        };
      }
      return { op: 'sky', look: bluer(strength) };
    },
    ['intensity'],
  ),
  entry(
    'sky-replace',
    'region',
    'Replace the sky (sunset, sunrise, clear blue, blue hour, stormy)',
    [
      'replace the sky with a sunset',
      'change the sky to sunset',
      'replace the cloudy sky with a warm sunrise',
      'make the sky a clear blue sky',
      'give it a stormy sky',
      'sunset sky',
    ],
    'Finds the sky by itself and paints a graded sky in its place (sunset, sunrise, clear blue, blue hour or stormy), its lightness modulated by the old sky so every cloud keeps its shape and shading, lit in the new light; the scene below is relit to belong (warmer and lower for a sunset or sunrise, cool and dim for the blue hour). Refused when the photo has no sky, or when the clouds would be lost.',
    [
      `(?:replace|change|swap|switch|turn|make|transform|convert) ${SKY} (?:with|to|into|for|by|as|look like) (?:an? |the |some )?(?:(?:warm|warmer|beautiful|nice|pretty|golden|colorful|vivid|dramatic|soft|glowing|fiery|pink|orange|red|bright|deep|moody|dark|gorgeous) )*(?<preset>[a-z ]+?)(?: sky| skies| colors| light| look| one| scene| atmosphere)?`,
      `(?:give it|give the photo|add|use|i want|put in) (?:an? |the |some )?(?:(?:warm|beautiful|nice|golden|colorful|dramatic|soft|fiery|moody|dark) )*(?<preset>[a-z ]+?) (?:sky|skies)`,
      `(?:an? )?(?:(?:warm|beautiful|golden|colorful|dramatic|soft|fiery|moody|dark) )*(?<preset>[a-z ]+?) (?:sky|skies)(?: instead)?`,
      `(?:make|turn) ${SKY} (?:into )?(?:an? |the )?(?:(?:warm|beautiful|nice|golden|colorful|dramatic|soft|fiery|moody|dark) )*(?<preset>[a-z ]+?) (?:sky|skies|one)`,
    ],
    (g) => {
      const preset = presetOf(g.preset ?? '');
      return preset ? { op: 'sky', look: { kind: 'replace', preset } } : null;
    },
  ),
];

/** The sky a wording names, or null for one it cannot paint (a starry night, a rainbow: refused later as generative). */
function presetOf(words: string): SkyPreset | null {
  const w = words.trim();
  if (/^(?:sunset|sundown|dusk|golden hour|evening|sunset colors|sunset glow)$/.test(w)) return 'sunset';
  if (/^(?:sunrise|dawn|daybreak|morning|early morning|sunrise colors)$/.test(w)) return 'sunrise';
  if (/^(?:clear blue|clear|blue|sunny|summer|bright blue|sunny blue|cloudless|clear sunny|blue summer)$/.test(w)) return 'clear';
  if (/^(?:blue hour|twilight|evening blue)$/.test(w)) return 'blue-hour';
  if (/^(?:stormy|storm|thunderstorm|dark stormy|dark cloudy|overcast|thundery|brooding|cloudy stormy)$/.test(w)) return 'stormy';
  return null;
}
