import {
  ALL, BG, DEFAULT, GENERATIVE, NEEDS_MASK, NOT_UNDERSTOOD, SUBJECT, blur, brighter, contrast, cooler, crop, darker, enhance, exposure, flip,
  grey, highlights, obj, pixelate, plan, remove, rotate, saturation, sepia, shadows, sharpen, smoothSkin, solidBackground, straighten,
  text, tone, transparentBackground, upscale, vibrance, vignette, warmer, type PromptCase,
} from './expect.js';

/**
 * Written after the parser was tuned on the rest of the set, and judged once before any change (the
 * first-try shares are in bench/RESULTS.md): a check that the set is not just what the parser was
 * taught.
 */
export const FRESH_PROMPTS: PromptCase[] = [
  ['can you make this look less gloomy', plan(brighter())],
  ['lighten the photo a touch', plan(brighter(1.1, ALL))],
  ['give the image more punch and warmth', plan(contrast(1.25, ALL), warmer())],
  ['please desaturate the background', plan(saturation(0.65, BG))],
  ['make my product photo pop on a white background', plan(vibrance(), solidBackground([255, 255, 255]))],
  ['crop it to a 1:1 square', plan(crop([1, 1]))],
  ['cut it down to 16:9', plan(crop([16, 9]))],
  ['rotate the photo 90 degrees to the right', plan(rotate(90))],
  ['flip the picture', plan(flip())],
  ['remove the bin on the right', plan(remove(obj('the bin on the right')))],
  ['erase the power lines', plan(remove(obj('the power lines')))],
  ['blur out the number plate', plan(blur(obj('the number plate')))],
  ['blur the kids faces', plan(blur(obj('the kids faces')))],
  ['pixelate the face of the man on the right', plan(pixelate(obj('the face of the man on the right')))],
  ['sharpen the subject a little', plan(sharpen(0.5, SUBJECT))],
  ['tone down the highlights slightly and add a bit of contrast', plan(highlights(-0.5), contrast(1.125))],
  ['lift the shadows by a lot', plan(shadows(2))],
  ['exposure up one stop', plan(exposure(1))],
  ['make it a touch cooler', plan(cooler(0.5))],
  ['black and white with a vignette please', plan(grey(), vignette())],
  ['sepia and square', plan(sepia(), crop([1, 1]))],
  ['can you make the background blurry', plan(blur(BG))],
  ['remove the bg and put it on grey', plan(transparentBackground(), solidBackground([128, 128, 128]))],
  ['smooth out the skin a bit', plan(smoothSkin(obj('the faces'), 0.5))],
  ['put the text "Open 24/7" in the bottom left corner', plan(text('Open 24/7', 'bottom-left'))],
  ['upscale to 4x', plan(upscale(4))],
  ['level it', plan(straighten())],
  ['fix the crooked horizon', plan(straighten())],
  ['auto-fix the colours please', plan(tone('auto-enhance', {}, ALL))],
  ['make it moodier', plan(darker())],
  ['make the sky blue', NEEDS_MASK],
  ['add a moon in the sky', GENERATIVE],
  ['make her eyes blue', GENERATIVE],
  ['replace his t-shirt with a suit', GENERATIVE],
  ['make it look like a polaroid from the 70s', NOT_UNDERSTOOD],
  ['give me something nice', NOT_UNDERSTOOD],
  ['remove everything except the cat', NOT_UNDERSTOOD],
  ['make the whole thing a bit brighter and less yellow', plan(brighter(1.1, ALL), cooler())],
  ['brighten the face', plan(brighter(1.2, obj('the face')))],
  ['the colours look off, can you correct them', plan(enhance())],
];
