import { iou } from '../boxes.js';
import type { Detection } from '../detection.js';

/**
 * Classes the object detector mixes up with each other: four-legged animals, and birds with kites. Measured on the labelled
 * photos (bench/detection/second-choice.ts, bench/detection/NOTES.md#a-named-animals-second-chance): the cat of chelsea.png is "dog" at 0.48,
 * with "cat" at only 0.22 there. Its other guesses for that box, "bed" 0.24 and "person" 0.23, are in no
 * group with "dog". Vehicles were tried as a group too: the only find on the photos was wrong (a car taken
 * for "the truck", whose score there was 0.18). Tableware would take the coffee cup for "the bowl". So
 * neither is a group. Birds and kites are one (below).
 */
const CONFUSABLE: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['cat', 'dog']),
  new Set(['horse', 'sheep', 'cow']),
  // Small dark shapes in the sky. The birds of sky-towers.jpg (enlarged to 1155x866), seen closer by the
  // tiled pass (../tiles/), are "kite" at 0.40-0.50 where their "bird" score is 0.17-0.49 (6 of 6 boxes).
  new Set(['bird', 'kite']),
];

/** The weakest guess that can stand for a named class, where a confusable class is confident. */
export const SECOND_CHOICE_FLOOR = 0.15;

/**
 * When a prompt names a class ("brighten the cat") and the detector saw none with confidence, the prompt
 * is itself evidence: if the detector is confident of a class it confuses with the named one (a "dog")
 * and its own score for the named class at the same place reaches SECOND_CHOICE_FLOOR, that thing is
 * taken as the named one. Only within the groups above. An object seen as a "dog" is never taken for
 * "the person" that the model also guessed there at 0.23.
 *
 * `all` holds detections down to SECOND_CHOICE_FLOOR; `threshold` is the detector's calibrated one.
 * Returns the confident boxes relabelled, with the named class's own score.
 */
export function secondChoices(all: readonly Detection[], wanted: readonly string[], threshold: number): Detection[] {
  const out: Detection[] = [];
  for (const confident of all) {
    if (confident.score < threshold) continue;
    const group = CONFUSABLE.find((g) => g.has(confident.label));
    if (!group) continue;
    let best: Detection | undefined;
    for (const guess of all) {
      if (guess.score >= threshold || guess.score < SECOND_CHOICE_FLOOR) continue;
      if (!wanted.includes(guess.label) || !group.has(guess.label) || iou(confident, guess) < 0.5) continue;
      if (!best || guess.score > best.score) best = guess;
    }
    if (best) out.push({ ...confident, label: best.label, score: best.score });
  }
  return out;
}
