import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { JobProgressBoard } from '../../jobs/job-progress.js';
import type { AppServices } from '../../services.js';

/**
 * GET /api/v1/image/progress/:token: how far the caller's own running request (sent with the header
 * `x-progress-token: <token>`) has got: `{ done, total, finished }`, e.g. tiles of an upscale; `total` is
 * 0 while the engine has reported nothing (it may never, for engines without countable steps).
 * 404 for a token this key did not use or that was forgotten (a minute after the request ended).
 */
export function registerImageProgress(app: FastifyInstance, services: AppServices): void {
  app.get<{ Params: { token: string } }>('/api/v1/image/progress/:token', async (request) => {
    const { token } = request.params;
    if (!JobProgressBoard.validToken(token)) {
      throw new ApiError('INVALID_PARAMETERS', 'Expected a progress token of 8 to 64 letters, digits, - or _');
    }
    const progress = services.progress.get(request.apiKey!.id, token);
    if (!progress) throw new ApiError('NOT_FOUND', 'No request of this key is known under this progress token');
    return progress;
  });
}
