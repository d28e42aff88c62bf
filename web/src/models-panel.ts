import { IMAGE_OPERATION_NAMES, IMAGE_OPERATIONS } from '../../src/operations/image-operations.js';
import type { ModelInfo, Operation } from './api-client.js';
import { h, replaceChildren } from './dom.js';
import { priceText } from './price-text.js';

/** The model type GET /models lists for each operation (the server's operation table). */
export const MODEL_TYPE = Object.fromEntries(
  IMAGE_OPERATION_NAMES.map((name) => [name, IMAGE_OPERATIONS[name].modelType]),
) as Record<Operation, string>;

/** model_spec keys rendered on their own; any other key is shown generically, so new ones appear. */
const SHOWN_APART = new Set([
  'name',
  'privacy',
  'pricing',
  'constraints',
  'capabilities',
  'offline',
  'offlineReason',
  'beta',
  'vocabulary',
]);

/**
 * Fills the model picker with the models of the operation's type. Offline models stay listed (disabled,
 * with the reason) so a user sees what exists and why it cannot run. The previous choice is kept when
 * still listed; otherwise the first online model is chosen.
 */
export function fillModelPicker(picker: HTMLSelectElement, models: ModelInfo[], operation: Operation): ModelInfo | undefined {
  const previous = picker.value;
  const listed = models.filter((m) => m.type === MODEL_TYPE[operation]);
  replaceChildren(
    picker,
    ...(listed.length === 0 ? [h('option', { value: '' }, `no ${MODEL_TYPE[operation]} model on this server`)] : []),
    ...listed.map((m) =>
      h(
        'option',
        { value: m.id, disabled: m.model_spec.offline === true },
        m.model_spec.offline ? `${m.id} (offline: ${m.model_spec.offlineReason ?? 'unavailable'})` : m.id,
      ),
    ),
  );
  const keep = listed.find((m) => m.id === previous && !m.model_spec.offline);
  const chosen = keep ?? listed.find((m) => !m.model_spec.offline);
  picker.value = chosen?.id ?? '';
  return chosen;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(describeValue).join(', ');
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${describeValue(v)}`)
      .join('; ');
  }
  return String(value);
}

/** Name, price, status, constraints, and what the engine understands (local-edit's vocabulary). */
export function renderModelInfo(
  container: HTMLElement,
  model: ModelInfo | undefined,
  all: ModelInfo[],
  operation: Operation,
): void {
  if (!model) {
    const offline = all.filter((m) => m.type === MODEL_TYPE[operation] && m.model_spec.offline);
    replaceChildren(
      container,
      h('p', { class: 'offline' }, `No online ${MODEL_TYPE[operation]} model.`),
      ...offline.map((m) => h('p', {}, `${m.id}: ${m.model_spec.offlineReason ?? 'offline'}`)),
    );
    return;
  }
  const spec = model.model_spec;
  const price = spec.pricing ? priceText(spec.pricing) : undefined;
  const rows: Array<[string, string]> = [['Name', spec.name ?? model.id]];
  if (spec.capabilities) rows.push(['Engine', describeValue(spec.capabilities)]);
  for (const [name, value] of Object.entries(spec.constraints ?? {})) rows.push([name, describeValue(value)]);
  // Other keys (backend health, layer rules, ...) are shown as they come, so new ones need no page change.
  for (const [name, value] of Object.entries(spec)) if (!SHOWN_APART.has(name)) rows.push([name, describeValue(value)]);
  const vocabulary = Array.isArray(spec.vocabulary)
    ? (spec.vocabulary as Array<{ instruction?: string; examples?: string[] }>)
    : [];
  replaceChildren(
    container,
    h(
      'p',
      { class: 'model-summary' },
      spec.offline
        ? h('span', { class: 'offline' }, `offline: ${spec.offlineReason ?? 'unavailable'}`)
        : h('span', { class: 'online' }, 'online'),
      price ? ` · ${price}` : '',
    ),
    h(
      'details',
      { class: 'model-details' },
      h('summary', {}, 'Constraints and details'),
      h('dl', {}, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    ),
    // These two routes take no model field (as on Venice): the server runs its configured model of the kind.
    (operation === 'background-remove' || operation === 'upscale') &&
      h(
        'p',
        { class: 'hint' },
        'This operation always runs the model the server is configured with for it: the list shows which.',
      ),
    vocabulary.length > 0 &&
      h(
        'details',
        { class: 'vocabulary' },
        h('summary', {}, `What ${model.id} understands (${vocabulary.length} instructions)`),
        h(
          'ul',
          {},
          ...vocabulary.map((v) =>
            h('li', {}, h('strong', {}, v.instruction ?? ''), ` — "${(v.examples ?? []).slice(0, 2).join('", "')}"`),
          ),
        ),
      ),
  );
}
