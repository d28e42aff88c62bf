import type { FastifyInstance } from 'fastify';
import { IMAGE_OPERATION_NAMES, imageOperation, type ImageOperation } from '../operations/image-operations.js';
import type { AppServices } from '../services.js';
import type { RouteDoc } from './route-docs.js';
import { imageBackgroundRemoveRoute } from './routes/image-background-remove.js';
import { imageEditRoute } from './routes/image-edit.js';
import type { ImageRoute } from './routes/image-route.js';
import { imageMultiEditRoute } from './routes/image-multi-edit.js';
import { imageUpscaleRoute } from './routes/image-upscale.js';

/**
 * Each operation's route file (body schema and handler). Typed by the operation table, so an operation
 * added there does not compile until its route file is named here.
 */
export const IMAGE_ROUTES: Record<ImageOperation, ImageRoute> = {
  edit: imageEditRoute,
  'multi-edit': imageMultiEditRoute,
  'background-remove': imageBackgroundRemoveRoute,
  upscale: imageUpscaleRoute,
};

/**
 * Registers every operation of the table at its path, with its route name (rate limits, metrics) and its
 * OpenAPI description. `app` is the API scope: key and rate-limit hooks are already on it.
 */
export function registerImageOperations(app: FastifyInstance, services: AppServices): void {
  for (const name of IMAGE_OPERATION_NAMES) {
    const route = IMAGE_ROUTES[name];
    const { path, routeName } = imageOperation(name);
    app.post(path, { config: { routeName, doc: imageOperationDoc(name) } }, (request, reply) =>
      route.handle(services, request, reply),
    );
  }
}

/** An image operation in the OpenAPI document: its body in JSON or multipart, the picture, the API's errors. */
export function imageOperationDoc(name: ImageOperation): RouteDoc {
  return {
    summary: imageOperation(name).summary,
    auth: true,
    headers: [{ name: 'Idempotency-Key', required: false, schema: { type: 'string', maxLength: 255 } }],
    body: { schema: IMAGE_ROUTES[name].bodySchema, contentTypes: ['application/json', 'multipart/form-data'] },
    responses: {
      '200': {
        description: 'The edited image',
        content: { 'image/png': { schema: { type: 'string', format: 'binary' } } },
      },
    },
    errors: ['400', '401', '402', '413', '415', '422', '429', '500', '503'],
  };
}
