import type { VocabularyEntry } from './entry-types.js';
import { TONE_VOCABULARY } from './tone-entries.js';
import { EDIT_VOCABULARY, LAYER_VOCABULARY } from './geometry-region-layer-entries.js';
import { SUBJECT_VOCABULARY } from './subject-entries.js';
import { RANGE_VOCABULARY } from './range-entries.js';
import { STRAIGHTEN_TEXT_UPSCALE_VOCABULARY } from './straighten-text-upscale-entries.js';
import { LOOK_VOCABULARY } from './look-entries.js';
import { GENERATIVE_VOCABULARY, PEOPLE_VOCABULARY } from './generative-refusal-entries.js';
import { COLOUR_VOCABULARY } from './colour-entries.js';
import { SKY_VOCABULARY } from './sky-entries.js';

/**
 * The vocabulary of the local-edit engine: one table that both the parser matches clauses against and
 * `GET /models` (and docs/local-edit.md) publish, so what is documented is exactly what is understood.
 * The entry types live in entry-types.ts, so that the tables can use them without importing this file.
 */

/** In matching order: earlier entries claim their specific wordings before general ones ("remove the background" before "remove X"). */
export const VOCABULARY: readonly VocabularyEntry[] = [
  // The sky's own edits first: "make the sky bluer" deepens a sky as a sky (sky-entries.ts).
  ...SKY_VOCABULARY,
  // Colour changes that keep shading, teeth, red eye, hair tone: before the people refusals (colour-entries.ts).
  ...COLOUR_VOCABULARY,
  ...PEOPLE_VOCABULARY,
  ...SUBJECT_VOCABULARY,
  ...RANGE_VOCABULARY,
  ...LOOK_VOCABULARY,
  ...TONE_VOCABULARY,
  ...STRAIGHTEN_TEXT_UPSCALE_VOCABULARY,
  ...EDIT_VOCABULARY,
  ...LAYER_VOCABULARY,
  // Last: what needs invented content is recognised only when nothing the engine can do matched.
  ...GENERATIVE_VOCABULARY,
];

/** One row of the published vocabulary. */
export interface VocabularyRow {
  instruction: string;
  examples: string[];
  description: string;
}

/** Constraint tails are understood by the parser itself, not by a table entry; they are documented here. */
export const CONSTRAINT_ROW: VocabularyRow = {
  instruction: 'Keep / preserve (constraint)',
  examples: [
    'replace the background with a studio backdrop while preserving the subject pose, facial features, and clothing',
    'remove the tree and keep the architecture intact',
    'blur the background but keep the face sharp',
  ],
  description:
    'A "while preserving ...", "keeping ...", "keep ... intact" or "without changing ..." tail names things to leave alone. ' +
    'It is accepted only when the plan really leaves them untouched (e.g. the subject when only the background changes, ' +
    'anything outside the mask for masked edits); otherwise the request is refused.',
};

/**
 * What `GET /models` publishes for local-edit under `model_spec`: the vocabulary and the layer rules.
 *
 * @example describeVocabulary().vocabulary[0] // { instruction: 'Remove the background', examples: [...], description: '...' }
 */
export function describeVocabulary(): { vocabulary: VocabularyRow[]; layers: Record<string, string> } {
  return {
    vocabulary: [
      ...VOCABULARY.map(({ instruction, examples, description }) => ({ instruction, examples, description })),
      CONSTRAINT_ROW,
    ],
    layers: {
      mask: 'Transparent where to edit (OpenAI) or white where to edit on black (Stability/IOPaint); grey = partial strength.',
      overlay: 'A picture composited over the base with its own transparency ("add the logo in the top right corner").',
      background: 'A picture that replaces the background ("replace the background with the second image").',
      layer_roles:
        'Optional array overriding the classification of each layer after the base: mask, overlay, background or auto.',
    },
  };
}

/**
 * The vocabulary as the Markdown table of docs/local-edit.md (a test checks that the file holds exactly
 * this table, so the documentation cannot drift from what the parser understands).
 */
export function vocabularyMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = describeVocabulary().vocabulary.map(
    (row) => `| ${cell(row.instruction)} | ${row.examples.map((e) => `"${cell(e)}"`).join(' · ')} | ${cell(row.description)} |`,
  );
  return ['| Instruction | Example prompts | What it does |', '| --- | --- | --- |', ...rows].join('\n');
}

/**
 * Runs every pattern of the vocabulary twice on a clause that matches nothing. V8 compiles a regular
 * expression on its first use and again to machine code when it is used more; for the few hundred
 * patterns here that is about a second of CPU, which the server pays at start, one entry per
 * event-loop turn, instead of the first client paying it. It never keeps a process alive.
 */
export function warmUpVocabulary(): void {
  let index = 0;
  const next = () => {
    if (index >= VOCABULARY.length * 2) return;
    VOCABULARY[index % VOCABULARY.length].match(index < VOCABULARY.length ? 'zzz' : 'zzz zzz', {});
    index++;
    // An unref'd timer, not an immediate: unref'd immediates starve while the loop waits on other handles.
    setTimeout(next, 0).unref();
  };
  setTimeout(next, 0).unref();
}
