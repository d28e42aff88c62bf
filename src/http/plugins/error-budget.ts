import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BudgetState } from '../../coordination/error-budget.js';
import { ApiError } from '../../errors.js';
import { IMAGE_OPERATIONS } from '../../operations/image-operations.js';
import type { AppServices } from '../../services.js';
import { routeName } from './rate-limit.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The error budget this request counts against (`<key id>:<model>`), once its body is read. */
    budgetName?: string;
    /** The model of that budget, as the rate-limit log names it (the route's default model when the body names none). */
    budgetModelId?: string;
    budgetState?: BudgetState;
    /** The error the client was told about, set by the error handler (the budget reads its status and kind). */
    apiError?: ApiError;
  }
}

/** The longest model name kept in a budget's name: a client cannot make the shared keys arbitrarily long. */
const MAX_MODEL_NAME = 100;

/**
 * Venice's error budget, before the request's work: a key whose requests on this model failed more than
 * `maxFailures` times in the current window gets 429 until the window ends (coordination/error-budget.ts).
 * Called once the body's fields are read, because the budget is per model and the body names the model.
 */
export async function checkErrorBudget(request: FastifyRequest, fields: Record<string, unknown>): Promise<void> {
  const services = request.server.services;
  const settings = services.config.errorBudget;
  if (!settings.enabled || !request.apiKey) return;
  const model = budgetModel(services, request, fields);
  request.budgetName = `${request.apiKey.id}:${model}`;
  request.budgetModelId = loggedModelId(services, model);
  const state = await services.errorBudget.state(request.budgetName);
  request.budgetState = state;
  if (state.blocked) {
    throw new ApiError(
      'TOO_MANY_FAILED_REQUESTS',
      `Too many failed attempts (> ${settings.maxFailures}) resulting in a non-success status code. Please wait ${Math.round(settings.windowMs / 1000)} seconds and try again.`,
      { headers: { 'Retry-After': String(Math.max(1, Math.ceil((state.resetsAt - Date.now()) / 1000))) } },
    );
  }
}

/**
 * After the answer is decided: counts a failure (4xx other than 429, not one Venice exempts: malformed
 * JSON, a wrong Content-Type, a body over the JSON limit) and sends the budget's headers,
 * `x-ratelimit-remaining` (failures left) and `x-ratelimit-resets` (Unix ms). The failure that blocks the
 * key and model is logged for GET /api_keys/rate_limits/log as Venice's `FAILED_REQUESTS`: once per block,
 * not once per refused request (a client retrying in a loop would otherwise push every other breach out
 * of the log's 50 rows, and write to the database on each retry the budget is there to stop).
 */
export function errorBudgetHook(services: AppServices) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!request.budgetName) return;
    let state = request.budgetState;
    if (countsAsFailure(reply.statusCode, request.apiError)) {
      try {
        state = await services.errorBudget.recordFailure(request.budgetName);
        if (state.startsBlock) await logBlock(request);
      } catch (error) {
        // The answer is already decided; a Redis hiccup must not replace it. The failure goes uncounted.
        request.log.warn({ err: error }, 'could not count a failed request in the error budget');
      }
    }
    if (!state) return;
    reply.header('x-ratelimit-remaining', String(state.remaining));
    reply.header('x-ratelimit-resets', String(state.resetsAt));
  };
}

/** The breach in the account's rate-limit log; a database hiccup is logged and does not change the answer. */
async function logBlock(request: FastifyRequest): Promise<void> {
  const { id: keyId, accountId } = request.apiKey!;
  await request.server.services.store
    .recordLimitBreach({ accountId, keyId, modelId: request.budgetModelId!, type: 'FAILED_REQUESTS' })
    .catch((error: unknown) => request.log.warn({ err: error }, 'could not record an error-budget breach'));
}

function countsAsFailure(status: number, error: ApiError | undefined): boolean {
  if (status < 400 || status >= 500 || status === 429) return false;
  return !(error?.budgetExempt || error?.code === 'UNSUPPORTED_MEDIA_TYPE');
}

/**
 * The model a body names (its registry id when it is an alias), or `default:<route>` for the route's
 * default model (kept as the budget's name: the default can change with the config).
 */
function budgetModel(services: AppServices, request: FastifyRequest, fields: Record<string, unknown>): string {
  const named = typeof fields.model === 'string' ? fields.model : typeof fields.modelId === 'string' ? fields.modelId : undefined;
  if (named === undefined) return `default:${routeName(request)}`;
  const entry = services.models.get(named);
  return (entry?.aliasOf ?? entry?.id ?? named).slice(0, MAX_MODEL_NAME);
}

/** The model id the log shows for a budget's model: `default:<route>` becomes the route's default model. */
function loggedModelId(services: AppServices, budgetModelName: string): string {
  if (!budgetModelName.startsWith('default:')) return budgetModelName;
  const route = budgetModelName.slice('default:'.length);
  const operation = Object.values(IMAGE_OPERATIONS).find((op) => op.routeName === route);
  return operation ? services.models.defaultModel(operation.modelType) : budgetModelName;
}
