import { ROUTES, type Operation, type Part, type RequestPlan } from './api-client.js';
import type { InputImage, LocalImage } from './image-source.js';

/** An extra multi-edit layer and the role the user gave it (sent as `layer_roles`). */
export interface Layer {
  image: LocalImage;
  role: 'auto' | 'overlay' | 'background' | 'mask';
}

export interface PlanInput {
  operation: Operation;
  modelId: string;
  prompt: string;
  image: InputImage;
  /** The painted mask (multi-edit), when anything is painted. */
  mask?: Blob;
  layers: Layer[];
  fields: Part[];
}

/** A file name curl can use as given: the image's own name, made safe for a shell word. */
function fileName(name: string, fallback: string): string {
  const safe = name.replace(/[^\w.-]+/g, '_').replace(/^[.-]+/, '');
  return safe || fallback;
}

function imagePart(name: string, image: InputImage): Part {
  return image.kind === 'local'
    ? { name, file: image.blob, filename: fileName(image.name, 'input.png') }
    : { name, value: image.url };
}

/**
 * The multipart request for what the user set up. The field names are the API's own: `model` for edit,
 * `modelId` for multi-edit (Venice's names), none for background removal and upscale, which run the
 * server's configured model of their kind. A remote image is passed as its URL, for the server to fetch.
 */
export function buildPlan(input: PlanInput): RequestPlan {
  const { operation } = input;
  const parts: Part[] = [];
  if (operation === 'edit') {
    parts.push({ name: 'model', value: input.modelId }, { name: 'prompt', value: input.prompt }, imagePart('image', input.image));
  } else if (operation === 'multi-edit') {
    parts.push(
      { name: 'modelId', value: input.modelId },
      { name: 'prompt', value: input.prompt },
      imagePart('images', input.image),
    );
    const roles: string[] = [];
    if (input.mask) {
      parts.push({ name: 'images', file: input.mask, filename: 'mask.png' });
      roles.push('mask');
    }
    for (const [index, layer] of input.layers.entries()) {
      parts.push({ name: 'images', file: layer.image.blob, filename: fileName(layer.image.name, `layer-${index + 1}.png`) });
      roles.push(layer.role);
    }
    // Roles are sent only when a layer exists; "auto" everywhere lets the server classify as without them.
    for (const role of roles) parts.push({ name: 'layer_roles', value: role });
  } else if (operation === 'background-remove') {
    parts.push(input.image.kind === 'remote' ? { name: 'image_url', value: input.image.url } : imagePart('image', input.image));
  } else {
    parts.push(imagePart('image', input.image));
  }
  parts.push(...input.fields);
  return { operation, path: ROUTES[operation], parts };
}

/**
 * The one thing checked before sending: there must be an image to send. Everything else (an empty
 * prompt, too many layers, a bad seed) is left to the API, so the user sees its real answer and status.
 */
export function planProblem(image: InputImage | undefined): string | undefined {
  return image ? undefined : 'Load an image first: choose a file, drop one on the stage, paste one, or give a URL.';
}
