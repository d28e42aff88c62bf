import type { FastifyReply } from 'fastify';
import { formatUsd } from '../accounts/money.js';
import type { JobResult } from '../jobs/image-job.js';

/**
 * How the Venice routes answer a job: the image bytes themselves, with the balance after the charge and
 * what was charged in headers (an idempotent replay says so and is charged nothing).
 */
export function sendImage(reply: FastifyReply, result: JobResult): FastifyReply {
  if (result.replayed) reply.header('x-idempotent-replay', 'true');
  reply.header('x-venice-balance-usd', formatUsd(result.balanceMicros));
  reply.header('x-retouch-charged-usd', formatUsd(result.chargedMicros));
  return reply.type(result.contentType).send(result.body);
}
