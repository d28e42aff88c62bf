/**
 * The API's image operations, one entry each: everything about an operation that more than one place
 * needs. The routes are registered from this table (src/http/image-operation-routes.ts), the OpenAPI
 * document is generated from it, engines name operations by its keys, the remote backends map from it
 * (paths, body fields, model field), and the playground imports it for its route table. A test
 * (test/http/operation-table.test.ts) fails when the routes, the document or the playground disagree.
 *
 * This file imports nothing: the browser bundle and every layer of the server read it.
 */

/** The model types GET /models lists, and the config setting that names each type's default model. */
export const MODEL_TYPES = {
  /** Edit models (Venice's type name for them). Unset, the first online generative model, else local-edit. */
  inpaint: { defaultModelSetting: 'defaultEditModel' },
  'background-removal': { defaultModelSetting: 'backgroundRemovalModel' },
  upscale: { defaultModelSetting: 'upscaleModel' },
} as const;

export type ModelType = keyof typeof MODEL_TYPES;

/** The model types as a non-empty list, for z.enum. */
export const MODEL_TYPE_NAMES = Object.keys(MODEL_TYPES) as [ModelType, ...ModelType[]];

/** Venice body fields a Venice-compatible upstream is sent, beside the model, the prompt and the images. */
export type UpstreamField =
  | 'output_format'
  | 'resolution'
  | 'quality'
  | 'safe_mode'
  | 'enhance_prompt'
  | 'disable_prompt_optimization_thinking'
  | 'scale'
  | 'creativity';

export interface ImageOperationSpec {
  /** The route, absolute (`/api/v1/image/edit`). */
  readonly path: string;
  /** The models this operation runs: GET /models' type, and the default model when the body names none. */
  readonly modelType: ModelType;
  /** The route's name in `rateLimits.routes` and in the metrics' `route` label. */
  readonly routeName: string;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  /** What a model that cannot do it is said not to do ("Model x does not do image edits"). */
  readonly noun: string;
  /** The body field naming the model in Venice's API (null: the route always runs its type's default). */
  readonly modelField: 'model' | 'modelId' | null;
  /** The body field carrying the image(s): one image, or a list with the base first. */
  readonly imageField: 'image' | 'images';
  /** Whether the body carries a prompt. */
  readonly prompt: boolean;
  /** The Venice fields forwarded upstream (each only when set; `output_format` is always png). */
  readonly upstreamFields: readonly UpstreamField[];
}

const GENERATIVE_FIELDS = [
  'output_format',
  'resolution',
  'safe_mode',
  'enhance_prompt',
  'disable_prompt_optimization_thinking',
] as const satisfies readonly UpstreamField[];

export const IMAGE_OPERATIONS = {
  edit: {
    path: '/api/v1/image/edit',
    modelType: 'inpaint',
    routeName: 'edit',
    summary: 'Edit a single image with a prompt',
    noun: 'image edits',
    modelField: 'model',
    imageField: 'image',
    prompt: true,
    upstreamFields: GENERATIVE_FIELDS,
  },
  'multi-edit': {
    path: '/api/v1/image/multi-edit',
    modelType: 'inpaint',
    routeName: 'multi-edit',
    summary: 'Edit using 1-3 layered images (base first)',
    noun: 'multi-edits',
    modelField: 'modelId',
    imageField: 'images',
    prompt: true,
    upstreamFields: [...GENERATIVE_FIELDS, 'quality'],
  },
  'background-remove': {
    path: '/api/v1/image/background-remove',
    modelType: 'background-removal',
    routeName: 'background-remove',
    summary: 'Remove the background of an image',
    noun: 'background removal',
    modelField: null,
    imageField: 'image',
    prompt: false,
    upstreamFields: [],
  },
  upscale: {
    path: '/api/v1/image/upscale',
    modelType: 'upscale',
    routeName: 'upscale',
    summary: 'Upscale an image 2x or 4x',
    noun: 'upscaling',
    modelField: 'model',
    imageField: 'image',
    prompt: false,
    upstreamFields: ['scale', 'creativity'],
  },
} as const satisfies Record<string, ImageOperationSpec>;

export type ImageOperation = keyof typeof IMAGE_OPERATIONS;

/** The operations in the table's order. */
export const IMAGE_OPERATION_NAMES = Object.keys(IMAGE_OPERATIONS) as ImageOperation[];

/** The table entry of an operation, typed as the general spec (for code that handles any operation). */
export function imageOperation(name: ImageOperation): ImageOperationSpec {
  return IMAGE_OPERATIONS[name];
}
