import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { JobProgressBoard } from '../../coordination/job-progress.js';
import type { AppServices } from '../../services.js';
import type { RouteDoc } from '../route-docs.js';

/**
 * GET /api/v1/image/progress/:token: how far the caller's own running request (sent with the header
 * `x-progress-token: <token>`) has got: `{ done, total, finished }`, e.g. tiles of an upscale; `total` is
 * 0 while the engine has reported nothing (it may never, for engines without countable steps).
 * 404 for a token this key did not use or that was forgotten (a minute after the request ended).
 */
export function registerImageProgress(app: FastifyInstance, services: AppServices): void {
  const doc: RouteDoc = {
    summary: "Progress of the caller's running request sent with x-progress-token (upscale: tiles done of total)",
    auth: true,
    responses: { '200': '{ done, total, finished }' },
    errors: ['400', '401', '404', '429'],
  };
  // Its own rate-limit bucket, so that polling never uses up the image routes' requests.
  const config = { routeName: 'progress', doc };
  app.get<{ Params: { token: string } }>('/api/v1/image/progress/:token', { config }, async (request) => {
    const { token } = request.params;
    if (!JobProgressBoard.validToken(token)) {
      throw new ApiError('INVALID_PARAMETERS', 'Expected a progress token of 8 to 64 letters, digits, - or _');
    }
    const progress = services.progress.get(request.apiKey!.id, token);
    if (!progress) throw new ApiError('NOT_FOUND', 'No request of this key is known under this progress token');
    return progress;
  });
}
