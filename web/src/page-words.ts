/**
 * The API's messages speak to programs: "send both to /image/multi-edit", "listed under
 * model_spec.vocabulary in GET /models". In the page a person acts with the page's controls, so the
 * page says those instead. The phrases below are local-edit's advice, whole sentences first; any route
 * still named after them becomes the name of the operation that sends to it, so no route reaches the
 * person even when a message changes.
 */
const ADD_LAYER = 'choose Multi-edit and add it with "Add layer image…"';
const PAINT = 'choose Multi-edit and paint over it with the brush';

const PHRASES: Array<[RegExp, string]> = [
  [
    /Send the picture to \/image\/multi-edit with a mask as the second image: white where to edit on black \(or transparent where to edit, as OpenAI masks are\)/g,
    capitalised(PAINT),
  ],
  [/Send a mask over it as the second image to \/image\/multi-edit/g, capitalised(PAINT)],
  [/send both to \/image\/multi-edit/g, ADD_LAYER],
  [/is listed under model_spec\.vocabulary in GET \/models/g, `is listed under "What local-edit understands" below the model`],
  [/POST \/api\/v1\/image\/upscale is the super-resolution endpoint/g, 'the Upscale operation enlarges with super-resolution'],
];

/** Each route as the operation the page offers for it. */
const ROUTES: Array<[RegExp, string]> = [
  [/(?:POST )?(?:\/api\/v1)?\/image\/multi-edit\b/g, 'Multi-edit'],
  [/(?:POST )?(?:\/api\/v1)?\/image\/edit\b/g, 'Edit'],
  [/(?:POST )?(?:\/api\/v1)?\/image\/background-remove\b/g, 'Remove background'],
  [/(?:POST )?(?:\/api\/v1)?\/image\/upscale\b/g, 'Upscale'],
  [/GET (?:\/api\/v1)?\/models\b/g, "the model's details"],
];

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * An API message in the page's words.
 *
 * @example forPage('... Send the picture to /image/multi-edit with a mask as the second image: ...')
 *   // '... Choose Multi-edit and paint over it with the brush.'
 */
export function forPage(message: string): string {
  let text = message;
  for (const [pattern, words] of [...PHRASES, ...ROUTES]) text = text.replace(pattern, words);
  return text;
}
