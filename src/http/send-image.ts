import type { FastifyReply } from 'fastify';
import { formatUsd } from '../accounts/money.js';
import type { ModelEntry } from '../engines/model-entry.js';
import type { JobResult } from '../jobs/image-job.js';

/**
 * How the Venice routes answer a job: the image bytes themselves, with Venice's headers. Venice reports
 * `x-venice-balance-usd` as the balance *before* the request was processed (its API reference, "Account
 * Balance Information"), so that is what it holds here too; `x-retouch-balance-after-usd` holds the
 * balance after the charge and `x-retouch-charged-usd` the charge (an idempotent replay says so and is
 * charged nothing).
 */
export function sendImage(reply: FastifyReply, result: JobResult, model: ModelEntry): FastifyReply {
  if (result.replayed) reply.header('x-idempotent-replay', 'true');
  modelHeaders(reply, model);
  reply.header('x-venice-balance-usd', formatUsd(result.balanceMicros + result.chargedMicros));
  reply.header('x-retouch-balance-after-usd', formatUsd(result.balanceMicros));
  reply.header('x-retouch-charged-usd', formatUsd(result.chargedMicros));
  reply.header('x-venice-is-blurred', result.blurred ? 'true' : 'false');
  // Venice sends the rewritten prompt URL-encoded (a header cannot hold every character).
  if (result.enhancedPrompt) reply.header('x-venice-enhanced-prompt', encodeURIComponent(result.enhancedPrompt));
  if (result.provenance) reply.header('x-retouch-provenance', result.provenance);
  // Background removal: how much the matte keeps, and a warning when that is almost nothing or almost all.
  if (result.matteCoverage !== undefined) reply.header('x-retouch-matte-coverage', result.matteCoverage.toFixed(4));
  if (result.warnings?.length) reply.header('x-retouch-warning', result.warnings.join('; '));
  // What local-edit used for the things the prompt named ("salient subject (no apple found)"): plain ASCII words
  // from the normalised prompt; anything else is URL-encoded, as the prompt header above.
  if (result.found?.length) {
    const text = result.found.join('; ');
    reply.header('x-retouch-found', /^[\x20-\x7e]*$/.test(text) ? text : encodeURIComponent(text));
  }
  return reply.type(result.contentType).send(result.body);
}

/** `x-venice-model-id`, `-name`, and the deprecation headers of a model the operator marked deprecated. */
export function modelHeaders(reply: FastifyReply, model: ModelEntry): void {
  reply.header('x-venice-model-id', model.id);
  reply.header('x-venice-model-name', model.displayName);
  const deprecation = model.traits.deprecation;
  if (deprecation) {
    reply.header('x-venice-model-deprecation-warning', deprecation.warning);
    reply.header('x-venice-model-deprecation-date', deprecation.date);
    reply.header('x-venice-deprecated', 'true');
    if (deprecation.replacement) reply.header('x-venice-deprecated-replacement', deprecation.replacement);
  }
}
