// Kept apart from centernet.ts so that the main thread can read it without loading TF.js.

/**
 * Calibrated on real photos (bench/detection/labelled.json): at 0.35 every labelled person, car, bus and
 * motorcycle is found; below it come confusions such as a cat read as "dog" (0.48 on chelsea.png is above,
 * see bench/detection/NOTES.md#quality-on-hand-labelled-photos for the measured precision).
 */
export const OBJECT_THRESHOLD = 0.35;

/**
 * The side of the square the object detector sees: every picture is stretched to 512x512 before it runs
 * (centernet.ts), so a thing 20 pixels wide in a 1200-pixel photo is about 8 pixels wide to the model.
 * The tiled pass (../tiles/) reads it to decide when a closer look helps.
 */
export const OBJECT_INPUT_SIDE = 512;
