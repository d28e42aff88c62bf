import type { ModelInfo, Operation, Part } from './api-client.js';
import { h, replaceChildren } from './dom.js';

/**
 * The endpoint's optional fields, drawn from the chosen model's constraints: a field whose values a model
 * declares (aspect ratios, resolutions, output formats, qualities, ...) appears with exactly those values,
 * and disappears for a model that declares none. A new field is one more entry in FIELDS.
 */

type Control =
  | { kind: 'select'; options: string[]; initial?: string }
  | { kind: 'number'; min: number; max: number; step: number; placeholder: string }
  | { kind: 'checkbox' }
  | { kind: 'text'; placeholder: string };

interface FieldSpec {
  name: string;
  label: string;
  operations: Operation[];
  /** The control for this model, or null when the model does not take the field. */
  control: (model: ModelInfo | undefined) => Control | null;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value.map(String) : undefined;
}

function constraint(model: ModelInfo | undefined, ...names: string[]): string[] | undefined {
  for (const name of names) {
    const values = strings(model?.model_spec.constraints?.[name]);
    if (values) return values;
  }
  return undefined;
}

function extensionFields(model: ModelInfo | undefined): string[] {
  return strings(model?.model_spec.extension_fields) ?? [];
}

const select = (options: string[] | undefined, initial?: string): Control | null =>
  options ? { kind: 'select', options, initial } : null;

const FIELDS: FieldSpec[] = [
  { name: 'aspect_ratio', label: 'Aspect ratio', operations: ['edit'], control: (m) => select(constraint(m, 'aspectRatios')) },
  {
    name: 'resolution',
    label: 'Resolution',
    operations: ['edit', 'multi-edit'],
    // Left on "default" unless the user picks a tier: the API's default is the model's own (the input's
    // size for local engines), and an explicit tier above the input's size is refused as an enlargement.
    control: (m) => select(constraint(m, 'resolutions')),
  },
  { name: 'quality', label: 'Quality', operations: ['multi-edit'], control: (m) => select(constraint(m, 'qualities')) },
  {
    name: 'output_format',
    label: 'Output format',
    operations: ['edit', 'multi-edit', 'upscale'],
    control: (m) => select(constraint(m, 'outputFormats', 'formats')),
  },
  {
    name: 'seed',
    label: 'Seed',
    operations: ['edit', 'multi-edit'],
    control: () => ({ kind: 'number', min: 0, max: 2 ** 31 - 1, step: 1, placeholder: 'random' }),
  },
  // Venice's upscale: scale 2 or 4 unless the model lists its own, creativity 0 to 0.02.
  { name: 'scale', label: 'Scale', operations: ['upscale'], control: (m) => select(constraint(m, 'scales') ?? ['2', '4']) },
  {
    name: 'creativity',
    label: 'Creativity',
    operations: ['upscale'],
    control: () => ({ kind: 'number', min: 0, max: 0.02, step: 0.001, placeholder: '0.01' }),
  },
  {
    name: 'only_mask',
    label: 'Only the mask',
    operations: ['background-remove'],
    control: (m) => (extensionFields(m).includes('only_mask') ? { kind: 'checkbox' } : null),
  },
  {
    name: 'bg_color',
    label: 'Background colour',
    operations: ['background-remove'],
    control: (m) =>
      extensionFields(m).includes('bg_color') ? { kind: 'text', placeholder: 'transparent, or white, #223344' } : null,
  },
];

/**
 * Renders the fields of `operation` for `model` into `container`, keeping values the user set. A value the
 * page filled in from the previous model's defaults is not carried over: another model has other defaults
 * (a 1K tier is a model's default, and an enlargement for local-edit).
 */
export function renderFields(container: HTMLElement, operation: Operation, model: ModelInfo | undefined): void {
  const previous = new Map(currentValues(container, { touchedOnly: true }));
  const controls = FIELDS.filter((f) => f.operations.includes(operation)).flatMap((field) => {
    const control = field.control(model);
    return control ? [renderControl(field, control, previous.get(field.name))] : [];
  });
  replaceChildren(container, ...controls);
}

function renderControl(field: FieldSpec, control: Control, kept: string | undefined): HTMLElement {
  const id = `field-${field.name}`;
  if (control.kind === 'checkbox') {
    const input = h('input', { id, type: 'checkbox', name: field.name });
    input.checked = kept === 'true';
    markTouched(input, kept !== undefined);
    return h('label', { class: 'check', for: id }, input, field.label);
  }
  let input: HTMLInputElement | HTMLSelectElement;
  if (control.kind === 'select') {
    input = h(
      'select',
      { id, name: field.name },
      h('option', { value: '' }, 'default'),
      ...control.options.map((o) => h('option', { value: o }, o)),
    );
    const wanted = kept ?? control.initial ?? '';
    input.value = control.options.includes(wanted) ? wanted : '';
  } else if (control.kind === 'number') {
    input = h('input', {
      id,
      name: field.name,
      type: 'number',
      min: String(control.min),
      max: String(control.max),
      step: String(control.step),
      placeholder: control.placeholder,
    });
    input.value = kept ?? '';
  } else {
    input = h('input', { id, name: field.name, type: 'text', placeholder: control.placeholder });
    input.value = kept ?? '';
  }
  markTouched(input, kept !== undefined);
  return h('label', { for: id }, field.label, input);
}

/** Remembers that the user set this field (or that it carries a value the user set earlier). */
function markTouched(input: HTMLInputElement | HTMLSelectElement, already: boolean): void {
  if (already) input.dataset.touched = 'true';
  const touch = () => {
    input.dataset.touched = 'true';
  };
  input.addEventListener('change', touch);
  input.addEventListener('input', touch);
}

function currentValues(container: HTMLElement, options: { touchedOnly?: boolean } = {}): Array<[string, string]> {
  return Array.from(container.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select'))
    .filter((input) => !options.touchedOnly || input.dataset.touched === 'true')
    .map((input) => [
      input.name,
      input instanceof HTMLInputElement && input.type === 'checkbox' ? String(input.checked) : input.value,
    ]);
}

/** The fields the user set, as multipart parts (an empty field is left out, so the API's default applies). */
export function fieldParts(container: HTMLElement): Part[] {
  return currentValues(container)
    .filter(([, value]) => value !== '' && value !== 'false')
    .map(([name, value]) => ({ name, value }));
}
