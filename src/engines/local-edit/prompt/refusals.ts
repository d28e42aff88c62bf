import { ApiError } from '../../../errors.js';
import { quoteClause } from './prompt-text.js';

/**
 * The ways local-edit says no, each naming the clause and why. The category travels in the 400's body
 * (`refusal`, with the `clause`), so a client (and the prompt-set test) can tell "reword it" from "send a
 * mask" from "use a generative model" without reading the English.
 */
export type RefusalKind =
  /** No instruction of the vocabulary matches the clause; the message lists the nearest it knows. */
  | 'not-understood'
  /** The clause names a thing only a mask (or a detector that can see it) can locate. */
  | 'needs-mask'
  /** The clause asks for content that must be invented (skies, weather, new objects, faces, clothes). */
  | 'needs-generative-model'
  /** Understood, but beyond what the engine does (a 37-degree rotation, an upscale with no SR engine). */
  | 'unsupported';

/** What the parser needs to know about the server for its refusals. */
export interface ParseOptions {
  /** Names of the generative edit models configured on this server, for the needs-generative-model message. */
  generativeModels?: readonly string[];
}

function quoted(clause: string): string {
  const text = quoteClause(clause);
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

/**
 * @example refuse('unsupported', 'rotate 37 degrees', 'only quarter turns are supported')
 *   // ApiError 400 'Cannot do "rotate 37 degrees": only quarter turns are supported.'
 */
export function refuse(kind: RefusalKind, clause: string, why: string): ApiError {
  // `why` may end in a sentence of advice with its own full stop: the message ends once, never "..".
  return new ApiError('UNSUPPORTED_INSTRUCTION', `Cannot do "${quoted(clause)}": ${why.replace(/\.+$/, '')}.`, {
    body: { refusal: kind, clause: quoteClause(clause) },
  });
}

/** "needs a generative model (such as qwen-edit), which this server has not configured", or the ones it has. */
export function needsGenerative(clause: string, what: string, options: ParseOptions): ApiError {
  const models = options.generativeModels ?? [];
  const where =
    models.length > 0
      ? `; send it to one of the generative models online on this server: ${models.join(', ')}`
      : ', and this server has none online';
  return refuse('needs-generative-model', clause, `${what} needs a generative model (such as qwen-edit)${where}`);
}

/** The category of a refusal thrown by the parser or resolvePlan, or null for any other error. */
export function refusalKind(error: unknown): RefusalKind | null {
  if (!(error instanceof ApiError)) return null;
  const kind = error.body.refusal;
  return typeof kind === 'string' ? (kind as RefusalKind) : null;
}
