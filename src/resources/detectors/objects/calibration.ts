// Kept apart from centernet.ts so that the main thread can read it without loading TF.js.

/**
 * Calibrated on real photos (bench/detection/labelled.json): at 0.35 every labelled person, car, bus and
 * motorcycle is found; below it come confusions such as a cat read as "dog" (0.48 on chelsea.png is above,
 * see bench/detection/NOTES.md#quality-on-hand-labelled-photos for the measured precision).
 */
export const OBJECT_THRESHOLD = 0.35;
